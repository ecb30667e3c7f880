using System.Globalization;
using System.Text.Json;
using ValDrome.Domain.Changes;
using ValDrome.Geo.Spatial;
using ValDrome.Web.Ogc;

namespace ValDrome.Web.Tiles;

/// <summary>
/// Mapbox vector tiles of the layers that declare <see cref="LayerTiles"/>, and a TileJSON 3.0.0
/// document per layer. Tiles are cached in memory under the data version of the layer's tables
/// (ADR 0005), gzip-compressed once, and served with a strong ETag.
/// </summary>
public static class VectorTiles
{
    public const string Prefix = "/tiles";
    public const string MediaType = "application/vnd.mapbox-vector-tile";

    public static IEndpointRouteBuilder MapVectorTiles(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix).AddEndpointFilter(OgcEndpoints.Guard);
        group.MapGet("/{layer}.json", TileJson);
        group.MapGet("/{layer}/{z}/{x}/{y}.pbf", Tile);
        group.MapMethods("/{**path}", [HttpMethods.Options], OgcEndpoints.Preflight);
        group.MapGet("/{**path}", OgcEndpoints.NoSuchResource);
        return endpoints;
    }

    /// <summary>The tile as the site serves it: cached bytes (empty for an empty tile) and their ETags.</summary>
    internal static async Task<CachedBody> GetTileAsync(
        FeatureLayer layer, WebMercatorTile tile, Operations.ReplicaReads dataSource, GisCache cache, DataVersions versions, CancellationToken cancellationToken,
        GisScope? scope = null)
    {
        // The version is read before the query (ADR 0005); the scope keeps a private layer's tiles within it (ADR 0011).
        var key = string.Create(CultureInfo.InvariantCulture, $"tile|{layer.Id}|{(layer.Private is null ? "public" : scope?.CacheKey)}|{tile.Z}/{tile.X}/{tile.Y}|{versions.Of(layer.Tables)}");
        if (cache.TryGet(key, out var body))
        {
            return body;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = FeatureQueries.CreateBatch(connection, TileSql.Tile(layer, tile, scope));
        var bytes = await batch.ExecuteScalarAsync(cancellationToken) as byte[] ?? [];
        body = OgcResponse.Prepare(bytes, MediaType, gzip: true);
        cache.Set(key, body);
        return body;
    }

    private static async Task Tile(
        HttpContext http,
        string layer,
        string z,
        string x,
        string y,
        FeatureLayerRegistry registry,
        Operations.ReplicaReads dataSource,
        GisCache cache,
        DataVersions versions,
        CancellationToken cancellationToken)
    {
        var definition = FindLayer(registry, layer);
        var scope = GisAccess.Require(http, definition);
        var tiles = definition.Tiles!;
        OgcParameters.RequireOnly(http.Request.Query, []);
        if (!int.TryParse(z, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var zoom)
            || !int.TryParse(x, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var column)
            || !int.TryParse(y, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var row))
        {
            throw OgcRequestException.BadRequest($"Une tuile s'adresse par trois entiers z/x/y (reçu « {z}/{x}/{y} »).");
        }

        if (zoom < tiles.MinZoom || zoom > tiles.MaxZoom)
        {
            throw OgcRequestException.NotFound($"La couche « {layer} » est servie des niveaux {tiles.MinZoom} à {tiles.MaxZoom} (reçu {zoom}).");
        }

        if (!WebMercatorTile.TryCreate(zoom, column, row, out var tile))
        {
            throw OgcRequestException.NotFound($"La tuile {zoom}/{column}/{row} est hors de la grille (x et y de 0 à {(1 << zoom) - 1} au niveau {zoom}).");
        }

        var body = await GetTileAsync(definition, tile, dataSource, cache, versions, cancellationToken, scope);
        if (body.Body.Length == 0)
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        await OgcResponse.SendAsync(http, body);
    }

    private static async Task TileJson(HttpContext http, string layer, FeatureLayerRegistry registry, Operations.ReplicaReads dataSource, CancellationToken cancellationToken)
    {
        var definition = FindLayer(registry, layer);
        GisAccess.Require(http, definition);
        var tiles = definition.Tiles!;
        OgcParameters.RequireOnly(http.Request.Query, []);
        var territory = registry.Find(FeatureLayers.Communes.Id) ?? definition;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var box = (await FeatureQueries.ReadExtentsAsync(connection, [territory], cancellationToken))[0].Box
            ?? new LonLatBox(-180, -WebMercatorTile.MaxLatitude, 180, WebMercatorTile.MaxLatitude);
        var site = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        var body = OgcResponse.WriteJson(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("tilejson", "3.0.0");
            writer.WriteString("name", $"ValDrome — {definition.Title}");
            writer.WriteString("description", definition.Description);
            writer.WriteString("version", "1.0.0");
            writer.WriteString("attribution", OgcDocuments.Attribution);
            writer.WriteString("scheme", "xyz");
            writer.WriteStartArray("tiles");
            writer.WriteStringValue(new OgcUrls(http.Request).Keyed($"{site}{Prefix}/{definition.Id}/{{z}}/{{x}}/{{y}}.pbf"));
            writer.WriteEndArray();
            writer.WriteNumber("minzoom", tiles.MinZoom);
            writer.WriteNumber("maxzoom", tiles.MaxZoom);
            WriteNumbers(writer, "bounds", Math.Round(box.West, 6), Math.Round(box.South, 6), Math.Round(box.East, 6), Math.Round(box.North, 6));
            WriteNumbers(writer, "center", Math.Round((box.West + box.East) / 2, 6), Math.Round((box.South + box.North) / 2, 6), 10);
            writer.WriteStartArray("vector_layers");
            writer.WriteStartObject();
            writer.WriteString("id", definition.Id);
            writer.WriteString("description", definition.Title);
            writer.WriteNumber("minzoom", tiles.MinZoom);
            writer.WriteNumber("maxzoom", tiles.MaxZoom);
            writer.WriteStartObject("fields");
            foreach (var name in tiles.Properties)
            {
                var property = definition.FindProperty(name)!;
                writer.WriteString(name, $"{property.Title} ({OgcHtml.TypeLabel(property.Type)})");
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        await OgcResponse.SendAsync(http, OgcResponse.Prepare(body, OgcResponse.Json));
    }

    private static FeatureLayer FindLayer(FeatureLayerRegistry registry, string id) =>
        registry.Find(id) is { Tiles: not null } layer
            ? layer
            : throw OgcRequestException.NotFound(
                $"Il n'y a pas de couche de tuiles « {id} ». Couches : {string.Join(", ", registry.Layers.Where(l => l.Tiles is not null).Select(l => l.Id))}.");

    private static void WriteNumbers(Utf8JsonWriter writer, string name, params double[] values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
    }
}
