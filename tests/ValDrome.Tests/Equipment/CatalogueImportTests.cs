using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Seed;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Equipment;

/// <summary>Issue 11: a commune's catalogue imported from a French spreadsheet's CSV, previewed, then written whole or not at all; and exported in the same format.</summary>
public sealed partial class CatalogueImportTests(MarketSite site) : IClassFixture<MarketSite>
{
    private const string Header =
        "code d'inventaire;nom;catégorie;description;tarif journalier;caution;conditions d'utilisation;permis exigé;transport;durée de prêt max;approbation automatique;compteur horaire;en service;raison hors service;lieu;latitude;longitude";

    static CatalogueImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static byte[] Windows1252(string text) => Encoding.GetEncoding(1252).GetBytes(text);

    private static byte[] Utf8WithBom(string text) => [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(text)];

    private static string Csv(params string[] lines) => string.Join("\r\n", [Header, .. lines]) + "\r\n";

    private static string ImportPage(string? commune) => "/materiel/import" + (commune is null ? "" : "?commune=" + commune);

    /// <summary>Uploads the file from the import page's form, with its antiforgery token.</summary>
    private static async Task<HttpResponseMessage> PreviewAsync(HttpClient client, byte[] file, string? commune)
    {
        using var page = await client.GetAsync(ImportPage(commune));
        var token = Token().Match(await page.Content.ReadAsStringAsync());
        Assert.True(token.Success, $"No form on the import page ({(int)page.StatusCode}).");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(token.Groups[1].Value)), "__RequestVerificationToken" },
            { new StringContent(commune ?? ""), "commune" },
        };
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(content, "file", "catalogue.csv");
        return await client.PostAsync("/materiel/import?handler=Preview", form);
    }

    private static async Task<HttpResponseMessage> ConfirmAsync(HttpClient client, HttpResponseMessage preview, string? commune)
    {
        var html = await preview.Content.ReadAsStringAsync();
        var payload = Payload().Match(html);
        Assert.True(payload.Success, "The preview offers no confirmation.");
        return await client.SubmitAsync(ImportPage(commune), new()
        {
            ["commune"] = commune ?? "",
            ["payload"] = WebUtility.HtmlDecode(payload.Groups[1].Value),
        }, "/materiel/import?handler=Confirm");
    }

    private async Task<List<EquipmentUnit>> UnitsAsync(string codePrefix)
    {
        await using var db = site.Database.CreateDb();
        return await db.EquipmentUnits.AsNoTracking().Include(u => u.Category).Include(u => u.OwnerCommune)
            .Where(u => u.InventoryCode.StartsWith(codePrefix)).OrderBy(u => u.InventoryCode).ToListAsync();
    }

    [Fact]
    public async Task An_agent_imports_a_windows_1252_file_after_its_preview_and_nothing_before_confirming()
    {
        var client = await site.As("mairie-26185");
        var file = Windows1252(Csv(
            "T1252-01;Bétonnière électrique 160 l;Remorque;\"Cuve « inox »; moteur 650 W\";25,50;150;Nettoyer après usage;;emprunteur;7;non;non;oui;;mairie;;",
            "\"T1252-02\";\"Remorque plateau; 750 kg\";remorque;;12;0;;Permis B;fourgon;;oui;oui;non;Pneu crevé, réparation prévue;mairie;;"));

        using var preview = await PreviewAsync(client, file, null);
        var previewText = await preview.TextAsync();
        var beforeConfirming = await UnitsAsync("T1252-");
        using var confirmed = await ConfirmAsync(client, preview, null);

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("Bétonnière électrique 160 l", previewText);
        Assert.Empty(beforeConfirming);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var units = await UnitsAsync("T1252-");
        Assert.Equal(2, units.Count);
        Assert.Equal("Bétonnière électrique 160 l", units[0].Name);
        Assert.Equal("Cuve « inox »; moteur 650 W", units[0].Description);
        Assert.Equal(25.50m, units[0].DailyRate);
        Assert.Equal(150m, units[0].Deposit);
        Assert.Equal(7, units[0].MaxLoanDaysOverride);
        Assert.Equal("26185", units[0].OwnerCommune!.Insee);
        Assert.True(units[0].HomeLocation.EqualsExact(units[0].OwnerCommune!.ReferencePoint));
        Assert.Equal("Remorque plateau; 750 kg", units[1].Name);
        Assert.Equal(TransportNeed.Van, units[1].Transport);
        Assert.True(units[1].AutoApprove);
        Assert.True(units[1].HasHourMeter);
        Assert.Equal(UnitStatus.InMaintenance, units[1].Status);
        Assert.Equal("Pneu crevé, réparation prévue", units[1].StatusReason);
        Assert.Equal("Permis B", units[1].LicenceRequirement);
    }

    [Fact]
    public async Task Staff_import_the_communitys_units_from_a_utf8_file_with_a_bom_at_a_depot_and_at_a_point()
    {
        var client = await site.As("staff");
        var file = Utf8WithBom(Csv(
            $"TBOM-01;Barnum 6 × 12 m;Barnum;;80;500;;;fourgon;;non;non;oui;;{DevelopmentSeed.DepotName};;",
            "TBOM-02;Mini-pelle Takeuchi;mini-pelle;;130,00;1 000,00;;CACES R482 cat. A;porte-engin;5;non;oui;oui;;point;44,722;4,899"));

        using var preview = await PreviewAsync(client, file, "communaute");
        using var confirmed = await ConfirmAsync(client, preview, "communaute");

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var units = await UnitsAsync("TBOM-");
        Assert.Equal(2, units.Count);
        Assert.All(units, u => Assert.Null(u.OwnerCommuneId));
        Assert.NotNull(units[0].HomeDepotId);
        Assert.Equal("Barnum 6 × 12 m", units[0].Name);
        Assert.Null(units[1].HomeDepotId);
        Assert.Equal(4.899, units[1].HomeLocation.X, 6);
        Assert.Equal(44.722, units[1].HomeLocation.Y, 6);
        Assert.Equal(1000m, units[1].Deposit);
        Assert.Equal(TransportNeed.TruckAndTrailer, units[1].Transport);
    }

    [Fact]
    public async Task Each_faulty_line_gets_a_french_message_and_nothing_is_written()
    {
        var client = await site.As("mairie-26185");
        var file = Utf8WithBom(Csv(
            "TBAD-01;Barnum correct;barnum;;30;0;;;fourgon;;non;non;oui;;mairie;;",
            "TBAD-02;Barnum au tarif faux;barnum;;trente;0;;;fourgon;;non;non;oui;;mairie;;",
            "TBAD-03;Vélo;Bicyclette;;5;0;;;à pied;;peut-être;non;oui;;mairie;;",
            "TBAD-01;Doublon;barnum;;30;0;;;fourgon;;non;non;non;;mairie;;"));

        using var preview = await PreviewAsync(client, file, null);
        var text = await preview.TextAsync();

        Assert.Equal(HttpStatusCode.BadRequest, preview.StatusCode);
        Assert.Contains("Rien n'a été importé", text);
        Assert.Contains("Ligne 3, colonne « tarif journalier » : « trente » n'est pas un tarif valable", text);
        Assert.Contains("Ligne 4, colonne « catégorie » : aucune catégorie ne s'appelle « Bicyclette »", text);
        Assert.Contains("Ligne 4, colonne « transport » : « à pied » : écrivez « emprunteur »", text);
        Assert.Contains("Ligne 4, colonne « approbation automatique » : « peut-être » : écrivez « oui » ou « non ».", text);
        Assert.Contains("Ligne 5, colonne « code d'inventaire » : le code « TBAD-01 » est déjà celui de la ligne 2.", text);
        Assert.Contains("Ligne 5, colonne « raison hors service »", text);
        Assert.DoesNotMatch(Payload(), await preview.Content.ReadAsStringAsync());
        Assert.Empty(await UnitsAsync("TBAD-"));
    }

    [Fact]
    public async Task A_file_with_wrong_columns_gets_a_french_422()
    {
        var client = await site.As("mairie-26185");
        var file = Utf8WithBom("name,price,category\r\nTrailer,12,Remorque\r\n");

        using var preview = await PreviewAsync(client, file, null);
        var text = await preview.TextAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, preview.StatusCode);
        Assert.Contains("Ligne 1, colonne « name,price,category » : colonne inconnue.", text);
        Assert.Contains("Ligne 1, colonne « tarif journalier » : cette colonne manque", text);
    }

    [Fact]
    public async Task A_point_outside_the_territory_is_refused_and_nothing_is_written()
    {
        var client = await site.As("mairie-26185");
        var file = Utf8WithBom(Csv(
            "TOUT-01;Barnum parisien;barnum;;30;0;;;fourgon;;non;non;oui;;point;48,8566;2,3522",
            "TOUT-02;Barnum d'ici;barnum;;30;0;;;fourgon;;non;non;oui;;mairie;;"));

        using var preview = await PreviewAsync(client, file, null);

        Assert.Equal(HttpStatusCode.BadRequest, preview.StatusCode);
        Assert.Contains("Ligne 2, colonne « latitude » : ce point est hors du territoire de la communauté", await preview.TextAsync());
        Assert.Empty(await UnitsAsync("TOUT-"));
    }

    [Fact]
    public async Task A_commune_catalogue_exported_then_imported_comes_back_unchanged()
    {
        var client = await site.As("mairie-26166");
        using var export = await client.GetAsync("/materiel/export.csv?commune=26166");
        var file = await export.Content.ReadAsByteArrayAsync();
        var before = await UnitsAsync("26166-");

        using var preview = await PreviewAsync(client, file, null);
        var previewText = await preview.TextAsync();
        using var confirmed = await ConfirmAsync(client, preview, null);
        using var again = await client.GetAsync("/materiel/export.csv?commune=26166");

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Contains($"0 matériel à ajouter, {before.Count} à mettre à jour", previewText);
        Assert.Equal(file, await again.Content.ReadAsByteArrayAsync());
        var after = await UnitsAsync("26166-");
        Assert.Equal(before.Select(u => (u.Name, u.DailyRate, u.Transport, u.HomeLocation.X, u.HomeLocation.Y, u.Status)),
            after.Select(u => (u.Name, u.DailyRate, u.Transport, u.HomeLocation.X, u.HomeLocation.Y, u.Status)));
    }

    [Fact]
    public async Task A_would_be_formula_is_neutralised_on_export_and_read_back_as_typed()
    {
        var client = await site.As("mairie-26185");
        using var preview = await PreviewAsync(client, Utf8WithBom(Csv("TFORM-01;=HYPERLINK(\"x\");barnum;;30;0;;;fourgon;;non;non;oui;;mairie;;")), null);
        using var confirmed = await ConfirmAsync(client, preview, null);
        using var export = await client.GetAsync("/materiel/export.csv?commune=26185");
        var csv = await export.Content.ReadAsStringAsync();

        Assert.Contains("TFORM-01;\"'=HYPERLINK(\"\"x\"\")\"", csv);
        Assert.Equal("=HYPERLINK(\"x\")", (await UnitsAsync("TFORM-01")).Single().Name);
    }

    private const string Ok = "200";
    private const string Refused = "refused";
    private const string SignIn = "sign-in";

    private static string Outcome(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.Redirect when location.Contains("/connexion", StringComparison.Ordinal) => SignIn,
            HttpStatusCode.Redirect when location.Contains("/acces-refuse", StringComparison.Ordinal) => Refused,
            _ => ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private async Task<HttpClient> ClientAsync(string? user) => user is null ? site.App.Client() : await site.As(user);

    [Theory]
    [InlineData("mairie-26144", Ok)] // the owner commune's agent
    [InlineData("mairie-26185", Refused)] // another commune's agent
    [InlineData("staff", Ok)]
    [InlineData("technicien", Refused)]
    [InlineData("admin", Ok)]
    [InlineData(null, SignIn)]
    public async Task Who_may_import_a_communes_catalogue(string? user, string expected)
    {
        var client = await ClientAsync(user);
        using var response = await client.GetAsync("/materiel/import?commune=26144");

        Assert.Equal(expected, Outcome(response));
    }

    [Fact]
    public async Task Another_communes_agent_cannot_post_an_import_for_it()
    {
        var client = await site.As("mairie-26185");
        using var page = await client.GetAsync("/materiel/import");
        var token = WebUtility.HtmlDecode(Token().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("26144"), "commune" },
            { new ByteArrayContent(Utf8WithBom(Csv("TINTRUS-01;Intrus;barnum;;30;0;;;fourgon;;non;non;oui;;mairie;;"))), "file", "c.csv" },
        };

        using var response = await client.PostAsync("/materiel/import?handler=Preview", form);

        Assert.Equal(Refused, Outcome(response));
        Assert.Empty(await UnitsAsync("TINTRUS-"));
    }

    [Theory]
    [InlineData("mairie-26144", Ok)]
    [InlineData("mairie-26185", Ok)] // the catalogue is public: any signed-in person exports it
    [InlineData("staff", Ok)]
    [InlineData("technicien", Ok)]
    [InlineData("admin", Ok)]
    [InlineData(null, SignIn)]
    public async Task Who_may_export_the_catalogue(string? user, string expected)
    {
        var client = await ClientAsync(user);
        using var response = await client.GetAsync("/materiel/export.csv?commune=26144");

        Assert.Equal(expected, Outcome(response));
    }

    [Theory]
    [InlineData("mairie-26144", "26144", Ok)]
    [InlineData("mairie-26185", "26144", Refused)]
    [InlineData("staff", "26144", Ok)]
    [InlineData("technicien", "26144", Refused)]
    [InlineData("admin", "26144", Ok)]
    [InlineData(null, "26144", SignIn)]
    [InlineData("mairie-26144", "communaute", Refused)]
    [InlineData("staff", "communaute", Ok)]
    public async Task Who_may_print_the_labels(string? user, string commune, string expected)
    {
        var client = await ClientAsync(user);
        using var response = await client.GetAsync($"/materiel/etiquettes.pdf?commune={commune}");

        Assert.Equal(expected, Outcome(response));
    }

    [Fact]
    public async Task The_labels_are_an_a4_pdf_with_a_page_per_21_units_titled_with_the_owner()
    {
        await using var db = site.Database.CreateDb();
        var units = await db.EquipmentUnits.CountAsync(u => u.OwnerCommuneId == null && u.Status != UnitStatus.Retired);
        var client = await site.As("staff");

        using var response = await client.GetAsync("/materiel/etiquettes.pdf?commune=communaute");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var pdf = PdfSharp.Pdf.IO.PdfReader.Open(new MemoryStream(bytes), PdfSharp.Pdf.IO.PdfDocumentOpenMode.Import);

        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal((units + 20) / 21, pdf.PageCount);
        Assert.Equal(595, (int)pdf.Pages[0].Width.Point);
        Assert.Contains("Communauté de communes", pdf.Info.Title);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"payload\" value=\"([^\"]+)\"")]
    private static partial Regex Payload();
}
