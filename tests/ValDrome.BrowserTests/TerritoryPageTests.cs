using System.Globalization;
using Microsoft.Playwright;
using ValDrome.Domain.Loans;
using ValDrome.Tests.Support;

namespace ValDrome.BrowserTests;

/// <summary>The territory at a glance (/territoire): its choropleth, legend and charts, at 1280 px and on a 390 px phone.</summary>
[Collection(SharedBrowser.Name)]
public sealed class TerritoryPageTests(BrowserSite site)
{
    private static async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, name + ".png"), FullPage = true });

    [Fact]
    public async Task A_visitor_reads_the_month_map_coloured_with_its_legend_on_a_desktop_and_a_phone()
    {
        site.App.SetToday(new DateOnly(2026, 12, 1));
        // October: loans agreed on, never billed (they are not back), so no other test's statements change.
        await Make.LoanAsync(site.Database, "26006-MP-01", "26144", new DateOnly(2026, 10, 5), new DateOnly(2026, 10, 7), LoanStatus.Approved);
        await Make.LoanAsync(site.Database, "CCVD-TP-01", "26185", new DateOnly(2026, 10, 12), new DateOnly(2026, 10, 13), LoanStatus.Approved);
        await Make.LoanAsync(site.Database, "26165-BN-01", "26097", new DateOnly(2026, 10, 19), new DateOnly(2026, 10, 20), LoanStatus.Approved);
        await Make.LoanAsync(site.Database, "26144-BR-01", "26165", new DateOnly(2026, 10, 26), new DateOnly(2026, 10, 27), LoanStatus.Approved);
        await Make.LoanAsync(site.Database, "26166-PO-01", "26336", new DateOnly(2026, 10, 28), new DateOnly(2026, 10, 30), LoanStatus.Approved);

        var page = await site.NewPageAsync();
        await page.GotoAsync("/territoire?mois=2026-10");
        await page.Locator("#glance-map[data-ready='true']").WaitForAsync();

        var map = page.Locator("#glance-map");
        Assert.Equal("36", await map.GetAttributeAsync("data-communes-drawn"));
        Assert.Equal("jours_empruntes", await map.GetAttributeAsync("data-indicator"));
        Assert.True(int.Parse(await map.GetAttributeAsync("data-legend-classes") ?? "0", CultureInfo.InvariantCulture) >= 2);
        var legend = await page.Locator(".glance-legend").InnerTextAsync();
        Assert.Contains("Jours de matériel empruntés, octobre 2026", legend, StringComparison.Ordinal);
        Assert.Contains("aucun", legend, StringComparison.Ordinal);
        Assert.Equal(3, await page.Locator("figure.glance-chart svg").CountAsync());
        Assert.True(await page.Locator("figure.glance-days g.bar").CountAsync() >= 5);

        await page.SelectOptionAsync("#glance-indicator", "km_evites");
        Assert.Equal("km_evites", await map.GetAttributeAsync("data-indicator"));
        Assert.Contains("Kilomètres évités", await page.Locator(".glance-legend").InnerTextAsync(), StringComparison.Ordinal);
        await page.SelectOptionAsync("#glance-indicator", "jours_empruntes");
        await ShotAsync(page, "bureau-territoire");

        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await page.Locator("#glance-map[data-ready='true']").WaitForAsync();
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"/territoire is {width} px wide on a 390 px phone");
        await ShotAsync(page, "telephone-territoire");
        await map.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "telephone-territoire-carte.png") });
        await page.Locator("figure.glance-chart").First.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "telephone-territoire-graphiques.png") });

        // The month selector sends itself.
        await page.GotoAsync("/territoire?mois=2026-09");
        await Task.WhenAll(page.WaitForURLAsync("**/territoire?mois=2026-10"), page.SelectOptionAsync("#glance-month", "2026-10"));
        Assert.EndsWith("/territoire?mois=2026-10", page.Url, StringComparison.Ordinal);
    }
}
