using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValDrome.Domain.Loans;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Loans;

/// <summary>The nearest-available query on its own, including the plan PostgreSQL chooses for it.</summary>
public sealed class NearestAvailableTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateSeededAsync("nearest");
        // Enough units that the planner prefers the index to reading the table (5,000 barnums over the territory).
        await _database.ScalarAsync<int>("""
            INSERT INTO equipment_units (inventory_code, name, description, category_id, home_location, daily_rate, transport, status, has_hour_meter, auto_approve)
            SELECT 'SYN-' || g, 'Barnum synthétique ' || g, '', (SELECT id FROM equipment_categories WHERE code = 'barnum'),
                   ST_SetSRID(ST_MakePoint(4.76 + random() * 0.53, 44.48 + random() * 0.42), 4326)::geography, 30, 'Van', 'InService', false, false
            FROM generate_series(1, 5000) g;
            ANALYZE equipment_units; ANALYZE unit_bookings;
            SELECT 0;
            """);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<AvailabilityQuery> FromGraneAsync(string category, DateOnly first, DateOnly last, double radiusKm = 60)
    {
        await using var db = _database.CreateDb();
        var grane = await db.Communes.SingleAsync(c => c.Insee == "26144");
        var categoryId = await db.EquipmentCategories.Where(c => c.Code == category).Select(c => c.Id).SingleAsync();
        return new AvailabilityQuery(categoryId, grane.ReferencePoint.X, grane.ReferencePoint.Y, first, last, grane.Id, radiusKm * 1000);
    }

    [Fact]
    public async Task The_query_walks_the_category_location_index_nearest_first()
    {
        var query = await FromGraneAsync("barnum", new DateOnly(2027, 6, 1), new DateOnly(2027, 6, 3));
        await using var db = _database.CreateDb();
        var sql = NearestAvailable.Sql(query);

        await db.Database.OpenConnectionAsync();
        await using var command = (NpgsqlCommand)db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "EXPLAIN " + string.Format(System.Globalization.CultureInfo.InvariantCulture, sql.Format,
            sql.GetArguments().Select((_, i) => (object)$"${i + 1}").ToArray());
        foreach (var argument in sql.GetArguments())
        {
            command.Parameters.Add(new NpgsqlParameter { Value = argument });
        }

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join('\n', plan);
        Assert.True(text.Contains("Index Scan using ix_equipment_units_category_id_home_location_knn", StringComparison.Ordinal), text);
        Assert.True(text.Contains("Order By: (home_location <->", StringComparison.Ordinal), text);
        Assert.Contains("Limit", plan[0]);
        Assert.DoesNotContain("Seq Scan on equipment_units", text);
        Assert.DoesNotContain("Sort", text);
    }

    [Fact]
    public async Task Results_come_nearest_first_and_skip_booked_maintained_and_own_units()
    {
        var first = new DateOnly(2027, 6, 7);
        await Make.LoanAsync(_database, "26006-MP-01", "26185", first, first); // Allex's, the nearest, is taken
        await _database.ScalarAsync<int>("UPDATE equipment_units SET status = 'InMaintenance' WHERE inventory_code = 'CCVD-MP-02'; SELECT 0;");
        var query = await FromGraneAsync("mini-pelle", first, first);

        await using var db = _database.CreateDb();
        var found = await NearestAvailable.FindAsync(db, query);

        Assert.Equal(["CCVD-MP-01", "26258-MP-01"], found.Select(u => u.InventoryCode));
        Assert.True(found[0].DistanceMetres < found[1].DistanceMetres);
    }

    [Fact]
    public async Task The_radius_caps_the_search()
    {
        var query = await FromGraneAsync("mini-pelle", new DateOnly(2027, 7, 1), new DateOnly(2027, 7, 1), radiusKm: 7);

        await using var db = _database.CreateDb();
        var found = await NearestAvailable.FindAsync(db, query);

        Assert.All(found, u => Assert.True(u.DistanceMetres <= 7000));
        Assert.Equal(["26006-MP-01"], found.Select(u => u.InventoryCode));
    }
}
