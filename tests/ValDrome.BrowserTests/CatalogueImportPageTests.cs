using System.Text;
using Microsoft.Playwright;

namespace ValDrome.BrowserTests;

[Collection(SharedBrowser.Name)]
public sealed class CatalogueImportPageTests(BrowserSite site)
{
    private const string Header =
        "code d'inventaire;nom;catégorie;description;tarif journalier;caution;conditions d'utilisation;permis exigé;transport;durée de prêt max;approbation automatique;compteur horaire;en service;raison hors service;lieu;latitude;longitude\r\n";

    private static FilePayload File(string lines) => new()
    {
        Name = "catalogue.csv",
        MimeType = "text/csv",
        Buffer = [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(Header + lines)],
    };

    private static string Shot(string name) => Path.Combine(BrowserSite.ScreenshotDirectory, name);

    [Fact]
    public async Task Staff_preview_and_import_a_spreadsheet_for_a_commune_on_a_desktop()
    {
        var page = await site.NewPageAsync();
        await RequestFlowTests.SignInAsync(page, "staff");

        await page.GotoAsync("/materiel/import");
        await page.GetByLabel("Propriétaire du matériel").SelectOptionAsync("26144");
        await page.GetByLabel("Fichier CSV").SetInputFilesAsync(File(
            "BRW-01;Bétonnière 160 l;Remorque;;25,50;150;;;emprunteur;7;non;non;oui;;mairie;;\r\n"
            + "BRW-02;Remorque plateau 750 kg;remorque;;12;0;;Permis B;fourgon;;oui;non;oui;;point;44,722;4,899\r\n"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier le fichier" }).ClickAsync();
        await page.GetByText("2 matériels à ajouter").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("import-apercu.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Importer ces 2 matériels" }).ClickAsync();

        await page.GetByText("Import terminé pour Grane : 2 matériels ajoutés, 0 mis à jour.").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("import-fait.png"), FullPage = true });
    }

    [Fact]
    public async Task An_agent_sees_each_faulty_line_on_a_phone()
    {
        var page = await site.NewPageAsync(390, 844);
        await RequestFlowTests.SignInAsync(page, "mairie-26185");

        await page.GotoAsync("/materiel/import");
        await page.GetByLabel("Fichier CSV").SetInputFilesAsync(File(
            "BRW-BAD-01;Barnum;barnum;;trente;0;;;fourgon;;non;non;oui;;mairie;;\r\n"
            + "BRW-BAD-02;Barnum parisien;barnum;;30;0;;;vélo;;non;non;oui;;point;48,85;2,35\r\n"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier le fichier" }).ClickAsync();

        await page.GetByText("Ligne 2, colonne « tarif journalier »").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("import-erreurs-telephone.png"), FullPage = true });
    }

    [Fact]
    public async Task The_enrolment_page_shows_its_qr_code_on_a_phone()
    {
        var page = await site.NewPageAsync(390, 844);
        await RequestFlowTests.SignInAsync(page, "admin");

        await page.GotoAsync("/compte/double-authentification");

        Assert.True(await page.Locator("img.qr-code").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("double-authentification-telephone.png"), FullPage = true });
    }
}
