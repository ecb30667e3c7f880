using Microsoft.Playwright;
using ValDrome.Domain.Seed;

namespace ValDrome.BrowserTests;

[Collection(SharedBrowser.Name)]
public sealed class MapTests(BrowserSite site)
{
    [Fact]
    public async Task Map_draws_the_36_communes_and_the_clustered_units()
    {
        var page = await site.NewPageAsync();
        var failures = new List<string>();
        page.RequestFailed += (_, request) => failures.Add(request.Url);
        page.PageError += (_, error) => failures.Add(error);

        await page.GotoAsync("/carte");
        var map = page.Locator("#map[data-ready='true']");
        await map.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });

        Assert.Equal("36", await map.GetAttributeAsync("data-communes-loaded"));
        // Every unit of the catalogue gets its marker: the seed's, and any a browser test of this
        // shared site has added since (the catalogue form's test adds one).
        var units = await page.EvaluateAsync<int>("async () => (await (await fetch('/carte/materiel.geojson')).json()).features.length");
        Assert.True(units >= DevelopmentSeed.UnitCount, $"{units} units on the map, the seed alone has {DevelopmentSeed.UnitCount}");
        Assert.Equal(units.ToString(System.Globalization.CultureInfo.InvariantCulture), await map.GetAttributeAsync("data-units-loaded"));
        // One SVG path per commune polygon; markers or clusters for the units.
        Assert.True(await page.Locator("#map path.leaflet-interactive").CountAsync() >= 36);
        Assert.True(await page.Locator("#map .leaflet-marker-icon").CountAsync() > 0);
        Assert.True(await page.Locator("#map .leaflet-control-scale").IsVisibleAsync());
        Assert.Contains("Licence Ouverte", await page.Locator("#map .leaflet-control-attribution").InnerTextAsync());
        Assert.Empty(failures);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "carte.png") });
    }

    [Fact]
    public async Task A_unit_popup_links_to_its_page()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/carte");
        await page.Locator("#map[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });

        // Zoom into Eurre's depot until the community's units are single markers, then open one.
        var clusters = page.Locator("#map .marker-cluster");
        for (var i = 0; i < 6 && await clusters.CountAsync() > 0; i++)
        {
            await clusters.First.ClickAsync();
            await page.WaitForTimeoutAsync(600);
        }

        var marker = page.Locator("#map .leaflet-marker-icon:not(.marker-cluster)").First;
        await marker.ClickAsync();
        var link = page.Locator(".leaflet-popup-content a").First;
        await link.WaitForAsync();
        var href = await link.GetAttributeAsync("href");
        Assert.Matches("^/materiel/[0-9]+$", href);

        await link.ClickAsync();
        await page.WaitForURLAsync("**/materiel/*");
        await page.Locator(".minimap[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "materiel.png"), FullPage = true });
    }

    [Fact]
    public async Task Commune_page_draws_its_boundary()
    {
        var page = await site.NewPageAsync(390, 844);
        await page.GotoAsync("/communes/26125");

        await page.Locator(".minimap[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });

        Assert.Equal("Eurre", await page.Locator("h1").InnerTextAsync());
        Assert.True(await page.Locator(".minimap path").CountAsync() >= 1);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "commune-telephone.png"), FullPage = true });
    }

    [Fact]
    public async Task A_secretary_sets_the_mairies_opening_hours_on_a_phone()
    {
        var page = await site.NewPageAsync(390, 844);
        await RequestFlowTests.SignInAsync(page, "mairie-26214"); // Mornans: no other test uses it
        await page.GotoAsync("/communes/26214");

        await page.GetByLabel("Horaires d'ouverture").FillAsync("9h-12h 14h-16h30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Horaires de la mairie enregistrés : du lundi au vendredi");
        await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync("du lundi au vendredi");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "horaires-telephone.png"), FullPage = true });
    }
}
