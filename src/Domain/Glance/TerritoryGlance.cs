using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Services;
using ValDrome.Domain.Statements;

namespace ValDrome.Domain.Glance;

/// <summary>One commune's month, as the territory page and the OGC collection <c>territoire</c> show it.</summary>
/// <param name="Month">The first day of the month.</param>
/// <param name="DaysBorrowed">Days of equipment the commune held on loan in the month (a loan over two months counts in each).</param>
/// <param name="DaysLent">Days its own units spent at other communes in the month.</param>
/// <param name="LoansBorrowed">Loans to the commune that began in the month (each is one trip saved, counted in that month).</param>
/// <param name="ServiceHours">Hours of the services' agents: the time agreed when there is one, else the booked slot.</param>
/// <param name="KmSaved">Kilometres not driven to the nearest hire company, less those the units came from (ADR 26).</param>
/// <param name="EquipmentPaid">What the month's statement charges for equipment borrowed; null until the month is built.</param>
public sealed record CommuneMonth(
    int CommuneId,
    string Insee,
    string Name,
    DateOnly Month,
    int DaysBorrowed,
    int DaysLent,
    int LoansBorrowed,
    decimal ServiceHours,
    decimal KmSaved,
    decimal Co2KgSaved,
    decimal? EquipmentPaid,
    decimal? ServicesPaid,
    decimal? Received,
    decimal? Balance,
    string NearestHire,
    decimal NearestHireKm);

/// <summary>The whole territory's month: the sums of its communes' rows.</summary>
public sealed record TerritoryMonth(
    DateOnly Month,
    int DaysBorrowed,
    int DaysLent,
    int LoansBorrowed,
    decimal ServiceHours,
    decimal KmSaved,
    decimal Co2KgSaved,
    decimal? EquipmentPaid,
    decimal? ServicesPaid,
    decimal? Received);

/// <summary>
/// The territory at a glance (issue 13, ADR 26): per commune and per month, equipment days
/// borrowed and lent, the services' hours, the statements' amounts, and the kilometres and CO₂
/// saved under the configured assumption. One SQL query serves the page and the OGC collection,
/// so both show the same numbers; distances are PostGIS geography distances.
/// </summary>
public static class TerritoryGlance
{
    /// <summary>
    /// Every commune for every month from the first to the last with activity (loans agreed on,
    /// assigned service slots, statements), zeros included: a month reads as a whole map. Columns:
    /// <c>commune_id, month, days_borrowed, days_lent, loans_borrowed, service_hours, km_saved,
    /// co2_kg_saved, equipment_paid, services_paid, received, balance, nearest_hire, nearest_hire_km</c>.
    /// The settings become literals (they are checked at start, <see cref="GlanceOptions.IsValid"/>): the
    /// SQL is a trusted fragment the GIS layer can use as its FROM.
    /// </summary>
    public static string Sql(GlanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsValid(out var error))
        {
            throw new InvalidOperationException(error);
        }

        var hire = string.Join(", ", options.Places.Select(p =>
            $"({Literal(p.Name)}, ST_SetSRID(ST_MakePoint({Number(p.Longitude)}, {Number(p.Latitude)}), 4326)::geography)"));
        // A round trip is there and back; the same trips carry the unit from where it is kept.
        var metresToKm = Number(2 * options.RoundTripsPerLoan * options.DetourFactor / 1000);
        var agreed = string.Join(", ", AgreedStates.Select(s => Literal(s.ToString())));
        var agreedTime = string.Join(", ", new[] { TimeEntryStatus.Confirmed, TimeEntryStatus.Settled }.Select(s => Literal(s.ToString())));
        return $"""
            WITH hire(name, location) AS (VALUES {hire}),
            nearest_hire AS (
                SELECT DISTINCT ON (c.id) c.id AS commune_id, h.name, ST_Distance(c.reference_point, h.location) AS metres
                FROM communes c CROSS JOIN hire h
                ORDER BY c.id, ST_Distance(c.reference_point, h.location), h.name),
            agreed AS (
                SELECT l.borrower_commune_id, l.lender_commune_id, l.first_day, l.distance_metres,
                       greatest(l.last_day, coalesce(l.returned_on, l.last_day)) AS end_day
                FROM loans l WHERE l.status IN ({agreed})),
            loan_days AS (
                SELECT a.borrower_commune_id, a.lender_commune_id, m::date AS month,
                       least(a.end_day, (m + interval '1 month')::date - 1) - greatest(a.first_day, m::date) + 1 AS days
                FROM agreed a CROSS JOIN LATERAL generate_series(
                    date_trunc('month', a.first_day::timestamp), date_trunc('month', a.end_day::timestamp), interval '1 month') AS m),
            borrowed AS (
                SELECT borrower_commune_id AS commune_id, month, sum(days) AS days FROM loan_days GROUP BY 1, 2),
            lent AS (
                SELECT lender_commune_id AS commune_id, month, sum(days) AS days FROM loan_days
                WHERE lender_commune_id IS NOT NULL GROUP BY 1, 2),
            trips AS (
                SELECT a.borrower_commune_id AS commune_id, date_trunc('month', a.first_day::timestamp)::date AS month,
                       count(*) AS loans, sum(n.metres - a.distance_metres) AS metres
                FROM agreed a JOIN nearest_hire n ON n.commune_id = a.borrower_commune_id GROUP BY 1, 2),
            service_hours AS (
                SELECT b.commune_id, date_trunc('month', b.day::timestamp)::date AS month,
                       sum(extract(epoch FROM CASE WHEN t.status IN ({agreedTime}) THEN t.ended - t.started ELSE b.ends - b.starts END)) / 3600 AS hours
                FROM agent_bookings b LEFT JOIN time_entries t ON t.booking_id = b.id
                WHERE b.is_active AND b.request_id IS NOT NULL AND b.agent_id IS NOT NULL
                GROUP BY 1, 2),
            amounts AS (
                SELECT s.commune_id, s.month,
                       -coalesce(sum(x.amount) FILTER (WHERE x.kind = {Literal(nameof(StatementLineKind.Borrowed))}), 0) AS equipment_paid,
                       -coalesce(sum(x.amount) FILTER (WHERE x.kind = {Literal(nameof(StatementLineKind.Service))}), 0) AS services_paid,
                       coalesce(sum(x.amount) FILTER (WHERE x.kind = {Literal(nameof(StatementLineKind.Lent))}), 0) AS received,
                       coalesce(sum(x.amount), 0) AS balance
                FROM statements s LEFT JOIN statement_lines x ON x.statement_id = s.id
                WHERE s.commune_id IS NOT NULL GROUP BY 1, 2),
            bounds AS (
                SELECT min(month) AS first, max(month) AS last FROM (
                    SELECT month FROM borrowed UNION ALL SELECT month FROM service_hours UNION ALL SELECT month FROM amounts) AS x),
            grid AS (
                SELECT c.id AS commune_id, m::date AS month
                FROM communes c CROSS JOIN bounds
                CROSS JOIN LATERAL generate_series(bounds.first::timestamp, bounds.last::timestamp, interval '1 month') AS m)
            SELECT g.commune_id, g.month,
                   coalesce(bo.days, 0)::int AS days_borrowed,
                   coalesce(le.days, 0)::int AS days_lent,
                   coalesce(tr.loans, 0)::int AS loans_borrowed,
                   round(coalesce(sh.hours, 0)::numeric, 2) AS service_hours,
                   round((coalesce(tr.metres, 0) * {metresToKm})::numeric, 1) AS km_saved,
                   round((coalesce(tr.metres, 0) * {metresToKm} * {Number(options.GramsCo2PerKm)} / 1000)::numeric, 1) AS co2_kg_saved,
                   am.equipment_paid, am.services_paid, am.received, am.balance,
                   n.name AS nearest_hire, round((n.metres / 1000)::numeric, 1) AS nearest_hire_km
            FROM grid g
            JOIN nearest_hire n ON n.commune_id = g.commune_id
            LEFT JOIN borrowed bo ON bo.commune_id = g.commune_id AND bo.month = g.month
            LEFT JOIN lent le ON le.commune_id = g.commune_id AND le.month = g.month
            LEFT JOIN trips tr ON tr.commune_id = g.commune_id AND tr.month = g.month
            LEFT JOIN service_hours sh ON sh.commune_id = g.commune_id AND sh.month = g.month
            LEFT JOIN amounts am ON am.commune_id = g.commune_id AND am.month = g.month
            """;
    }

    /// <summary>Every commune's row for the month (none when the month is outside the months with activity).</summary>
    public static async Task<List<CommuneMonth>> MonthAsync(ValDromeDb db, GlanceOptions options, DateOnly month, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await ReadAsync(db,
            $"SELECT t.*, c.insee::text, c.name FROM ({Sql(options)}) AS t JOIN communes c ON c.id = t.commune_id WHERE t.month = @month",
            command => command.Parameters.AddWithValue("month", month),
            r => new CommuneMonth(
                r.GetInt32(0), r.GetString(14), r.GetString(15), r.GetFieldValue<DateOnly>(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4),
                r.GetDecimal(5), r.GetDecimal(6), r.GetDecimal(7), NullableDecimal(r, 8), NullableDecimal(r, 9), NullableDecimal(r, 10),
                NullableDecimal(r, 11), r.GetString(12), r.GetDecimal(13)),
            cancellationToken);
        return [.. rows.OrderBy(r => r.Name, FrenchNames.Comparer)];
    }

    /// <summary>The territory's sums for every month with activity, oldest first.</summary>
    public static Task<List<TerritoryMonth>> MonthsAsync(ValDromeDb db, GlanceOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return ReadAsync(db,
            $"""
            SELECT month, sum(days_borrowed)::int, sum(days_lent)::int, sum(loans_borrowed)::int, sum(service_hours), sum(km_saved),
                   sum(co2_kg_saved), sum(equipment_paid), sum(services_paid), sum(received)
            FROM ({Sql(options)}) AS t GROUP BY month ORDER BY month
            """,
            _ => { },
            r => new TerritoryMonth(
                r.GetFieldValue<DateOnly>(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetDecimal(4), r.GetDecimal(5), r.GetDecimal(6),
                NullableDecimal(r, 7), NullableDecimal(r, 8), NullableDecimal(r, 9)),
            cancellationToken);
    }

    /// <summary>The states of a loan both communes agreed on, done or to come (as the <c>flux</c> layer counts them).</summary>
    public static IEnumerable<LoanStatus> AgreedStates =>
        Enum.GetValues<LoanStatus>().Where(s => s is not (LoanStatus.Requested or LoanStatus.Refused or LoanStatus.Cancelled));

    private static decimal? NullableDecimal(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDecimal(ordinal);

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static async Task<List<T>> ReadAsync<T>(
        ValDromeDb db, string sql, Action<NpgsqlCommand> bind, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(read(reader));
            }

            return rows;
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }
}
