using Microsoft.Playwright;
using ValDrome.Domain.Loans;
using ValDrome.Jobs;
using ValDrome.Tests.Support;

namespace ValDrome.BrowserTests;

[Collection(SharedBrowser.Name)]
public sealed class StatementPageTests(BrowserSite site)
{
    [Fact]
    public async Task Staff_read_the_month_with_its_chart_of_balances()
    {
        await Make.LoanAsync(site.Database, "26006-MP-01", "26144", new DateOnly(2026, 11, 3), new DateOnly(2026, 11, 5), LoanStatus.Returned);
        await Make.LoanAsync(site.Database, "CCVD-TP-01", "26185", new DateOnly(2026, 11, 9), new DateOnly(2026, 11, 10), LoanStatus.Returned);
        await Make.LoanAsync(site.Database, "26165-BN-01", "26097", new DateOnly(2026, 11, 14), new DateOnly(2026, 11, 15), LoanStatus.Returned);
        await Make.LoanAsync(site.Database, "26144-BR-01", "26165", new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 20), LoanStatus.Closed);
        site.App.SetToday(new DateOnly(2026, 12, 1));
        Assert.True(await site.App.RunJobAsync<BuildMonthlyStatements, bool>(j => j.RunAsync(CancellationToken.None)));

        var page = await site.NewPageAsync();
        await RequestFlowTests.SignInAsync(page, "staff");
        await page.GotoAsync("/decomptes");
        await page.GetByRole(AriaRole.Link, new() { Name = "novembre 2026" }).ClickAsync();

        await page.Locator("figure.balance-chart svg").WaitForAsync();
        Assert.Equal("Décomptes de novembre 2026", await page.Locator("h1").InnerTextAsync());
        Assert.True(await page.Locator("figure.balance-chart g.bar.negative").CountAsync() >= 3);
        Assert.True(await page.Locator("figure.balance-chart g.bar.positive").CountAsync() >= 1); // Allex, the lender of the month
        var bar = await page.Locator("figure.balance-chart g.bar rect").First.BoundingBoxAsync();
        Assert.True(bar is { Width: > 1 }, "bars are drawn");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "decomptes.png"), FullPage = true });
    }
}
