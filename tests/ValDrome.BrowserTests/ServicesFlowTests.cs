using Microsoft.Playwright;

namespace ValDrome.BrowserTests;

[Collection(SharedBrowser.Name)]
public sealed class ServicesFlowTests(BrowserSite site)
{
    [Fact]
    public async Task On_a_phone_a_mairie_whose_secretary_is_away_books_the_nearest_free_secretary()
    {
        site.App.SetToday(new DateOnly(2026, 12, 1));
        var page = await site.NewPageAsync(390, 844);
        await RequestFlowTests.SignInAsync(page, "mairie-26144");

        await page.GotoAsync("/services");
        await page.GetByRole(AriaRole.Link, new() { Name = "Notre secrétaire est absente…" }).ClickAsync();
        await page.Locator("input[name=jour]").FillAsync("2027-03-09");
        await page.Locator("select[name=creneau]").SelectOptionAsync("journee");
        await page.GetByRole(AriaRole.Button, new() { Name = "Voir les secrétaires disponibles" }).ClickAsync();

        var proposals = page.Locator("ol.proposals > li");
        await proposals.First.WaitForAsync();
        Assert.Equal(4, await proposals.CountAsync());
        Assert.Contains("Claire Martin", await proposals.First.InnerTextAsync());
        await Shot(page, "services-remplacement-390.png");

        await proposals.First.GetByLabel("Qui l'accueille").FillAsync("M. le maire");
        await proposals.First.GetByRole(AriaRole.Button).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/services/demandes/[0-9]+$"));
        Assert.Contains("Claire Martin viendra", await page.Locator(".alert.success").InnerTextAsync());
        Assert.Contains("190,00", await page.Locator(".facts").InnerTextAsync());
        await Shot(page, "services-demande-390.png");

        var wide = await site.NewPageAsync();
        await RequestFlowTests.SignInAsync(wide, "staff");
        foreach (var (path, name) in new[] { ("/services", "services-1280.png"), ("/services/conventions", "services-conventions-1280.png"), ("/services/agents", "services-agents-1280.png"), (new Uri(page.Url).AbsolutePath, "services-demande-1280.png") })
        {
            await wide.GotoAsync(path);
            await Shot(wide, name);
        }

        var phone = await site.NewPageAsync(390, 844);
        await RequestFlowTests.SignInAsync(phone, "staff");
        await phone.GotoAsync("/services/conventions");
        await Shot(phone, "services-conventions-390.png");
        await phone.GotoAsync("/services/temps");
        await Shot(phone, "services-temps-390.png");
    }

    private static Task<byte[]> Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, name), FullPage = true });
}
