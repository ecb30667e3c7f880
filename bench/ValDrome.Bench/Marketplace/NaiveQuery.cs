using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Loans;

namespace ValDrome.Bench.Marketplace;

/// <summary>
/// The baseline: what one writes without the spatial index in mind. The geodesic distance to
/// every unit of the category, then the in-service, not-own, within-radius and free ones (the
/// same free test as the exclusion constraint), sorted by distance, the first ten.
/// </summary>
internal static class NaiveQuery
{
    public static async Task<IReadOnlyList<AvailableUnit>> FindAsync(ValDromeDb db, AvailabilityQuery query, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<AvailableUnit>(Sql(query)).ToListAsync(cancellationToken);

    public static FormattableString Sql(AvailabilityQuery query)
    {
        var exclude = query.ExcludeOwnerCommuneId ?? -1;
        // MATERIALIZED: every distance is computed before any filter, as the naive reading says.
        // Only the columns needed are kept, so the 20,000 rows of a category fit in work_mem.
        FormattableString sql = $"""
            WITH origin AS (SELECT ST_SetSRID(ST_MakePoint({query.Longitude}, {query.Latitude}), 4326)::geography AS point),
            every_unit AS MATERIALIZED (
                SELECT u.id, u.name, u.inventory_code, u.owner_commune_id, u.daily_rate, u.transport, u.status,
                       u.transport_margin_days_override, u.home_location,
                       ST_Distance(u.home_location, origin.point) AS distance_metres
                FROM equipment_units u CROSS JOIN origin
                WHERE u.category_id = {query.CategoryId})
            SELECT e.id AS unit_id, e.name, e.inventory_code, e.owner_commune_id,
                   oc.name AS owner_name, oc.insee AS owner_insee, e.daily_rate, e.transport, e.distance_metres,
                   ST_X(e.home_location::geometry) AS longitude, ST_Y(e.home_location::geometry) AS latitude
            FROM every_unit e
            JOIN equipment_categories c ON c.id = {query.CategoryId}
            LEFT JOIN communes oc ON oc.id = e.owner_commune_id
            WHERE e.status = 'InService'
              AND e.owner_commune_id IS DISTINCT FROM {exclude}
              AND e.distance_metres <= {query.RadiusMetres}
              AND NOT EXISTS (
                  SELECT 1 FROM unit_bookings b
                  WHERE b.unit_id = e.id AND b.is_active
                    AND b.period && daterange(
                        {query.FirstDay} - COALESCE(e.transport_margin_days_override, c.transport_margin_days),
                        {query.LastDay} + COALESCE(e.transport_margin_days_override, c.transport_margin_days) + 1, '[)'))
            ORDER BY e.distance_metres
            LIMIT {query.Limit}
            """;
        return sql;
    }
}
