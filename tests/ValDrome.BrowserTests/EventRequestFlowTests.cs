using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ValDrome.BrowserTests;

/// <summary>The Grane secretary asks, on a phone, for everything the 14 July fête needs: one request, a recap, one confirmation.</summary>
[Collection(SharedBrowser.Name)]
public sealed partial class EventRequestFlowTests(BrowserSite site)
{
    private static string Shot(string name) => Path.Combine(BrowserSite.ScreenshotDirectory, name);

    [Theory]
    [InlineData(390, 844, "telephone", "2027-07-13")]
    [InlineData(1280, 900, "bureau", "2027-07-20")]
    public async Task The_secretary_asks_for_a_fete_in_one_request_and_sees_each_loan_stand(int width, int height, string device, string first)
    {
        site.App.SetToday(new DateOnly(2026, 12, 1));
        var page = await site.NewPageAsync(width, height);
        await RequestFlowTests.SignInAsync(page, "mairie-26144");

        await page.GotoAsync("/prets/evenement");
        await page.GetByLabel("Nom de l'événement").FillAsync("Fête du 14 juillet");
        await page.GetByLabel("Premier jour").FillAsync(first);
        await page.GetByLabel("Dernier jour").FillAsync(DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        (string Label, string Quantity)[] lines = [("Barnum", "1"), ("Tables et bancs", "3"), ("Barrières de police", "1"), ("Sonorisation", "1")];
        for (var i = 0; i < lines.Length; i++)
        {
            await page.Locator($"select[name='Form.Lignes[{i}].Categorie']").SelectOptionAsync(new SelectOptionValue { Label = lines[i].Label });
            await page.Locator($"input[name='Form.Lignes[{i}].Quantite']").FillAsync(lines[i].Quantity);
        }

        await page.ScreenshotAsync(new() { Path = Shot($"evenement-1-{device}.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Voir les propositions" }).ClickAsync();

        await page.Locator(".event-item").First.WaitForAsync();
        Assert.Equal(4, await page.Locator(".event-item").CountAsync());
        Assert.Equal(6, await page.Locator("input[name='Choix']:checked").CountAsync());
        Assert.Contains("Livré par le technicien", await page.Locator(".event-choose").InnerTextAsync());
        await AssertFitsAsync(page, width);
        await page.ScreenshotAsync(new() { Path = Shot($"evenement-2-{device}.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Voir le récapitulatif" }).ClickAsync();

        await page.Locator(".event-recap").WaitForAsync();
        Assert.Contains("6 prêts", await page.Locator(".totals").InnerTextAsync());
        await AssertFitsAsync(page, width);
        await page.ScreenshotAsync(new() { Path = Shot($"evenement-3-{device}.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirmer la demande" }).ClickAsync();

        await page.WaitForURLAsync(EventUrl());
        Assert.Contains("Fête du 14 juillet à Grane : 6 prêts, 4 approuvés, 2 en attente",
            (await page.Locator(".event-summary").InnerTextAsync()).Replace('\u00a0', ' '));
        await AssertFitsAsync(page, width);
        await page.ScreenshotAsync(new() { Path = Shot($"evenement-4-{device}.png"), FullPage = true });

        // Cancelling one of them asks first and says what it will do.
        await page.Locator(".event-loans a").First.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Annuler la demande…" }).ClickAsync();
        await page.Locator(".cancel-consequences").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Shot($"annulation-{device}.png"), FullPage = true });

        await page.GotoAsync($"/materiel?du={first}&au={first}");
        await page.Locator("td.availability").First.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Shot($"catalogue-quand-{device}.png"), FullPage = true });
    }

    /// <summary>Nothing wider than the screen: no sideways scrolling on a phone.</summary>
    private static async Task AssertFitsAsync(IPage page, int width) =>
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, "the page scrolls sideways");

    [GeneratedRegex("/prets/evenements/[0-9]+$")]
    private static partial Regex EventUrl();
}
