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
    /// included, nearest first. Runs in PostGIS: a KNN scan (<c>&lt;-&gt;</c>) of the
    /// (category, location) GiST index, each candidate checked against the bookings' GiST index,
    /// stopping at <see cref="AvailabilityQuery.Limit"/> rows: the catalogue is never loaded.
    /// The free test is the exclusion constraint's own: the unit's active bookings must not
    /// overlap [first − margin, last + margin + 1).
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
    public static FormattableString Sql(AvailabilityQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var exclude = query.ExcludeOwnerCommuneId ?? -1;
        var unitId = query.UnitId ?? -1;
        return $"""
            WITH origin AS (SELECT ST_SetSRID(ST_MakePoint({query.Longitude}, {query.Latitude}), 4326)::geography AS point)
            SELECT u.id AS unit_id, u.name, u.inventory_code, u.owner_commune_id,
                   oc.name AS owner_name, oc.insee AS owner_insee, u.daily_rate, u.transport,
                   ST_Distance(u.home_location, origin.point) AS distance_metres,
                   ST_X(u.home_location::geometry) AS longitude, ST_Y(u.home_location::geometry) AS latitude
            FROM equipment_units u
            CROSS JOIN origin
            JOIN equipment_categories c ON c.id = u.category_id
            LEFT JOIN communes oc ON oc.id = u.owner_commune_id
            WHERE u.category_id = {query.CategoryId}
              AND u.status = 'InService'
              AND ({unitId} = -1 OR u.id = {unitId})
              AND u.owner_commune_id IS DISTINCT FROM {exclude}
              AND ST_DWithin(u.home_location, origin.point, {query.RadiusMetres})
              AND NOT EXISTS (
                  SELECT 1 FROM unit_bookings b
                  WHERE b.unit_id = u.id AND b.is_active
                    AND b.period && daterange(
                        {query.FirstDay} - COALESCE(u.transport_margin_days_override, c.transport_margin_days),
                        {query.LastDay} + COALESCE(u.transport_margin_days_override, c.transport_margin_days) + 1, '[)'))
            ORDER BY u.home_location <-> origin.point
            LIMIT {query.Limit}
            """;
    }
}
