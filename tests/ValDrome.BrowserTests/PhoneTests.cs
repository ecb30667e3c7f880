using System.Globalization;
using Microsoft.Playwright;
using ValDrome.Domain.Loans;
using ValDrome.Tests.Support;

namespace ValDrome.BrowserTests;

/// <summary>ValDrome on a 390 px phone: no page wider than the screen, tables read as cards, the menu behind one button.</summary>
[Collection(SharedBrowser.Name)]
public sealed class PhoneTests(BrowserSite site)
{
    private const int Phone = 390;

    private static async Task ShotAsync(IPage page, string name, bool fullPage = true) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, name + ".png"), FullPage = fullPage });

    private static Task<int> ScrollWidthAsync(IPage page) => page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");

    /// <summary>Reads each page at 390 px (it must not scroll sideways) and at 1280 px, with a screenshot of both.</summary>
    private static async Task<List<string>> WalkAsync(IPage page, IEnumerable<(string Url, string Name)> pages)
    {
        var overflowing = new List<string>();
        foreach (var (url, name) in pages)
        {
            await page.SetViewportSizeAsync(Phone, 844);
            await page.GotoAsync(url);
            var width = await ScrollWidthAsync(page);
            if (width > Phone)
            {
                overflowing.Add($"{url}: {width} px");
            }

            await ShotAsync(page, $"telephone-{name}");
            await ShotAsync(page, $"telephone-{name}-haut", fullPage: false);
            await page.SetViewportSizeAsync(1280, 900);
            await ShotAsync(page, $"bureau-{name}");
        }

        return overflowing;
    }

    [Fact]
    public async Task No_page_with_a_table_is_wider_than_a_390_px_phone()
    {
        site.App.SetToday(new DateOnly(2027, 4, 1));
        await Make.LoanAsync(site.Database, "26006-MP-01", "26144", new DateOnly(2027, 4, 20), new DateOnly(2027, 4, 21));
        var admin = await site.NewPageAsync(Phone, 844);
        await RequestFlowTests.SignInAsync(admin, "admin");
        var agent = await site.NewPageAsync(Phone, 844);
        await RequestFlowTests.SignInAsync(agent, "mairie-26006");

        var overflowing = await WalkAsync(admin,
        [
            ("/materiel", "catalogue"), ("/maintenance", "maintenance"), ("/decomptes", "decomptes"),
            ("/decomptes/2026-11", "decomptes-mois"), ("/admin/comptes", "comptes"), ("/admin/taches", "taches"),
            ("/admin/depots", "depots"), ("/communes", "communes"), ("/communes/26125", "commune"), ("/tournees?jour=2027-04-02", "tournee"),
        ]);
        overflowing.AddRange(await WalkAsync(agent,
        [
            ("/prets", "prets"), ("/prets/demander?categorie=mini-pelle&du=2027-05-10&au=2027-05-12&usage=Curage", "propositions"),
            ("/compte", "compte"), ("/decomptes", "decomptes-commune"),
        ]));

        Assert.Empty(overflowing);
    }

    [Fact]
    public async Task Cards_show_which_machine_is_proposed_and_which_commune_asks()
    {
        site.App.SetToday(new DateOnly(2027, 4, 1));
        await Make.LoanAsync(site.Database, "26006-MP-01", "26144", new DateOnly(2027, 4, 26), new DateOnly(2027, 4, 27));
        var page = await site.NewPageAsync(Phone, 844);
        await RequestFlowTests.SignInAsync(page, "mairie-26006");

        await page.GotoAsync("/prets");
        var asking = page.Locator("#a-decider tbody tr").First.Locator("td[data-label='Emprunteur']");
        Assert.True(await asking.IsVisibleAsync());
        Assert.Contains("Grane", await asking.InnerTextAsync());

        await page.GotoAsync("/prets/demander?categorie=mini-pelle&du=2027-05-17&au=2027-05-18&usage=Curage");
        var card = page.Locator("table.proposals tbody tr").First;
        var machine = card.Locator("td[data-label='Matériel']");
        Assert.True(await machine.IsVisibleAsync());
        Assert.Contains("Matériel", await machine.EvaluateAsync<string>("td => getComputedStyle(td, '::before').content"));
        Assert.True(await card.Locator("td[data-label='Propriétaire']").IsVisibleAsync());
        Assert.True(await card.GetByRole(AriaRole.Button, new() { Name = "Demander" }).IsVisibleAsync());
        var box = await card.GetByRole(AriaRole.Button, new() { Name = "Demander" }).BoundingBoxAsync();
        Assert.True(box!.Height >= 44, $"The button is {box.Height} px high");
        await page.Locator(".minimap[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        // The map's markers carry the numbers of the table's rows.
        Assert.Equal("1", (await page.Locator(".proposals-map .proposal-marker").First.InnerTextAsync()).Trim());
        await ShotAsync(page, "propositions-cartes");
    }

    [Fact]
    public async Task The_menu_button_opens_the_navigation_on_a_phone()
    {
        var page = await site.NewPageAsync(Phone, 844);
        await page.GotoAsync("/materiel");
        var button = page.GetByRole(AriaRole.Button, new() { Name = "Menu" });
        var map = page.Locator(".site-header nav").GetByRole(AriaRole.Link, new() { Name = "Carte" });

        Assert.Equal("false", await button.GetAttributeAsync("aria-expanded"));
        Assert.False(await map.IsVisibleAsync());
        var header = await page.Locator(".site-header").BoundingBoxAsync();
        Assert.True(header!.Height < 70, $"The folded header is {header.Height} px high: more than one row");

        await button.ClickAsync();

        Assert.Equal("true", await button.GetAttributeAsync("aria-expanded"));
        Assert.True(await map.IsVisibleAsync());
        Assert.True((await map.BoundingBoxAsync())!.Height >= 44);
        await ShotAsync(page, "menu-ouvert", fullPage: false);
        await map.ClickAsync();
        await page.WaitForURLAsync("**/carte");
    }

    [Fact]
    public async Task The_technician_signs_in_onto_the_day_and_finds_each_mairie()
    {
        var day = new DateOnly(2027, 6, 7);
        await Make.LoanAsync(site.Database, "CCVD-MP-01", "26144", day.AddDays(1), day.AddDays(2), LoanStatus.Approved);
        site.App.SetToday(day);
        var page = await site.NewPageAsync(Phone, 844);

        await RequestFlowTests.SignInAsync(page, "technicien");

        Assert.EndsWith("/tournees", page.Url, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Planifier la journée" }).ClickAsync();
        var stop = page.Locator("ol.tour-stops > li", new() { HasText = "Mairie de Grane" }).First;
        await stop.WaitForAsync();
        Assert.Contains("Place de la mairie, Grane", await stop.Locator(".stop-address").InnerTextAsync());
        Assert.StartsWith("tel:", await stop.Locator("a.stop-phone").GetAttributeAsync("href"), StringComparison.Ordinal);
        Assert.StartsWith("geo:", await stop.Locator("a.stop-navigate").GetAttributeAsync("href"), StringComparison.Ordinal);
        Assert.True(await ScrollWidthAsync(page) <= Phone);

        var first = page.Locator("ol.tour-stops > li").First;
        await first.GetByRole(AriaRole.Button, new() { Name = "Fait" }).ClickAsync();
        await page.Locator(".alert.success").WaitForAsync();
        var done = page.Locator("ol.tour-stops > li.done").First;
        // Done, not faded: the whole stop is drawn at full opacity.
        Assert.Equal("1", await done.EvaluateAsync<string>("li => getComputedStyle(li).opacity"));
        await ShotAsync(page, "tournee-du-jour-telephone");
        await page.SetViewportSizeAsync(1280, 900);
        await ShotAsync(page, "tournee-du-jour-bureau");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.True(await page.Locator(".stop-address").First.IsVisibleAsync());
        await ShotAsync(page, "feuille-de-route-adresses");
    }

    [Fact]
    public async Task The_map_filters_its_units_by_category()
    {
        var page = await site.NewPageAsync(Phone, 844);
        await page.GotoAsync("/carte");
        var map = page.Locator("#map[data-ready='true']");
        await map.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        var all = int.Parse((await map.GetAttributeAsync("data-units-visible"))!, CultureInfo.InvariantCulture);

        await page.GetByLabel("Catégorie de matériel").SelectOptionAsync(new SelectOptionValue { Label = await FirstCategoryAsync(page, "Mini-pelle") });

        var minipelles = int.Parse((await map.GetAttributeAsync("data-units-visible"))!, CultureInfo.InvariantCulture);
        Assert.InRange(minipelles, 1, all - 1);
        Assert.Equal("Mini-pelle", await map.GetAttributeAsync("data-category"));
        Assert.True(await ScrollWidthAsync(page) <= Phone);
        Assert.True(int.Parse((await map.GetAttributeAsync("data-labels-shown"))!, CultureInfo.InvariantCulture) > 5, "Too few commune names at the first zoom");
        await ShotAsync(page, "carte-mini-pelles-telephone");
        await page.SetViewportSizeAsync(1280, 900);
        await ShotAsync(page, "carte-mini-pelles-bureau");
    }

    [Fact]
    public async Task A_cluster_opens_onto_its_units()
    {
        var page = await site.NewPageAsync(1280, 900);
        await RequestFlowTests.SignInAsync(page, "mairie-26144");
        await page.GotoAsync("/carte");
        await page.Locator("#map[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        var singles = page.Locator("#map .leaflet-marker-icon.unit-marker");
        var before = await singles.CountAsync();

        // Eurre's depot keeps the community's units at one point: its cluster is the largest.
        var largest = await page.EvaluateAsync<int>(@"() => {
            const counts = [...document.querySelectorAll('#map .unit-cluster')].map(c => parseInt(c.textContent.replace(/\s/g, ''), 10));
            return counts.indexOf(Math.max(...counts));
        }");
        await page.Locator("#map .unit-cluster").Nth(largest).ClickAsync();

        await page.WaitForFunctionAsync("n => document.querySelectorAll('#map .leaflet-marker-icon.unit-marker').length > n", before,
            new PageWaitForFunctionOptions { Timeout = 10_000 });
        var zoom = double.Parse(await page.Locator("#map").GetAttributeAsync("data-zoom") ?? "0", CultureInfo.InvariantCulture);
        Assert.True(zoom <= 14, $"The cluster zoomed to {zoom}: a blurred street rather than the units");
        await ShotAsync(page, "carte-groupe-ouvert");
    }

    private static async Task<string> FirstCategoryAsync(IPage page, string name)
    {
        var labels = await page.Locator("#map-category option").AllInnerTextsAsync();
        return labels.First(l => l.StartsWith(name, StringComparison.Ordinal));
    }
}
