using Microsoft.OpenApi.Models;
using Microsoft.OpenApi.Readers;

namespace ValDrome.Tests.Ogc;

/// <summary>/ats/core/api-definition-op and oas30: the hand-written definition parses as valid OpenAPI 3.0 and names every parameter.</summary>
[Collection(SharedGisSite.Name)]
public sealed class OpenApiTests(GisSite site) : IDisposable
{
    private readonly HttpClient _client = site.CreateClient();

    public void Dispose() => _client.Dispose();

    private async Task<OpenApiDocument> ReadAsync()
    {
        using var response = await _client.GetAsync("/ogc/api");
        Assert.Equal("application/vnd.oai.openapi+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "3.0");
        await using var stream = await response.Content.ReadAsStreamAsync();
        var document = new OpenApiStreamReader().Read(stream, out var diagnostic);
        Assert.Empty(diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Equal(Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_0, diagnostic.SpecificationVersion);
        return document;
    }

    [Fact]
    public async Task Definition_is_valid_openapi_3_0_with_every_path_of_the_api()
    {
        var document = await ReadAsync();

        Assert.Equal(site.OgcRoot, document.Servers.Single().Url);
        string[] expected =
        [
            "/", "/conformance", "/api", "/collections",
            "/collections/communes", "/collections/communes/items", "/collections/communes/items/{featureId}", "/collections/communes/queryables",
            "/collections/equipements", "/collections/equipements/items", "/collections/equipements/items/{featureId}",
            "/collections/depots", "/collections/depots/items",
        ];
        Assert.All(expected, path => Assert.True(document.Paths.ContainsKey(path), path));
        Assert.All(document.Paths.Values, path => Assert.Contains("400", path.Operations[OperationType.Get].Responses.Keys));
    }

    [Fact]
    public async Task Items_operation_names_every_accepted_parameter_with_its_limits()
    {
        var document = await ReadAsync();

        var items = document.Paths["/collections/equipements/items"].Operations[OperationType.Get];
        var names = items.Parameters.Select(p => p.Name).ToList();
        Assert.Equal(
            ["f", "limit", "offset", "bbox", "bbox-crs", "datetime", "properties", "sortby", "crs",
                "code_inventaire", "categorie", "proprietaire", "proprietaire_insee", "statut", "tarif_journalier", "transport"],
            names);
        var limit = items.Parameters.Single(p => p.Name == "limit").Schema;
        Assert.Equal(1, limit.Minimum);
        Assert.Equal(1000, limit.Maximum);
        Assert.Equal("integer", limit.Type);
        var bbox = items.Parameters.Single(p => p.Name == "bbox");
        Assert.Equal((4, 6), (bbox.Schema.MinItems, bbox.Schema.MaxItems));
        Assert.False(bbox.Explode);
        Assert.Equal(3, items.Parameters.Single(p => p.Name == "crs").Schema.Enum.Count);
        Assert.Contains("application/geo+json", items.Responses["200"].Content.Keys);

        var feature = document.Paths["/collections/communes/items/{featureId}"].Operations[OperationType.Get];
        Assert.True(feature.Parameters.Single(p => p.Name == "featureId").Required);
        Assert.Equal(ParameterLocation.Path, feature.Parameters.Single(p => p.Name == "featureId").In);
    }

    [Fact]
    public async Task Service_doc_is_a_french_html_page_of_the_same_operations()
    {
        var document = await ReadAsync();
        var html = System.Net.WebUtility.HtmlDecode(await _client.GetStringAsync("/ogc/api?f=html"));

        Assert.Contains("<html lang=\"fr\">", html);
        Assert.Contains("Documentation de l'API", html);
        Assert.All(document.Paths.Keys, path => Assert.Contains($"GET {path}</code>", html));
    }
}
