using Microsoft.Playwright;
using ValDrome.Domain.Loans;
using ValDrome.Tests.Support;

namespace ValDrome.BrowserTests;

[Collection(SharedBrowser.Name)]
public sealed class TourPageTests(BrowserSite site)
{
    [Fact]
    public async Task The_technician_plans_the_day_and_marks_a_stop_done_on_a_phone()
    {
        var day = new DateOnly(2027, 3, 8);
        await Make.LoanAsync(site.Database, "CCVD-MP-02", "26144", day.AddDays(1), day.AddDays(2), LoanStatus.Approved);
        await Make.LoanAsync(site.Database, "CCVD-BN-01", "26098", day.AddDays(-1), day.AddDays(-1), LoanStatus.Delivered);
        await Make.LoanAsync(site.Database, "CCVD-SO-01", "26336", day, day, LoanStatus.Approved);
        site.App.SetToday(day);

        var page = await site.NewPageAsync(390, 844);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await RequestFlowTests.SignInAsync(page, "technicien");
        await page.GotoAsync("/tournees?jour=2027-03-08");
        await page.GetByRole(AriaRole.Button, new() { Name = "Planifier la journée" }).ClickAsync();
        await page.Locator("#tour-map[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });

        Assert.Empty(errors);
        var stops = page.Locator("ol.tour-stops > li");
        Assert.Equal(6, await stops.CountAsync()); // three carries, loaded then unloaded
        Assert.Equal(6, await page.Locator("#tour-map .tour-stop-icon").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "tournee-telephone.png"), FullPage = true });

        await stops.First.GetByRole(AriaRole.Button, new() { Name = "Fait" }).ClickAsync();
        await page.Locator(".alert.success").WaitForAsync();
        Assert.Contains("done", await stops.First.GetAttributeAsync("class") ?? "");

        await page.SetViewportSizeAsync(1280, 900);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.True(await page.Locator("h1.print-only").IsVisibleAsync());
        Assert.False(await page.Locator(".stop-actions").First.IsVisibleAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "feuille-de-route.png"), FullPage = true });
    }
}
