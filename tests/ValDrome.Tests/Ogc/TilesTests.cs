using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ValDrome.Geo.Spatial;

namespace ValDrome.Tests.Ogc;

[Collection(SharedGisSite.Name)]
public sealed class TilesTests(GisSite site) : IDisposable
{
    private static readonly WebMercatorTile Eurre = WebMercatorTile.Containing(4.9912, 44.7606, 12);

    private readonly HttpClient _client = site.CreateClient();

    public void Dispose() => _client.Dispose();

    private static string TileUrl(string layer, WebMercatorTile tile) => $"/tiles/{layer}/{tile.Z}/{tile.X}/{tile.Y}.pbf";

    [Fact]
    public async Task Tile_is_a_mapbox_vector_tile_with_a_strong_etag_and_304()
    {
        using var first = await _client.GetAsync(TileUrl("communes", Eurre));
        var bytes = await first.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/vnd.mapbox-vector-tile", first.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(bytes);
        Assert.Equal(0x1a, bytes[0]); // field 3 (layers), length-delimited
        Assert.False(first.Headers.ETag!.IsWeak);
        Assert.Equal("*", first.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var request = new HttpRequestMessage(HttpMethod.Get, TileUrl("communes", Eurre));
        request.Headers.IfNoneMatch.Add(first.Headers.ETag);
        using var second = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Tile_is_gzipped_for_clients_that_accept_it_under_its_own_etag()
    {
        using var plain = await _client.GetAsync(TileUrl("communes", Eurre));
        using var request = new HttpRequestMessage(HttpMethod.Get, TileUrl("communes", Eurre));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var zipped = await _client.SendAsync(request);

        Assert.Equal("gzip", zipped.Content.Headers.ContentEncoding.Single());
        Assert.Contains("Accept-Encoding", zipped.Headers.Vary);
        Assert.NotEqual(plain.Headers.ETag, zipped.Headers.ETag);
        await using var gzip = new GZipStream(await zipped.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        await gzip.CopyToAsync(inflated);
        Assert.Equal(await plain.Content.ReadAsByteArrayAsync(), inflated.ToArray());
        Assert.True(zipped.Content.Headers.ContentLength < inflated.Length);
    }

    [Fact]
    public async Task Empty_tile_is_204()
    {
        using var response = await _client.GetAsync(TileUrl("depots", WebMercatorTile.Containing(-1.55, 47.2, 10)));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/tiles/communes/17/0/0.pbf", HttpStatusCode.NotFound)]
    [InlineData("/tiles/communes/12/4096/0.pbf", HttpStatusCode.NotFound)]
    [InlineData("/tiles/communes/12/0/-1.pbf", HttpStatusCode.NotFound)]
    [InlineData("/tiles/communes/-1/0/0.pbf", HttpStatusCode.NotFound)]
    [InlineData("/tiles/fusees/12/2104/1477.pbf", HttpStatusCode.NotFound)]
    [InlineData("/tiles/fusees.json", HttpStatusCode.NotFound)]
    [InlineData("/tiles/communes/douze/0/0.pbf", HttpStatusCode.BadRequest)]
    [InlineData("/tiles/communes/12/2104/1477.5.pbf", HttpStatusCode.BadRequest)]
    [InlineData("/tiles/communes/99999999999/0/0.pbf", HttpStatusCode.BadRequest)]
    [InlineData("/tiles/communes/12/2104/1477.pbf?v=2", HttpStatusCode.BadRequest)]
    [InlineData("/tiles/communes/metadata.json", HttpStatusCode.NotFound)]
    public async Task Tile_outside_the_grid_or_malformed_is_refused_with_a_french_problem(string url, HttpStatusCode expected)
    {
        using var response = await _client.GetAsync(url);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()));
    }

    [Theory]
    [InlineData("communes", new[] { "insee", "nom", "population", "materiels" })]
    [InlineData("equipements", new[] { "nom", "categorie", "proprietaire", "statut", "tarif_journalier" })]
    [InlineData("depots", new[] { "nom", "adresse", "commune" })]
    public async Task Tilejson_describes_the_layer_its_fields_and_the_territory(string layer, string[] fields)
    {
        using var response = await _client.GetAsync($"/tiles/{layer}.json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;

        Assert.Equal("3.0.0", root.GetProperty("tilejson").GetString());
        Assert.Equal(new Uri(site.BaseAddress, $"/tiles/{layer}/{{z}}/{{x}}/{{y}}.pbf").ToString(), root.GetProperty("tiles")[0].GetString());
        Assert.Equal("Limites : IGN ADMIN EXPRESS, INSEE, DGCL — Licence Ouverte 2.0", root.GetProperty("attribution").GetString());
        Assert.Equal(0, root.GetProperty("minzoom").GetInt32());
        Assert.Equal(16, root.GetProperty("maxzoom").GetInt32());
        var bounds = root.GetProperty("bounds").EnumerateArray().Select(b => b.GetDouble()).ToArray();
        Assert.Equal(await site.Database.ScalarAsync<double>("SELECT ST_XMin(ST_Extent(boundary)) FROM communes"), bounds[0], 5);
        Assert.Equal(await site.Database.ScalarAsync<double>("SELECT ST_YMax(ST_Extent(boundary)) FROM communes"), bounds[3], 5);
        var vectorLayer = root.GetProperty("vector_layers").EnumerateArray().Single();
        Assert.Equal(layer, vectorLayer.GetProperty("id").GetString());
        Assert.Equal(fields, vectorLayer.GetProperty("fields").EnumerateObject().Select(f => f.Name));
        Assert.All(vectorLayer.GetProperty("fields").EnumerateObject(), f => Assert.Equal(JsonValueKind.String, f.Value.ValueKind));
    }
}
