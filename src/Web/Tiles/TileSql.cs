using System.Text;
using ValDrome.Geo.Spatial;
using ValDrome.Web.Ogc;

namespace ValDrome.Web.Tiles;

/// <summary>
/// One Mapbox vector tile of a layer, made by PostGIS: <c>ST_AsMVTGeom</c> clips and quantises
/// each geometry (web-mercator) to the tile's <c>ST_TileEnvelope</c>, <c>ST_AsMVT</c> encodes the
/// rows. The WHERE clause is the layer's index-backed prefilter on the tile's lon/lat bounds,
/// buffer included (<see cref="FeatureSql.Prefilter"/>).
/// </summary>
internal static class TileSql
{
    public const int Extent = 4096;
    public const int Buffer = 64;

    public static SqlCommand Tile(FeatureLayer layer, WebMercatorTile tile, GisScope? scope = null)
    {
        var tiles = layer.Tiles ?? throw new InvalidOperationException($"Layer {layer.Id} has no tiles.");
        var parameters = new List<object> { tile.Z, tile.X, tile.Y };
        var columns = new StringBuilder();
        foreach (var name in tiles.Properties)
        {
            var property = layer.FindProperty(name) ?? throw new InvalidOperationException($"Layer {layer.Id} has no property {name}.");

            // MVT values are strings, numbers and booleans: numeric becomes float8, dates text.
            var cast = property.Type switch
            {
                PropertyType.Number => "::float8",
                PropertyType.WholeNumber => "::int8",
                PropertyType.Date or PropertyType.DateTime => "::text",
                _ => "",
            };
            columns.Append(", (").Append(property.Sql).Append(')').Append(cast).Append(" AS \"").Append(property.Name).Append('"');
        }

        var prefilter = FeatureSql.Prefilter(layer, tile.Bounds((double)Buffer / Extent), parameters);
        if (FeatureSql.ScopeCondition(layer, scope, parameters) is { } inScope)
        {
            prefilter += " AND " + inScope;
        }

        var text = $"SELECT ST_AsMVT(t, {Sql.Literal(layer.Id)}, {Extent}, 'geom', 'id') FROM ("
            + $"SELECT ({layer.IdSql})::int8 AS id, ST_AsMVTGeom(ST_Transform({FeatureSql.GeometryOf(layer)}, 3857), "
            + $"ST_TileEnvelope($1, $2, $3), {Extent}, {Buffer}, true) AS geom{columns} "
            + $"FROM {layer.From} WHERE {prefilter}) AS t WHERE t.geom IS NOT NULL";
        return new SqlCommand(text, parameters);
    }
}
