using Microsoft.EntityFrameworkCore;

namespace ValDrome.Domain.Loans;

/// <summary>What a borrower asks for: a kind of unit (or one unit) for whole days, near a point.</summary>
/// <param name="ExcludeOwnerCommuneId">The borrowing commune: its own units are not proposed to it.</param>
/// <param name="RadiusMetres">Search no further than this (the answer says so when nothing is found).</param>
public sealed record AvailabilityQuery(
    int CategoryId,
    double Longitude,
    double Latitude,
    DateOnly FirstDay,
    DateOnly LastDay,
    int? ExcludeOwnerCommuneId,
    double RadiusMetres,
    int Limit = 10,
    int? UnitId = null);

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
    /// of the (category, location) GiST index bounded by the radius, each candidate checked
    /// against its bookings in the (unit, period end) index, stopping at
    /// <see cref="AvailabilityQuery.Limit"/> rows: the catalogue is never loaded. The free test
    /// is the exclusion constraint's own: no active booking of the unit overlaps
    /// [first − margin, last + margin + 1). See <see cref="Sql"/> for how each part keeps the
    /// plan index-driven on a national catalogue (bench/README.md).
    /// </summary>
    public static async Task<IReadOnlyList<AvailableUnit>> FindAsync(ValDromeDb db, AvailabilityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        return await db.Database.SqlQuery<AvailableUnit>(Sql(query)).ToListAsync(cancellationToken);
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
    /// The query itself, exposed so that tests can read its plan with EXPLAIN. Its columns are
    /// snake_case: the naming convention maps them onto <see cref="AvailableUnit"/>.
    /// </summary>
    /// <remarks>
    /// Three choices keep it a short index walk on a million units and ten million bookings:
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
    /// <item>The free test reads the bookings of the unit that end after the wanted period starts
    /// (every booking that overlaps it does) from <c>ix_unit_bookings_active_unit_id_period_end</c>:
    /// one B-tree descent, answered from the index alone, where probing the exclusion
    /// constraint's GiST index costs several times more. The overlap test itself is unchanged.</item>
    /// </list>
    /// The owner's name is read for the returned rows only.
    /// </remarks>
    public static FormattableString Sql(AvailabilityQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var exclude = query.ExcludeOwnerCommuneId ?? -1;
        var unitId = query.UnitId ?? -1;
        return $"""
            WITH origin AS (SELECT ST_SetSRID(ST_MakePoint({query.Longitude}, {query.Latitude}), 4326)::geography AS point)
            SELECT u.id AS unit_id, u.name, u.inventory_code, u.owner_commune_id,
                   (SELECT oc.name FROM communes oc WHERE oc.id = u.owner_commune_id) AS owner_name,
                   (SELECT oc.insee FROM communes oc WHERE oc.id = u.owner_commune_id) AS owner_insee,
                   u.daily_rate, u.transport,
                   ST_Distance(u.home_location, origin.point) AS distance_metres,
                   ST_X(u.home_location::geometry) AS longitude, ST_Y(u.home_location::geometry) AS latitude
            FROM equipment_units u
            CROSS JOIN origin
            JOIN equipment_categories c ON c.id = u.category_id
            CROSS JOIN LATERAL (SELECT daterange(
                {query.FirstDay} - COALESCE(u.transport_margin_days_override, c.transport_margin_days),
                {query.LastDay} + COALESCE(u.transport_margin_days_override, c.transport_margin_days) + 1, '[)') AS period) wanted
            CROSS JOIN LATERAL (
                SELECT bool_or(b.period && wanted.period) AS overlaps FROM unit_bookings b
                WHERE b.unit_id = u.id AND b.is_active AND upper(b.period) > lower(wanted.period)) booked
            WHERE u.category_id = {query.CategoryId}
              AND u.status = 'InService'
              AND ({unitId} = -1 OR u.id = {unitId})
              AND u.owner_commune_id IS DISTINCT FROM {exclude}
              AND u.home_location && _ST_Expand(origin.point, {query.RadiusMetres})
              AND (u.home_location <-> origin.point <= {query.RadiusMetres} * 0.99
                   OR (u.home_location <-> origin.point <= {query.RadiusMetres} * 1.01
                       AND ST_Distance(u.home_location, origin.point) <= {query.RadiusMetres}))
              AND booked.overlaps IS NOT TRUE
            ORDER BY u.home_location <-> origin.point
            LIMIT {query.Limit}
            """;
    }
}
