using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace ValDrome.Domain.Loans;

/// <summary>What a borrower asks for: a kind of unit (or one unit) for whole days, near a point.</summary>
/// <param name="ExcludeOwnerCommuneId">The borrowing commune: its own units are not proposed to it.</param>
/// <param name="RadiusMetres">Search no further than this (the answer says so when nothing is found).</param>
/// <param name="Today">The day of the request: a unit whose inspection was due before it is not lent (every page gives it; without it, no inspection is checked).</param>
public sealed record AvailabilityQuery(
    int CategoryId,
    double Longitude,
    double Latitude,
    DateOnly FirstDay,
    DateOnly LastDay,
    int? ExcludeOwnerCommuneId,
    double RadiusMetres,
    int Limit = 10,
    int? UnitId = null,
    DateOnly? Today = null);

/// <summary>An available unit, with its geodesic distance to the borrower.</summary>
public sealed record AvailableUnit(
    int UnitId,
    string Name,
    string InventoryCode,
    int? OwnerCommuneId,
    string? OwnerName,
    string? OwnerInsee,
    decimal DailyRate,
    string Transport,
    double DistanceMetres,
    double Longitude,
    double Latitude);

public static class NearestAvailable
{
    /// <summary>
    /// The nearest units of a category that are in service and free for the period, margins
    /// included, nearest first, within the radius. Runs in PostGIS: a KNN scan (<c>&lt;-&gt;</c>)
    /// of the (category, location) GiST index bounded by the radius, each candidate's booked days
    /// tested on its own row, stopping at <see cref="AvailabilityQuery.Limit"/> rows: the
    /// catalogue is never loaded. The free test is the exclusion constraint's own: no active
    /// booking of the unit overlaps [first − margin, last + margin + 1). See <see cref="Text"/>
    /// for how each part keeps the plan index-driven on a national catalogue (bench/README.md).
    /// </summary>
    public static async Task<IReadOnlyList<AvailableUnit>> FindAsync(ValDromeDb db, AvailabilityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = CreateCommand((NpgsqlConnection)db.Database.GetDbConnection(), query);
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction;
            // Prepared once per pooled connection (Npgsql keeps it): after a few executions
            // PostgreSQL keeps one generic plan, which is the same index walk (see Text), and
            // the query is no longer planned at every request.
            await command.PrepareAsync(cancellationToken);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var units = new List<AvailableUnit>();
            while (await reader.ReadAsync(cancellationToken))
            {
                units.Add(new AvailableUnit(
                    reader.GetInt32(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetDecimal(6),
                    reader.GetString(7),
                    reader.GetDouble(8),
                    reader.GetDouble(9),
                    reader.GetDouble(10)));
            }

            return units;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Whether a unit is free for [first, last] with its margin, ignoring one booking (the loan's
    /// own, when it asks to be extended): the same test the exclusion constraint applies.
    /// </summary>
    public static async Task<bool> IsFreeAsync(
        ValDromeDb db, int unitId, DateOnly firstDay, DateOnly lastDay, int marginDays, int ignoredBookingId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var taken = await db.Database.SqlQuery<bool>($"""
            SELECT EXISTS (
                SELECT 1 FROM unit_bookings b
                WHERE b.unit_id = {unitId} AND b.is_active AND b.id <> {ignoredBookingId}
                  AND b.period && daterange({firstDay} - {marginDays}, {lastDay} + {marginDays} + 1, '[)')) AS "Value"
            """).SingleAsync(cancellationToken);
        return !taken;
    }

    /// <summary>
    /// The query itself, with its values as positional parameters ($1 to $10, in the order of
    /// <see cref="Arguments"/>), exposed so that tests and the benchmark can read its plan and
    /// prepare it. Columns come in the order of <see cref="AvailableUnit"/>'s parameters.
    /// </summary>
    /// <remarks>
    /// Four choices keep it a short index walk on a million units and ten million bookings:
    /// <list type="bullet">
    /// <item>The radius is written as the two halves of <c>ST_DWithin</c>: the box test
    /// <c>&amp;&amp; _ST_Expand(point, radius)</c> that <c>ST_DWithin</c> adds itself for the index,
    /// and the exact distance test. PostGIS 3.3 estimates <c>ST_DWithin</c> on geography at a
    /// fixed 0.01 % of the table (100 rows of a million, where 20,000 lie within 60 km), so the
    /// planner expected two candidates and chose to read every unit in the radius and sort them,
    /// instead of walking the index nearest first and stopping at the tenth free one.</item>
    /// <item>The exact test runs on the spheroid only near the edge: the sphere distance that
    /// <c>&lt;-&gt;</c> returns differs from the spheroid's by less than 0.6 % anywhere on Earth, so
    /// a unit within 99 % of the radius on the sphere is within it on the spheroid, and one beyond
    /// 101 % is not. The result is the same as <c>ST_Distance(…) &lt;= radius</c>, without a
    /// geodesic computation (a few microseconds) for every candidate.</item>
    /// <item>The free test reads <c>equipment_units.booked</c>, the union of the unit's active
    /// booking periods that the triggers of <c>unit_bookings</c> keep in the same transaction
    /// (ADR 9): the candidate's row is already read, where probing <c>unit_bookings</c> cost an
    /// index descent per candidate. The overlap test itself is unchanged.</item>
    /// <item>A regulatory inspection past its date on the day of the request blocks the unit
    /// whether or not the night job has run (ADR 18): a probe of the partial index of inspection
    /// plans per candidate, the few rows a unit has.</item>
    /// <item>The borrower's point and the category's margin are computed once (uncorrelated
    /// subqueries, run before the scan), not for every candidate.</item>
    /// </list>
    /// The owner's name is read for the returned rows only, and those few rows are given in
    /// order of their distance on the spheroid, the one shown (the walk ranks on the sphere,
    /// which can swap two units a few metres apart).
    /// </remarks>
    public const string Text = """
        SELECT n.* FROM (
            SELECT u.id AS unit_id, u.name, u.inventory_code, u.owner_commune_id,
                   (SELECT oc.name FROM communes oc WHERE oc.id = u.owner_commune_id) AS owner_name,
                   (SELECT oc.insee FROM communes oc WHERE oc.id = u.owner_commune_id) AS owner_insee,
                   u.daily_rate, u.transport,
                   ST_Distance(u.home_location, o.point) AS distance_metres,
                   ST_X(u.home_location::geometry) AS longitude, ST_Y(u.home_location::geometry) AS latitude
            FROM (SELECT (SELECT ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) AS point,
                         (SELECT c.transport_margin_days FROM equipment_categories c WHERE c.id = $1) AS margin) o
            JOIN equipment_units u ON u.category_id = $1
            WHERE u.status = 'InService'
              AND ($9 = -1 OR u.id = $9)
              AND u.owner_commune_id IS DISTINCT FROM $6
              AND u.home_location && _ST_Expand(o.point, $7)
              AND (u.home_location <-> o.point <= $7 * 0.99
                   OR (u.home_location <-> o.point <= $7 * 1.01
                       AND ST_Distance(u.home_location, o.point) <= $7))
              AND NOT EXISTS (SELECT 1 FROM maintenance_plans p
                              WHERE p.unit_id = u.id AND p.kind = 'Inspection' AND p.next_due_on < $10)
              AND NOT u.booked && daterange(
                  $4 - COALESCE(u.transport_margin_days_override, o.margin),
                  $5 + COALESCE(u.transport_margin_days_override, o.margin) + 1, '[)')
            ORDER BY u.home_location <-> o.point
            LIMIT $8) n
        ORDER BY n.distance_metres, n.unit_id
        """;

    /// <summary>The SQL types of $1 to $10 in <see cref="Text"/>, for <c>PREPARE name (…) AS</c>.</summary>
    public const string ParameterTypes = "integer, double precision, double precision, date, date, integer, double precision, integer, integer, date";

    /// <summary>
    /// The values of $1 to $9 in <see cref="Text"/>: category, longitude, latitude, first day,
    /// last day, excluded owner commune (−1 for none), radius in metres, limit, unit (−1 for any),
    /// the request's day (inspections due before it block the unit).
    /// </summary>
    public static object[] Arguments(AvailabilityQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return [query.CategoryId, query.Longitude, query.Latitude, query.FirstDay, query.LastDay,
            query.ExcludeOwnerCommuneId ?? -1, query.RadiusMetres, query.Limit, query.UnitId ?? -1, query.Today ?? DateOnly.MinValue];
    }

    /// <summary><see cref="Text"/> (after <paramref name="prefix"/>, such as EXPLAIN) with the query's values bound.</summary>
    public static NpgsqlCommand CreateCommand(NpgsqlConnection connection, AvailabilityQuery query, string prefix = "")
    {
        var command = new NpgsqlCommand(prefix + Text, connection);
        foreach (var argument in Arguments(query))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = argument });
        }

        return command;
    }
}
