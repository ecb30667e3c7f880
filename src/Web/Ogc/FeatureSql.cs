using System.Globalization;
using System.Text;
using ValDrome.Geo.Spatial;

namespace ValDrome.Web.Ogc;

/// <summary>A statement and its positional parameters ($1, $2…).</summary>
public sealed record SqlCommand(string Text, IReadOnlyList<object> Parameters);

/// <summary>
/// The SQL the API runs, built from a layer declaration and a validated request. Every spatial
/// predicate runs in PostGIS against the layer's GiST index (ADR 0002 and 0005):
/// geometry columns with <c>&amp;&amp; ST_MakeEnvelope</c> (inside <c>ST_Intersects</c>), geography
/// columns with <c>&amp;&amp;</c> against a geography cover of the box (<see cref="LonLatBox.ToGeographyCoverWkt"/>),
/// then the exact planar test in the bbox's own CRS.
/// </summary>
internal static class FeatureSql
{
    /// <summary>The count and the page of an <c>/items</c> request, sharing one WHERE clause.</summary>
    /// <param name="prefilter">
    /// For a Lambert-93 bbox, its lon/lat bounds (see <see cref="ProjectedBounds"/>); ignored for a geographic one.
    /// </param>
    /// <param name="scope">Whose share of a private layer to read (required for one, ignored for a public layer).</param>
    public static (SqlCommand Count, SqlCommand Page) Items(ItemsQuery query, LonLatBox? prefilter = null, GisScope? scope = null)
    {
        var layer = query.Layer;
        var parameters = new List<object>();
        var where = Where(query, prefilter, parameters, scope);
        var count = new SqlCommand($"SELECT count(*) FROM {layer.From}{where}", [.. parameters]);

        var order = new StringBuilder(" ORDER BY ");
        foreach (var key in query.SortBy)
        {
            order.Append(key.Property.Sql).Append(key.Descending ? " DESC, " : " ASC, ");
        }

        order.Append(layer.IdSql);
        var page = new StringBuilder("SELECT ").Append(Columns(layer, query.Properties, query.Crs))
            .Append(" FROM ").Append(layer.From).Append(where).Append(order)
            .Append(" LIMIT ").Append(Add(parameters, (long)query.Limit))
            .Append(" OFFSET ").Append(Add(parameters, (long)query.Offset));
        return (count, new SqlCommand(page.ToString(), parameters));
    }

    public static SqlCommand Item(FeatureLayer layer, long id, IReadOnlyList<LayerProperty> properties, OgcCrs crs, GisScope? scope = null)
    {
        var parameters = new List<object> { id };
        var inScope = ScopeCondition(layer, scope, parameters) is { } condition ? " AND " + condition : "";
        return new($"SELECT {Columns(layer, properties, crs)} FROM {layer.From} WHERE {layer.IdSql} = $1{inScope}", parameters);
    }

    /// <summary>
    /// The rows of a private layer the scope may read, as a condition (null: every row). Fails
    /// closed: a private layer read without a scope is a bug, not an empty filter.
    /// </summary>
    public static string? ScopeCondition(FeatureLayer layer, GisScope? scope, List<object> parameters)
    {
        if (layer.Private is not { } privacy)
        {
            return null;
        }

        if (scope is null || !scope.SeesPrivate)
        {
            throw new InvalidOperationException($"Layer {layer.Id} is private: it is read in a scope that sees it.");
        }

        return scope.All ? null : "(" + string.Format(CultureInfo.InvariantCulture, privacy.CommuneCondition, Add(parameters, scope.CommuneId!.Value)) + ")";
    }

    /// <summary>The layer's extent (CRS84) and, when it has a time, its first and last instants.</summary>
    public static SqlCommand Extent(FeatureLayer layer, GisScope? scope = null)
    {
        var parameters = new List<object>();
        var where = ScopeCondition(layer, scope, parameters) is { } condition ? " WHERE " + condition : "";
        var time = layer.Time is { } t ? $"min({t.StartSql}), max({t.EndSql ?? t.StartSql}), bool_or({(t.EndSql is null ? "false" : $"{t.EndSql} IS NULL")})" : "NULL::timestamptz, NULL::timestamptz, false";
        return new SqlCommand(
            $"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), t0, t1, open_end FROM (SELECT ST_Extent({GeometryOf(layer)}) AS e, {time} FROM {layer.From}{where}) AS s(e, t0, t1, open_end)",
            parameters);
    }

    /// <summary>
    /// The lon/lat bounds of a Lambert-93 box: its sides are densified before the transformation,
    /// since straight lines in Lambert-93 are curves in longitude and latitude.
    /// </summary>
    public static SqlCommand ProjectedBounds(BboxFilter bbox)
    {
        var side = Math.Max(bbox.X2 - bbox.X1, bbox.Y2 - bbox.Y1) / 64;
        return new SqlCommand(
            "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (SELECT ST_Transform(ST_Segmentize("
            + $"ST_MakeEnvelope($1, $2, $3, $4, {bbox.Crs.Srid}), $5), {Srid.Wgs84})::box2d AS b) AS s",
            [bbox.X1, bbox.Y1, bbox.X2, bbox.Y2, Math.Max(side, 1.0)]);
    }

    /// <summary>The layer's geometry as a planar SRID 4326 geometry (geography cast), for output and exact tests.</summary>
    public static string GeometryOf(FeatureLayer layer) =>
        layer.Geometry.Storage == GeometryStorage.Geography ? $"({layer.Geometry.Sql})::geometry" : layer.Geometry.Sql;

    /// <summary>The index-backed test "the layer's geometry may touch this lon/lat box".</summary>
    public static string Prefilter(FeatureLayer layer, LonLatBox box, List<object> parameters) =>
        layer.Geometry.Storage == GeometryStorage.Geography
            ? $"{layer.Geometry.Sql} && ST_GeogFromText({Add(parameters, box.ToGeographyCoverWkt())})"
            : $"{layer.Geometry.Sql} && {Envelope(box.West, box.South, box.East, box.North, Srid.Wgs84, parameters)}";

    private static string Columns(FeatureLayer layer, IReadOnlyList<LayerProperty> properties, OgcCrs crs)
    {
        // PostGIS writes the geometry's GeoJSON (ADR 0005): exterior rings counter-clockwise as
        // RFC 7946 asks, no "crs" member (options 0), decimals as the CRS wants. Only polygons are
        // reoriented: PostGIS 3.3's ST_ForcePolygonCCW also reverses lines, which have a direction.
        var geometry = layer.Geometry.Type.Contains("Polygon", StringComparison.Ordinal)
            ? $"ST_ForcePolygonCCW({GeometryOf(layer)})"
            : GeometryOf(layer);
        var output = crs switch
        {
            _ when crs == OgcCrs.Crs84 => geometry,
            _ when crs.Srid == Srid.Wgs84 && crs.LatitudeFirst => $"ST_FlipCoordinates({geometry})",
            _ => $"ST_Transform({geometry}, {crs.Srid.ToString(CultureInfo.InvariantCulture)})",
        };
        // As bytea (convert_to): Npgsql hands the UTF-8 bytes over as they are, with no string made of them.
        var columns = new StringBuilder($"({layer.IdSql})::int8, convert_to(ST_AsGeoJSON({output}, {crs.Decimals.ToString(CultureInfo.InvariantCulture)}, 0), 'UTF8')");
        foreach (var property in properties)
        {
            columns.Append(", ").Append(property.Sql);
        }

        return columns.ToString();
    }

    private static string Where(ItemsQuery query, LonLatBox? prefilter, List<object> parameters, GisScope? scope)
    {
        var layer = query.Layer;
        var conditions = new List<string>();
        if (ScopeCondition(layer, scope, parameters) is { } inScope)
        {
            conditions.Add(inScope);
        }

        if (query.Bbox is { } bbox)
        {
            conditions.Add(BboxCondition(layer, bbox, prefilter, parameters));
        }

        // A layer without time matches every datetime (Part 1, /req/core/fc-time-response C).
        if (query.Time is { } time && layer.Time is { } layerTime)
        {
            var end = layerTime.EndSql ?? layerTime.StartSql;
            if (time.End is { } to)
            {
                conditions.Add($"{layerTime.StartSql} <= {Add(parameters, to.UtcDateTime)}");
            }

            if (time.Start is { } from)
            {
                conditions.Add($"({end} IS NULL OR {end} >= {Add(parameters, from.UtcDateTime)})");
            }
        }

        foreach (var filter in query.Filters)
        {
            conditions.Add($"{filter.Property.Sql} = {Add(parameters, filter.Value)}");
        }

        return conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
    }

    private static string BboxCondition(FeatureLayer layer, BboxFilter bbox, LonLatBox? projectedBounds, List<object> parameters)
    {
        var geometry = GeometryOf(layer);
        if (bbox.Crs.IsGeographic)
        {
            var parts = bbox.ToLonLatBox().SplitAtAntimeridian().Select(box =>
                $"({Prefilter(layer, box, parameters)} AND ST_Intersects({geometry}, {Envelope(box.West, box.South, box.East, box.North, Srid.Wgs84, parameters)}))");
            return "(" + string.Join(" OR ", parts) + ")";
        }

        var bounds = projectedBounds ?? throw new InvalidOperationException("A projected bbox needs its lon/lat bounds.");
        return $"({Prefilter(layer, bounds, parameters)} AND ST_Intersects(ST_Transform({geometry}, {bbox.Crs.Srid.ToString(CultureInfo.InvariantCulture)}), "
            + $"{Envelope(bbox.X1, bbox.Y1, bbox.X2, bbox.Y2, bbox.Crs.Srid, parameters)}))";
    }

    private static string Envelope(double x1, double y1, double x2, double y2, int srid, List<object> parameters) =>
        $"ST_MakeEnvelope({Add(parameters, x1)}, {Add(parameters, y1)}, {Add(parameters, x2)}, {Add(parameters, y2)}, {srid.ToString(CultureInfo.InvariantCulture)})";

    private static string Add(List<object> parameters, object value)
    {
        parameters.Add(value);
        return "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
    }
}
