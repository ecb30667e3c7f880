using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ValDrome.BrowserTests;

[Collection(SharedBrowser.Name)]
public sealed class UnitFormTests(BrowserSite site)
{
    [Fact]
    public async Task A_secretary_adds_a_unit_placed_on_the_map_on_a_phone()
    {
        var page = await site.NewPageAsync(390, 844);
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await RequestFlowTests.SignInAsync(page, "mairie-26115"); // no other browser test uses it
        await page.GotoAsync("/materiel/nouveau");
        await page.Locator(".place-picker[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "materiel-nouveau-telephone.png"), FullPage = true });

        await page.GetByLabel("Code d'inventaire").FillAsync("26115-RE-09");
        await page.GetByLabel("Nom", new() { Exact = true }).FillAsync("Remorque de la fête");
        await page.Locator("select[name='Form.CategoryId']").SelectOptionAsync(new SelectOptionValue { Label = "Remorque" });
        await page.GetByLabel("Tarif journalier (€, hors transport)").FillAsync("12,50");
        // The mairie's point: a click in the middle of the map sets it, and chooses « point on the map ».
        await page.Locator(".place-picker").ClickAsync();
        Assert.NotEqual("", await page.Locator("input[name='Form.Longitude']").InputValueAsync());
        await using (var db = site.Database.CreateDb())
        {
            var mairie = await db.Communes.Where(c => c.Insee == "26115").Select(c => c.ReferencePoint).SingleAsync();
            await page.GetByLabel("Longitude").FillAsync(mairie.X.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByLabel("Latitude").FillAsync(mairie.Y.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter au catalogue" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("« Remorque de la fête » est au catalogue.");
        Assert.Empty(errors);

        var desktop = await site.NewPageAsync();
        await RequestFlowTests.SignInAsync(desktop, "staff");
        await desktop.GotoAsync("/materiel/nouveau");
        await desktop.Locator(".place-picker[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await desktop.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "materiel-nouveau.png"), FullPage = true });
    }
}
