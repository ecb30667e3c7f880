using Microsoft.Playwright;
using ValDrome.Domain;
using ValDrome.Domain.Seed;

namespace ValDrome.BrowserTests;

[Collection(SharedBrowser.Name)]
public sealed class RequestFlowTests(BrowserSite site)
{
    internal static async Task SignInAsync(IPage page, string userName)
    {
        await page.GotoAsync("/connexion");
        await page.GetByLabel("Identifiant").FillAsync(userName);
        await page.GetByLabel("Mot de passe").FillAsync(DevelopmentAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        // Agents land on their loans, the technician on the day's tour.
        await page.WaitForURLAsync(url => !url.Contains("/connexion", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_agent_requests_a_mini_pelle_for_three_days_and_the_owner_approves()
    {
        site.App.SetToday(new DateOnly(2026, 12, 1));
        var page = await site.NewPageAsync();
        await SignInAsync(page, "mairie-26144");

        await page.GetByRole(AriaRole.Link, new() { Name = "J'ai besoin de matériel…" }).ClickAsync();
        await page.GetByLabel("Catégorie").SelectOptionAsync(new SelectOptionValue { Label = "Mini-pelle" });
        await page.GetByLabel("Premier jour").FillAsync("2027-02-08");
        await page.GetByLabel("Dernier jour").FillAsync("2027-02-10");
        await page.GetByLabel("Usage prévu").FillAsync("Curage du fossé du chemin des Blaches");
        await page.GetByRole(AriaRole.Button, new() { Name = "Voir les propositions" }).ClickAsync();

        var rows = page.Locator("table.proposals tbody tr");
        await rows.First.WaitForAsync();
        Assert.Equal(4, await rows.CountAsync());
        var distances = new List<double>();
        foreach (var text in await page.Locator("table.proposals td.distance").AllInnerTextsAsync())
        {
            distances.Add(double.Parse(text.Replace(" km", "", StringComparison.Ordinal).Trim(), FrenchCulture.Instance));
        }

        Assert.Equal(distances.Order().ToList(), distances);
        Assert.Contains("Allex", await rows.First.InnerTextAsync());
        await page.Locator(".minimap[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "propositions.png"), FullPage = true });

        await rows.First.GetByRole(AriaRole.Button, new() { Name = "Demander" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/prets/[0-9]+$"));
        var loanUrl = page.Url;
        Assert.Contains("Demande enregistrée", await page.Locator(".alert.success").InnerTextAsync());
        Assert.Equal("Demandé", await page.Locator(".facts .loan-status").InnerTextAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Se connecter" }).WaitForAsync(); // signed out, back home
        await SignInAsync(page, "mairie-26006");
        await page.GotoAsync(loanUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Approuver" }).ClickAsync();

        await page.Locator(".alert.success").WaitForAsync();
        Assert.Equal("Approuvé", await page.Locator(".facts .loan-status").InnerTextAsync());
        Assert.Contains("Demandé → Approuvé", await page.Locator(".timeline").InnerTextAsync());
        await page.Locator(".minimap[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "pret-approuve.png"), FullPage = true });
    }
}
