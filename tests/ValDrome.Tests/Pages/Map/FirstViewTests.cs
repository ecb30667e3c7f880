using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using ValDrome.Domain.Seed;
using ValDrome.Geo.Spatial;
using ValDrome.Tests.Support;
using ValDrome.Web.Pages.Map;

namespace ValDrome.Tests.Pages.Map;

/// <summary>
/// /carte draws the map itself before any script (ADR 31): every commune a link coloured as the
/// interactive map's first indicator colours it, every unit reachable through a spot where it is kept.
/// </summary>
[Collection(SharedReadOnlySeededSite.Name)]
public sealed partial class FirstViewTests(ReadOnlySeededSite site)
{
    [GeneratedRegex("""<svg class="first-view".*?</svg>""", RegexOptions.Singleline)]
    private static partial Regex Picture();

    [GeneratedRegex("""<a href="(?<url>/communes/(?<insee>\d{5}))" aria-label="(?<label>[^"]+)"><path d="M[-0-9 lz M]+" fill="(?<fill>#[0-9a-f]{6})"(?<mine> class="mine")?>""")]
    private static partial Regex CommuneLink();

    [GeneratedRegex("""<a href="(?<url>[^"]+)" aria-label="(?<label>[^"]+)"><circle cx="-?\d+" cy="-?\d+"><title>[^<]+</title></circle><text x="-?\d+" y="-?\d+" aria-hidden="true">(?<count>\d+)</text></a>""")]
    private static partial Regex Spot();

    [GeneratedRegex("""<div class="map-filter" data-first-view="true">.*?<select id="map-category" name="categorie" disabled>.*?</div>""", RegexOptions.Singleline)]
    private static partial Regex FilterPlaceholder();

    [GeneratedRegex("""<option value="(?<name>[^"]+)">[^<]+ \((?<count>\d+)\)</option>""")]
    private static partial Regex FilterOption();

    [GeneratedRegex("""<script type="application/json" id="carte-materiel">(?<json>.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex UnitsBlock();

    private HttpClient Visitor() =>
        site.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    private static async Task<string> PictureAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        return Picture().Match(html) is { Success: true } picture ? picture.Value : throw new Xunit.Sdk.XunitException("/carte has no first view");
    }

    [Fact]
    public async Task Every_commune_is_a_link_to_its_page_and_every_unit_is_behind_one_spot()
    {
        using var visitor = Visitor();
        var picture = await PictureAsync(visitor, "/carte");

        var communes = CommuneLink().Matches(picture);
        Assert.Equal(36, communes.Select(c => c.Groups["insee"].Value).Distinct().Count());
        Assert.Contains(communes, c => c.Groups["label"].Value.StartsWith("Grane : ", StringComparison.Ordinal) && c.Groups["label"].Value.Contains("habitants", StringComparison.Ordinal));
        var spots = Spot().Matches(picture);
        Assert.Equal(DevelopmentSeed.UnitCount, spots.Sum(s => int.Parse(s.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture)));

        // One unit: its page; several kept together by one owner: that owner's units in the catalogue.
        Assert.All(spots, s => Assert.Matches(
            s.Groups["count"].Value == "1" ? "^/materiel/\\d+$" : "^/materiel\\?proprietaire=(\\d{5}|communaute)$", s.Groups["url"].Value));
        // The category filter map.js will make, shown in its place, not yet usable.
        using var response = await visitor.GetAsync("/carte");
        var html = await response.Content.ReadAsStringAsync();
        var filter = FilterPlaceholder().Match(html);
        Assert.True(filter.Success, "the page shows the category filter where map.js puts it");
        var options = FilterOption().Matches(filter.Value);
        Assert.Equal(DevelopmentSeed.UnitCount, options.Sum(o => int.Parse(o.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains($"{DevelopmentSeed.UnitCount}\u00a0matériels affichés", WebUtility.HtmlDecode(filter.Value), StringComparison.Ordinal);
        var names = options.Select(o => WebUtility.HtmlDecode(o.Groups["name"].Value)).ToList();
        Assert.Equal(names.Order(StringComparer.Create(new System.Globalization.CultureInfo("fr-FR"), System.Globalization.CompareOptions.IgnoreCase)), names);

        var grouped = spots.First(s => s.Groups["count"].Value != "1");
        using var catalogue = await visitor.GetAsync(WebUtility.HtmlDecode(grouped.Groups["url"].Value));
        Assert.Equal(HttpStatusCode.OK, catalogue.StatusCode);
        Assert.Equal(int.Parse(grouped.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture),
            Regex.Matches(await catalogue.Content.ReadAsStringAsync(), "href=\"/materiel/(\\d+)\"").Select(m => m.Groups[1].Value).Distinct().Count());
    }

    [Fact]
    public async Task With_quand_the_spots_hold_the_units_free_on_those_days_and_lead_to_them_free()
    {
        var first = site.App.Today.AddDays(10);
        var query = $"du={first:yyyy-MM-dd}&au={first.AddDays(2):yyyy-MM-dd}";
        using var visitor = Visitor();
        using var response = await visitor.GetAsync("/carte?" + query);
        var html = await response.Content.ReadAsStringAsync();
        var spots = Spot().Matches(Picture().Match(html).Value);

        using var units = JsonDocument.Parse(UnitsBlock().Match(html).Groups["json"].Value);
        Assert.Equal(units.RootElement.GetProperty("features").GetArrayLength(),
            spots.Sum(s => int.Parse(s.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(spots, s => Assert.EndsWith(
            s.Groups["count"].Value == "1" ? "?" + query : "&" + query + "&libres=true", WebUtility.HtmlDecode(s.Groups["url"].Value), StringComparison.Ordinal));
        Assert.Contains(spots, s => s.Groups["label"].Value.Contains(" libres : ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_signed_in_agents_commune_is_outlined_and_named_as_theirs()
    {
        using var agent = await site.App.SignedInAsync(DevelopmentAccounts.AgentOf("26144"));
        var picture = await PictureAsync(agent, "/carte");

        var mine = Assert.Single(CommuneLink().Matches(picture), c => c.Groups["mine"].Success);
        Assert.Equal("26144", mine.Groups["insee"].Value);
        Assert.StartsWith("Grane (votre commune) : ", mine.Groups["label"].Value, StringComparison.Ordinal);
        Assert.DoesNotContain(CommuneLink().Matches(await PictureAsync(Visitor(), "/carte")), c => c.Groups["mine"].Success);
    }

    [Fact]
    public void Communes_are_coloured_by_the_population_classes_of_the_interactive_map()
    {
        // map.js's quantileClasses: five classes of equal counts; bounds that repeat are merged.
        Assert.Equal([20, 40, 60, 80, 100], FirstView.QuantileUppers([100, 90, 80, 70, 60, 50, 40, 30, 20, 10], 5));
        Assert.Equal([5, 100], FirstView.QuantileUppers([5, 5, 5, 5, 100], 5));

        var view = FirstView.Of([Commune(1, "Petite", 5, 5.00), Commune(2, "Moyenne", 5, 5.02), Commune(3, "Grande", 100, 5.04)], [], null, null);

        // Two classes: the palette's two ends, as map.js's paletteFor spreads them.
        Assert.Equal("#f1f5fa", view.Communes.Single(c => c.Name == "Petite").Fill);
        Assert.Equal("#5485b8", view.Communes.Single(c => c.Name == "Grande").Fill);
    }

    [Fact]
    public void Where_names_would_overlap_the_signed_in_commune_then_the_most_populated_are_written()
    {
        // Five narrow communes side by side: one name fits on their middle, one above and one below.
        MapCommune[] communes = [.. Enumerable.Range(1, 5).Select(i => Commune(i, $"Commune numéro {i}", 1000 - i, 5 + (i * 0.001)))];

        var anonymous = FirstView.Of(communes, [], null, null);
        var agent = FirstView.Of(communes, [], "5", null);

        Assert.Equal(["Commune numéro 1", "Commune numéro 2", "Commune numéro 3"], Written(anonymous, c => c.Narrow));
        Assert.Equal(["Commune numéro 1", "Commune numéro 2", "Commune numéro 3"], Written(anonymous, c => c.Wide));
        Assert.Equal(["Commune numéro 1", "Commune numéro 2", "Commune numéro 5 (votre commune)"], Written(agent, c => c.Narrow));
        Assert.Equal(3, anonymous.Communes.Where(c => c.Narrow is not null).Select(c => c.Narrow!.Y).Distinct().Count());

        // Drawn last, over its neighbours' outlines.
        Assert.True(agent.Communes[^1].Mine);
    }

    private static string[] Written(FirstView view, Func<FirstView.Area, FirstView.Placement?> at) =>
        [.. view.Communes.Where(c => at(c) is not null).Select(c => c.Name).Order(StringComparer.Ordinal)];

    private static MapCommune Commune(long id, string name, int population, double west) =>
        new(id,
            Geometries.Factory.CreateMultiPolygon([Geometries.Factory.CreatePolygon(
                [new(west, 44.7), new(west + 0.001, 44.7), new(west + 0.001, 44.8), new(west, 44.8), new(west, 44.7)])]),
            new MapData.CommuneProperties($"26{id:000}", name, population, 0, $"/communes/26{id:000}"));
}
