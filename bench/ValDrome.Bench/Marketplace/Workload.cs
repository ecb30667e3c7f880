using Npgsql;
using ValDrome.Domain.Loans;

namespace ValDrome.Bench.Marketplace;

/// <summary>A category as the bench draws it.</summary>
internal sealed record BenchCategory(int Id, string Code);

/// <summary>
/// A region where every unit of one category is booked for one fortnight (DataSet.sql): asked
/// from near its centre within that fortnight, the query finds nothing within the radius.
/// </summary>
internal sealed record BlockedRegion(int CategoryId, string CategoryCode, int CentreCommuneId, double RadiusMetres, DateOnly FirstDay, DateOnly LastDay);

/// <summary>A borrowing commune and its reference point.</summary>
internal sealed record BenchCommune(int Id, double Longitude, double Latitude);

/// <summary>
/// The requests the bench times, drawn with a fixed seed: "free nearby" from any commune for any
/// category and five days of the two-year calendar, and "nothing free" from communes within
/// 10 km of a blocked region's centre, five days inside its fortnight.
/// </summary>
internal sealed class Workload
{
    /// <summary>The calendar of DataSet.sql: ten slots of 73 days from this Monday.</summary>
    public static readonly DateOnly CalendarStart = new(2027, 1, 4);

    public const int CalendarDays = 730;

    public const int RequestDays = 5;

    /// <summary>How far from a blocked region's centre the "nothing free" requests come from.</summary>
    public const double BlockedOriginSpreadMetres = 10_000;

    private readonly Random _random = new(2026);

    private Workload(IReadOnlyList<BenchCommune> communes, IReadOnlyList<BenchCategory> categories,
        IReadOnlyList<BlockedRegion> regions, IReadOnlyDictionary<int, IReadOnlyList<BenchCommune>> nearCentres)
    {
        Communes = communes;
        Categories = categories;
        Regions = regions;
        NearCentres = nearCentres;
    }

    public IReadOnlyList<BenchCommune> Communes { get; }

    public IReadOnlyList<BenchCategory> Categories { get; }

    public IReadOnlyList<BlockedRegion> Regions { get; }

    /// <summary>For each blocked category, the communes within <see cref="BlockedOriginSpreadMetres"/> of its region's centre.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<BenchCommune>> NearCentres { get; }

    public static async Task<Workload> LoadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var communes = await ReadAsync(connection, """
            SELECT id, ST_X(reference_point::geometry), ST_Y(reference_point::geometry) FROM communes ORDER BY id
            """, r => new BenchCommune(r.GetInt32(0), r.GetDouble(1), r.GetDouble(2)), cancellationToken);
        var categories = await ReadAsync(connection, "SELECT id, code FROM equipment_categories ORDER BY id",
            r => new BenchCategory(r.GetInt32(0), r.GetString(1)), cancellationToken);
        var regions = await ReadAsync(connection, """
            SELECT r.category_id, c.code, r.commune_id, r.radius_metres, r.first_day, r.last_day
            FROM bench_blocked_regions r JOIN equipment_categories c ON c.id = r.category_id ORDER BY r.category_id
            """, r => new BlockedRegion(r.GetInt32(0), r.GetString(1), r.GetInt32(2), r.GetDouble(3),
                r.GetFieldValue<DateOnly>(4), r.GetFieldValue<DateOnly>(5)), cancellationToken);
        var near = await ReadAsync(connection, $"""
            SELECT r.category_id, c.id, ST_X(c.reference_point::geometry), ST_Y(c.reference_point::geometry)
            FROM bench_blocked_regions r
            JOIN communes c ON ST_DWithin(c.reference_point, r.centre, {BlockedOriginSpreadMetres})
            ORDER BY r.category_id, c.id
            """, r => (Category: r.GetInt32(0), Commune: new BenchCommune(r.GetInt32(1), r.GetDouble(2), r.GetDouble(3))), cancellationToken);
        var nearCentres = near.GroupBy(n => n.Category)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<BenchCommune>)[.. g.Select(n => n.Commune)]);
        return new Workload(communes, categories, regions, nearCentres);
    }

    /// <summary>Any commune, any category, five days anywhere in the calendar.</summary>
    public AvailabilityQuery NextAnywhere(double radiusMetres, int limit)
    {
        var commune = Communes[_random.Next(Communes.Count)];
        var category = Categories[_random.Next(Categories.Count)];
        var first = CalendarStart.AddDays(_random.Next(CalendarDays - RequestDays));
        return new AvailabilityQuery(category.Id, commune.Longitude, commune.Latitude, first, first.AddDays(RequestDays - 1),
            commune.Id, radiusMetres, limit);
    }

    /// <summary>From a commune near a blocked region's centre, five days inside its fortnight.</summary>
    public AvailabilityQuery NextBlocked(double radiusMetres, int limit)
    {
        var region = Regions[_random.Next(Regions.Count)];
        var origins = NearCentres[region.CategoryId];
        var commune = origins[_random.Next(origins.Count)];
        var span = region.LastDay.DayNumber - region.FirstDay.DayNumber + 1 - RequestDays;
        var first = region.FirstDay.AddDays(_random.Next(span + 1));
        return new AvailabilityQuery(region.CategoryId, commune.Longitude, commune.Latitude, first, first.AddDays(RequestDays - 1),
            commune.Id, radiusMetres, limit);
    }

    /// <summary>A period of five days anywhere in the calendar (for the HTTP measure).</summary>
    public DateOnly NextFirstDay() => CalendarStart.AddDays(_random.Next(CalendarDays - RequestDays));

    public DateOnly NextFirstDayIn(BlockedRegion region) =>
        region.FirstDay.AddDays(_random.Next(region.LastDay.DayNumber - region.FirstDay.DayNumber + 2 - RequestDays));

    public BenchCategory NextCategoryOtherThan(int categoryId)
    {
        while (true)
        {
            var category = Categories[_random.Next(Categories.Count)];
            if (category.Id != categoryId)
            {
                return category;
            }
        }
    }

    private static async Task<List<T>> ReadAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
