using System.Net;
using System.Text.Json;

namespace ValDrome.Tests.Ogc;

/// <summary>
/// What GIS clients send on their own (issue 10, section 4): QGIS asks for the whole world as its
/// first bbox, and a datetime can name any year. Every collection answers, or refuses in French;
/// never a 500.
/// </summary>
public sealed class WholeWorldAndExtremeDatesTests(GisAccessSite fixture) : IClassFixture<GisAccessSite>
{
    private static readonly string[] LayerIds = ["communes", "equipements", "depots", "flux", "territoire", "prets", "maintenances"];

    public static TheoryData<string> Layers => [.. LayerIds];

    private async Task<HttpResponseMessage> GetAsync(string url) =>
        await (await fixture.As(GisAccessSite.Staff)).GetAsync(url);

    private async Task<long> MatchedAsync(string url)
    {
        using var response = await GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("numberMatched").GetInt64();
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public async Task The_whole_world_box_matches_every_feature_of_every_collection(string layer)
    {
        var all = await MatchedAsync($"/ogc/collections/{layer}/items");

        Assert.True(all > 0, $"{layer} is empty: the test would prove nothing.");
        Assert.Equal(all, await MatchedAsync($"/ogc/collections/{layer}/items?bbox=-180,-90,180,90"));
        Assert.Equal(all, await MatchedAsync($"/ogc/collections/{layer}/items?bbox=-90,-180,90,180&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326"));
        Assert.Equal(all, await MatchedAsync($"/ogc/collections/{layer}/items?bbox=-180,-90,0,180,90,0"));
    }

    [Theory]
    [InlineData("-180,-89,180,89", true)]
    [InlineData("-170,-90,170,90", true)]
    [InlineData("0,-90,180,90", true)]
    [InlineData("-179.5,-90,0.5,90", false)]
    [InlineData("-180,-90,-180,90", false)]
    [InlineData("170,-90,-170,90", false)]
    [InlineData("10,-90,-10,90", false)]
    [InlineData("4,-90,6,90", true)]
    public async Task Boxes_half_a_world_wide_or_more_are_answered_exactly(string bbox, bool holdsTheTerritory)
    {
        foreach (var layer in LayerIds)
        {
            var all = await MatchedAsync($"/ogc/collections/{layer}/items");

            var matched = await MatchedAsync($"/ogc/collections/{layer}/items?bbox={bbox}");

            Assert.Equal(holdsTheTerritory ? all : 0, matched);
        }
    }

    [Theory]
    [InlineData("9999-12-31")]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:30:00+01:00")]
    [InlineData("../9999-12-31")]
    [InlineData("0001-01-01/..")]
    [InlineData("1899-12-31T23:59:59Z/2026-01-01")]
    [InlineData("2026-01-01/2200-01-01")]
    [InlineData("2200-01-01T00:00:00Z")]
    public async Task Extreme_datetimes_are_a_french_400_on_every_collection(string datetime)
    {
        foreach (var layer in LayerIds)
        {
            using var response = await GetAsync($"/ogc/collections/{layer}/items?datetime={Uri.EscapeDataString(datetime)}");
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{layer} {datetime}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("« datetime »", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("1900-01-01/2199-12-31")]
    [InlineData("1900-01-01T00:00:00Z/..")]
    [InlineData("../2199-12-31T23:59:59Z")]
    public async Task Datetimes_at_the_edges_of_the_range_are_answered(string datetime)
    {
        foreach (var layer in LayerIds)
        {
            var all = await MatchedAsync($"/ogc/collections/{layer}/items");

            Assert.Equal(all, await MatchedAsync($"/ogc/collections/{layer}/items?datetime={Uri.EscapeDataString(datetime)}"));
        }
    }
}
