using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ValDrome.Domain.Loans;
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
        // The page's own picture (ADR 31) gave way to the interactive map.
        Assert.Equal(0, await page.Locator("#map .first-view").CountAsync());
        // Every unit of the catalogue gets its marker: the seed's, and any a browser test of this
        // shared site has added since (the catalogue form's test adds one).
        var units = await page.EvaluateAsync<int>("async () => (await (await fetch('/carte/materiel.geojson')).json()).features.length");
        Assert.True(units >= DevelopmentSeed.UnitCount, $"{units} units on the map, the seed alone has {DevelopmentSeed.UnitCount}");
        Assert.Equal(units.ToString(System.Globalization.CultureInfo.InvariantCulture), await map.GetAttributeAsync("data-units-loaded"));
        // The communes are painted on a canvas (ADR 31), not as SVG paths: a commune is found where
        // its name stands (the label's anchor is inside its polygon) and answers there as a path
        // did, its tooltip on hover and its popup on a click.
        Assert.Equal(0, await page.Locator("#map path.leaflet-interactive").CountAsync());
        var spot = await page.EvaluateAsync<System.Text.Json.JsonElement>("""
            () => {
                for (const label of document.querySelectorAll('#map .commune-label:not(.commune-label--hidden)')) {
                    const r = label.getBoundingClientRect();
                    const x = r.left + r.width / 2, y = r.top + r.height / 2;
                    const hit = document.elementFromPoint(x, y);
                    if (hit && hit.tagName === 'CANVAS' && hit.closest('.leaflet-overlay-pane')) {
                        return { name: label.textContent, x, y };
                    }
                }
                return null;
            }
            """);
        var name = spot.GetProperty("name").GetString()!;
        var (x, y) = (spot.GetProperty("x").GetSingle(), spot.GetProperty("y").GetSingle());
        await page.Mouse.MoveAsync(x, y);
        await Assertions.Expect(page.Locator(".commune-tooltip")).ToContainTextAsync(name);
        await page.Mouse.ClickAsync(x, y);
        await Assertions.Expect(page.Locator(".leaflet-popup-content")).ToContainTextAsync(name);
        // Markers or clusters for the units.
        Assert.True(await page.Locator("#map .leaflet-marker-icon").CountAsync() > 0);
        Assert.True(await page.Locator("#map .leaflet-control-scale").IsVisibleAsync());
        Assert.Contains("Licence Ouverte", await page.Locator("#map .leaflet-control-attribution").InnerTextAsync());
        Assert.Empty(failures);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "carte.png") });
    }

    [Fact]
    public async Task Before_its_script_has_come_the_map_drawn_by_the_page_shows_and_leads_to_a_commune_and_a_unit()
    {
        var page = await site.NewPageAsync(390, 844);
        // The map's script never comes: a line that drops it, or a phone still waiting for it.
        await page.RouteAsync("**/carte/carte.*.js", route => route.AbortAsync());

        await page.GotoAsync("/carte");
        var picture = page.Locator("#map svg.first-view");
        await Assertions.Expect(picture).ToBeVisibleAsync();
        Assert.Null(await page.Locator("#map").GetAttributeAsync("data-ready"));
        Assert.Equal(36, await picture.Locator(".first-view__communes a").CountAsync());
        var box = await picture.BoundingBoxAsync();
        Assert.True(box is { Width: > 300, Height: > 300 }, "the picture fills the map's box");
        var axe = await page.RunAxe();
        Assert.Empty(axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}"));

        // A commune answers a tap where its name is written, as on the interactive map.
        await picture.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "carte-sans-script.png") });
        var spot = await page.EvaluateAsync<System.Text.Json.JsonElement>("""
            () => {
                for (const text of document.querySelectorAll('#map .first-view__names text')) {
                    const r = text.getBoundingClientRect();
                    if (r.width === 0) continue;
                    const x = r.left + r.width / 2, y = r.top + r.height / 2;
                    const link = document.elementFromPoint(x, y)?.closest('a');
                    if (link && link.getAttribute('aria-label').startsWith(text.textContent + ' : ')) {
                        return { name: text.textContent, x, y };
                    }
                }
                return null;
            }
            """);
        await page.Mouse.ClickAsync(spot.GetProperty("x").GetSingle(), spot.GetProperty("y").GetSingle());
        await page.WaitForURLAsync("**/communes/*");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(spot.GetProperty("name").GetString()!);

        // A unit alone at its place opens its page.
        await page.GotoAsync("/carte");
        var single = page.Locator("#map svg.first-view .first-view__units a[href^='/materiel/']").First;
        var unit = await single.GetAttributeAsync("href");
        await single.ClickAsync();
        await page.WaitForURLAsync("**" + unit);
    }

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task The_map_does_not_move_when_the_interactive_map_replaces_the_first_view(int width, int height)
    {
        var page = await site.NewPageAsync(width, height);
        // A slow line: the map's script comes a while after the page.
        await page.RouteAsync("**/carte/carte.*.js", async route =>
        {
            await Task.Delay(3000);
            await route.ContinueAsync();
        });

        // Not to the load event: that waits for the deferred script, which replaces the first view.
        await page.GotoAsync("/carte", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator("#map svg.first-view")).ToBeVisibleAsync();
        var filter = page.Locator(".map-filter");
        Assert.True(await filter.Locator("select").IsDisabledAsync(), "the page's filter waits for the interactive map");
        var before = (await page.Locator("#map").BoundingBoxAsync())!;
        var shownBefore = await filter.Locator(".map-filter__count").TextContentAsync();

        await page.Locator("#map[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        var after = (await page.Locator("#map").BoundingBoxAsync())!;

        Assert.Equal(1, await filter.CountAsync());
        Assert.True(await filter.Locator("select").IsEnabledAsync());
        Assert.Equal(shownBefore, await filter.Locator(".map-filter__count").TextContentAsync());
        Assert.Equal((before.Y, before.Height), (after.Y, after.Height));
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
    [Theory]
    [InlineData(1280, 900, "bureau")]
    [InlineData(390, 844, "telephone")]
    public async Task With_quand_a_units_popup_says_when_it_is_free(int width, int height, string device)
    {
        site.App.SetToday(new DateOnly(2026, 12, 1));
        var first = new DateOnly(2027, 2, 15);
        var page = await site.NewPageAsync(width, height);
        await page.GotoAsync($"/carte?du={first:yyyy-MM-dd}&au={first.AddDays(2):yyyy-MM-dd}");
        var map = page.Locator("#map[data-ready='true']");
        await map.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });

        // One category, whose units stand apart: each is its own marker.
        await page.Locator("#map-category").SelectOptionAsync("Podium");
        var marker = page.Locator("#map .leaflet-marker-icon.unit-marker").First;
        await marker.ClickAsync();
        var popup = page.Locator(".leaflet-popup-content");
        await popup.WaitForAsync();

        // Once faded in, for the screenshot.
        await Assertions.Expect(page.Locator(".leaflet-popup")).ToHaveCSSAsync("opacity", "1");
        var text = (await popup.InnerTextAsync()).Replace('\u00a0', ' ');
        Assert.Contains("Disponibilité", text, StringComparison.Ordinal);
        Assert.Contains(FreeUnits.FreeLabel(first, first.AddDays(2)).Replace('\u00a0', ' '), text, StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, $"carte-quand-popup-{device}.png") });
    }

    [Theory]
    [InlineData(1280, 900, "bureau")]
    [InlineData(390, 844, "telephone")]
    public async Task Proposals_at_one_mairie_fan_out_and_every_number_stays_readable(int width, int height, string device)
    {
        site.App.SetToday(new DateOnly(2026, 12, 1));
        // Three generators at Allex's mairie: three proposals at one place.
        await site.Database.ScalarAsync<int>("""
            INSERT INTO equipment_units (inventory_code, name, description, category_id, owner_commune_id, home_location, daily_rate, transport, status, has_hour_meter, auto_approve)
            SELECT 'FAN-' || g, 'Groupe électrogène de fête ' || g, '', (SELECT id FROM equipment_categories WHERE code = 'groupe-electrogene'),
                   c.id, c.reference_point, 20, 'Van', 'InService', false, false
            FROM communes c, generate_series(1, 3) g
            WHERE c.insee = '26006' AND NOT EXISTS (SELECT 1 FROM equipment_units WHERE inventory_code = 'FAN-' || g);
            SELECT 0;
            """);
        var page = await site.NewPageAsync(width, height);
        await RequestFlowTests.SignInAsync(page, "mairie-26144");

        await page.GotoAsync("/prets/demander?categorie=groupe-electrogene&du=2027-02-22&au=2027-02-23&usage=Fete");
        var minimap = page.Locator(".proposals-map[data-ready='true']");
        await minimap.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });

        await page.Locator(".proposals-map").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, $"propositions-eventail-{device}.png"), FullPage = true });
        await page.Locator(".proposals-map").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, $"propositions-eventail-carte-{device}.png") });
        var rows = await page.Locator("table.proposals tbody tr").CountAsync();
        var markers = page.Locator(".proposals-map .proposal-marker");
        Assert.Equal(rows, await markers.CountAsync());
        Assert.True(int.Parse(await minimap.GetAttributeAsync("data-fanned") ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 3);
        var boxes = new List<(string Rank, LocatorBoundingBoxResult Box)>();
        for (var i = 0; i < rows; i++)
        {
            boxes.Add(((await markers.Nth(i).InnerTextAsync()).Trim(), (await markers.Nth(i).BoundingBoxAsync())!));
        }

        // Every number from 1 on, each on a marker that no other covers.
        Assert.Equal(Enumerable.Range(1, rows), boxes.Select(b => int.Parse(b.Rank, System.Globalization.CultureInfo.InvariantCulture)).Order());
        foreach (var (rank, box) in boxes)
        {
            foreach (var (other, otherBox) in boxes.Where(b => b.Rank != rank))
            {
                var overlap = Math.Min(box.X + box.Width, otherBox.X + otherBox.Width) - Math.Max(box.X, otherBox.X) > 1
                    && Math.Min(box.Y + box.Height, otherBox.Y + otherBox.Height) - Math.Max(box.Y, otherBox.Y) > 1;
                Assert.False(overlap, $"marker {rank} covers marker {other}");
            }
        }
    }
}
