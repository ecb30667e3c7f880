using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace ValDrome.Domain.Communes;

/// <summary>Where a point placed by hand falls: the catalogue keeps only places inside the territory.</summary>
public static class TerritoryPoints
{
    /// <summary>
    /// A click on a commune's border may land a few metres outside its polygon (simplified
    /// boundaries): about 50 m of tolerance, in degrees since boundaries are stored as geometry.
    /// </summary>
    public const double ToleranceDegrees = 0.0005;

    /// <summary>The member commune the point lies in (or nearest, within the tolerance); null outside the territory. Runs in PostGIS.</summary>
    public static async Task<Commune?> CommuneAtAsync(ValDromeDb db, Point point, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(point);
        return await db.Communes
            .Where(c => c.IsCurrentMember && c.Boundary.IsWithinDistance(point, ToleranceDegrees))
            .OrderBy(c => c.Boundary.Distance(point))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Of many points (an imported spreadsheet), the indexes of those outside the territory, by the
    /// same rule as <see cref="CommuneAtAsync"/>: one query in PostGIS instead of one per point.
    /// </summary>
    public static async Task<IReadOnlySet<int>> OutsideAsync(ValDromeDb db, IReadOnlyList<Point> points, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return new HashSet<int>();
        }

        var xs = points.Select(p => p.X).ToArray();
        var ys = points.Select(p => p.Y).ToArray();
        var outside = await db.Database.SqlQuery<int>($"""
            SELECT (p.i - 1)::int AS "Value"
            FROM unnest({xs}, {ys}) WITH ORDINALITY AS p(x, y, i)
            WHERE NOT EXISTS (
                SELECT 1 FROM communes c
                WHERE c.is_current_member AND ST_DWithin(c.boundary, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326), {ToleranceDegrees}))
            """).ToListAsync(cancellationToken);
        return outside.ToHashSet();
    }

    /// <summary>A point from the form's longitude and latitude, or a French refusal naming <paramref name="field"/>.</summary>
    public static Point Parse(string? longitude, string? latitude, string field)
    {
        if (string.IsNullOrWhiteSpace(longitude) || string.IsNullOrWhiteSpace(latitude))
        {
            throw new RuleException("Placez le point sur la carte (ou donnez sa longitude et sa latitude).", field);
        }

        // Typed by hand with a decimal comma, or written by the map with a dot.
        if (!double.TryParse(longitude.Trim().Replace(',', '.'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x)
            || !double.TryParse(latitude.Trim().Replace(',', '.'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var y)
            || !double.IsFinite(x) || !double.IsFinite(y))
        {
            throw new RuleException($"« {Shorten(longitude)} ; {Shorten(latitude)} » ne sont pas des coordonnées (par exemple 4,9532 et 44,7411).", field);
        }

        if (x is < -180 or > 180 || y is < -90 or > 90)
        {
            throw new RuleException("Ces coordonnées n'existent pas : la longitude va de −180 à 180 et la latitude de −90 à 90.", field);
        }

        return new Point(Math.Round(x, 7), Math.Round(y, 7)) { SRID = 4326 };
    }

    private static string Shorten(string text) => text.Length > 20 ? text[..20] + "…" : text;

    public const string OutsideMessage = "Ce point est hors du territoire de la communauté : placez-le dans l'une de ses communes.";
}
