using Microsoft.Playwright;

namespace ValDrome.BrowserTests;

[Collection(SharedBrowser.Name)]
public sealed class AccountPageTests(BrowserSite site)
{
    [Fact]
    public async Task An_agent_makes_a_gis_key_on_a_phone_sees_it_once_then_revokes_it()
    {
        var page = await site.NewPageAsync(390, 844);
        await RequestFlowTests.SignInAsync(page, "mairie-26144");

        await page.GotoAsync("/compte");
        await page.GetByLabel("Nom de la clé").FillAsync("QGIS de la mairie");
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer la clé" }).ClickAsync();

        var secret = await page.Locator("#new-key").InputValueAsync();
        Assert.StartsWith("vdk_", secret, StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "compte-telephone.png"), FullPage = true });

        // Shown once: the page read again lists the key by its name and first characters only.
        await page.GotoAsync("/compte");
        Assert.Equal(0, await page.Locator("#new-key").CountAsync());
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Révoquer" }).First.ClickAsync();
        await page.GetByText("La clé « QGIS de la mairie » est révoquée").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "compte-revoquee.png"), FullPage = true });
    }
}
