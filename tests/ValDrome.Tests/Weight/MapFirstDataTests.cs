using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using NetTopologySuite.Geometries;
using ValDrome.Domain.Seed;
using ValDrome.Tests.Support;
using ValDrome.Web.Pages.Map;

namespace ValDrome.Tests.Weight;

/// <summary>
/// /carte carries the first answer of its two layers in the page itself (ADR 31): on a slow line
/// the two GeoJSON requests came after the scripts, a round trip more. What the page carries is
/// word for word what the public URLs give the same visitor, no more.
/// </summary>
[Collection(SharedReadOnlySeededSite.Name)]
public sealed partial class MapFirstDataTests(ReadOnlySeededSite site)
{
    private HttpClient Visitor() =>
        site.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    [GeneratedRegex("""<script type="application/json" id="(?<id>[a-z-]+)">(?<json>.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex DataBlock();

    private static Dictionary<string, string> Blocks(string html) =>
        DataBlock().Matches(html).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["json"].Value);

    private static async Task<string> BodyAsync(HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task The_map_page_carries_both_layers_exactly_as_their_public_urls_give_them()
    {
        using var visitor = Visitor();
        var html = await BodyAsync(visitor, "/carte");
        var blocks = Blocks(html);

        Assert.Contains("data-communes-inline=\"carte-communes\"", html, StringComparison.Ordinal);
        Assert.Contains("data-units-inline=\"carte-materiel\"", html, StringComparison.Ordinal);
        Assert.Equal(await BodyAsync(visitor, MapData.CommunesUrl), blocks["carte-communes"]);
        Assert.Equal(await BodyAsync(visitor, MapData.UnitsUrl), blocks["carte-materiel"]);
        using var communes = JsonDocument.Parse(blocks["carte-communes"]);
        Assert.Equal(36, communes.RootElement.GetProperty("features").GetArrayLength());
        using var units = JsonDocument.Parse(blocks["carte-materiel"]);
        Assert.Equal(DevelopmentSeed.UnitCount, units.RootElement.GetProperty("features").GetArrayLength());
    }

    [Fact]
    public async Task With_quand_the_page_carries_the_units_free_on_those_days_as_the_filtered_url_gives_them()
    {
        var first = site.App.Today.AddDays(10);
        var query = $"du={first:yyyy-MM-dd}&au={first.AddDays(2):yyyy-MM-dd}";
        using var visitor = Visitor();
        var blocks = Blocks(await BodyAsync(visitor, "/carte?" + query));

        var units = await BodyAsync(visitor, MapData.UnitsUrl + "?" + query);
        Assert.Equal(units, blocks["carte-materiel"]);
        Assert.Contains("\"disponibilite\":", units, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_agent_gets_the_same_public_layers_and_their_commune_outlined()
    {
        using var agent = await site.App.SignedInAsync(DevelopmentAccounts.AgentOf("26144"));
        using var response = await agent.GetAsync("/carte");
        var html = await response.Content.ReadAsStringAsync();
        var blocks = Blocks(html);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Age);
        Assert.Matches("data-my-commune=\"[0-9]+\"", html);
        using var visitor = Visitor();
        Assert.Equal(await BodyAsync(visitor, MapData.CommunesUrl), blocks["carte-communes"]);
        Assert.Equal(await BodyAsync(visitor, MapData.UnitsUrl), blocks["carte-materiel"]);
        // Nor is the agent's page kept for the next anonymous visitor.
        Assert.DoesNotMatch("data-my-commune=\"[0-9]+\"", await BodyAsync(visitor, "/carte"));
    }

    [Fact]
    public async Task Unreadable_days_still_draw_every_unit_with_a_french_message()
    {
        using var visitor = Visitor();
        var html = await BodyAsync(visitor, "/carte?du=demain", HttpStatusCode.BadRequest);

        Assert.Equal(await BodyAsync(visitor, MapData.UnitsUrl), Blocks(html)["carte-materiel"]);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_cannot_close_the_script_element_that_carries_it()
    {
        var point = new Point(5.0, 44.7) { SRID = 4326 };
        var layer = new GeoJsonResult<MapData.CommuneProperties>(
            [(1L, point, new MapData.CommuneProperties("26000", "</script><script>alert(1)</script> & <!--", 1, 0, "/communes/26000"))]);

        var json = layer.ToJson();

        Assert.DoesNotContain("<", json, StringComparison.Ordinal);
        Assert.DoesNotContain(">", json, StringComparison.Ordinal);
        using var parsed = JsonDocument.Parse(json);
        Assert.Equal("</script><script>alert(1)</script> & <!--",
            parsed.RootElement.GetProperty("features")[0].GetProperty("properties").GetProperty("nom").GetString());
    }

    [GeneratedRegex("(?:src|href)=\"(?<url>/(?:carte|lib/leaflet)/carte\\.[0-9a-f]{12}\\.(?:js|css))\"")]
    private static partial Regex BundleUrl();

    [Fact]
    public async Task A_signed_in_visitors_map_asks_for_one_script_and_one_stylesheet_of_its_own_compressed_and_kept_for_a_year()
    {
        // Their pages are not compressed (BREACH): the map's files stay apart, cached.
        using var agent = await site.App.SignedInAsync(DevelopmentAccounts.AgentOf("26144"));
        var html = await BodyAsync(agent, "/carte");
        using var visitor = Visitor();
        var urls = BundleUrl().Matches(html).Select(m => m.Groups["url"].Value).ToList();

        Assert.Equal(2, urls.Count);
        Assert.DoesNotContain("<style>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("L.markerClusterGroup", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/lib/leaflet/leaflet", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/js/map", html, StringComparison.Ordinal);
        foreach (var url in urls)
        {
            using var plain = await visitor.GetAsync(url);
            var text = await plain.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
            Assert.Contains("immutable", plain.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
            Assert.Empty(plain.Content.Headers.ContentEncoding);
            foreach (var coding in new[] { "br", "gzip" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Add("Accept-Encoding", coding);
                using var compressed = await visitor.SendAsync(request);
                var bytes = await compressed.Content.ReadAsByteArrayAsync();
                Assert.Equal(coding, Assert.Single(compressed.Content.Headers.ContentEncoding));
                Assert.True(bytes.Length * 3 < System.Text.Encoding.UTF8.GetByteCount(text), $"{url} in {coding}: {bytes.Length} bytes");
                await using var decoder = coding == "br"
                    ? (Stream)new System.IO.Compression.BrotliStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress)
                    : new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
                using var reader = new StreamReader(decoder);
                Assert.Equal(text, await reader.ReadToEndAsync());
            }
        }

        // Leaflet's stylesheet finds its images next to it, as it did from /lib/leaflet/leaflet.css.
        var style = urls.Single(u => u.EndsWith(".css", StringComparison.Ordinal));
        Assert.StartsWith("/lib/leaflet/", style, StringComparison.Ordinal);
        using var image = await visitor.GetAsync("/lib/leaflet/images/layers.png");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
    }

    [Fact]
    public async Task A_bundle_of_another_version_is_not_found()
    {
        using var visitor = Visitor();
        using var script = await visitor.GetAsync("/carte/carte.0123456789ab.js");
        using var style = await visitor.GetAsync("/lib/leaflet/carte.0123456789ab.css");

        Assert.Equal(HttpStatusCode.NotFound, script.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, style.StatusCode);
    }

    [GeneratedRegex("<script>(?<text>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();

    [GeneratedRegex("<style>(?<text>.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex InlineStyle();

    private static string Hash(string text) =>
        $"'sha256-{Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))}'";

    private static string[] Sources(string policy, string directive) =>
        policy.Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith(directive + " ", StringComparison.Ordinal)).Split(' ')[1..];

    [Fact]
    public async Task Without_a_session_the_map_page_asks_for_its_script_alone_and_its_policy_allows_exactly_the_texts_it_carries()
    {
        using var visitor = Visitor();
        using var response = await visitor.GetAsync("/carte");
        var html = await response.Content.ReadAsStringAsync();
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));

        // One file: the map's script, named in the headers and compiled as it comes.
        Assert.DoesNotContain("<link rel=\"stylesheet\"", html, StringComparison.Ordinal);
        var external = Regex.Matches(html, "<script src=\"(?<url>[^\"]+)\"").Select(m => m.Groups["url"].Value).ToList();
        Assert.Matches("^/carte/carte\\.[0-9a-f]{12}\\.js$", Assert.Single(external));
        Assert.Equal($"<{external[0]}>; rel=preload; as=script", response.Headers.GetValues("Link").Single());
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        var scripts = InlineScript().Matches(html).Select(m => Hash(m.Groups["text"].Value)).ToList();
        var styles = InlineStyle().Matches(html).Select(m => Hash(m.Groups["text"].Value)).ToList();
        // The layout's menu and page actions; one stylesheet: the layout's, Leaflet's and the map's.
        Assert.Equal(2, scripts.Count);
        Assert.Single(styles);
        Assert.Equal(["'self'", .. scripts.Order(StringComparer.Ordinal)], ["'self'", .. Sources(policy, "script-src").Skip(1).Order(StringComparer.Ordinal)]);
        Assert.Equal(["'self'", .. styles], Sources(policy, "style-src"));
        Assert.Contains(".leaflet-container", html, StringComparison.Ordinal);
        Assert.Contains(".site-header", html, StringComparison.Ordinal);

        // Leaflet's stylesheet names its images from its own folder; they are still found there.
        Assert.Contains("url(/lib/leaflet/images/layers.png)", html, StringComparison.Ordinal);
        using var image = await visitor.GetAsync("/lib/leaflet/images/layers.png");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
    }

    [Fact]
    public async Task The_other_pages_keep_the_layouts_files_cached_and_a_policy_without_inline_text()
    {
        using var visitor = Visitor();
        using var response = await visitor.GetAsync("/materiel");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Matches("<link rel=\"stylesheet\" href=\"/css/site[^\"]*\\.css", html);
        Assert.Contains("<script src=\"/js/menu.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style>", html, StringComparison.Ordinal);
        Assert.Empty(InlineScript().Matches(html));
        Assert.Equal(ValDrome.Web.Security.SecurityHeaders.ContentSecurityPolicy, string.Join(' ', response.Headers.GetValues("Content-Security-Policy")));
    }
}
