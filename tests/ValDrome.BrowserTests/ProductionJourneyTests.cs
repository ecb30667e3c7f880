using System.Text.RegularExpressions;
using ImageMagick;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ValDrome.Jobs.Accounts;
using ValDrome.Tests.Support;
using ValDrome.Web;
using ValDrome.Web.Pages.Account;

namespace ValDrome.BrowserTests;

/// <summary>
/// A fresh install as a community runs it: Production mode, a database that only the app's own
/// <c>setup</c> step has filled (territory, no demo data, no account), mail written as files.
/// Its own site and browser: nothing of the shared, seeded browser site may leak into it.
/// </summary>
public sealed class ProductionSite : IAsyncLifetime
{
    public const string PublicUrl = "https://valdrome.example.fr";

    private TestDatabase? _database;
    private ValDromeApp? _app;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    public ValDromeApp App => _app ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        // Migrated only: the territory comes from the app's setup step below, as in Production.
        _database = await TestDatabase.CreateMigratedAsync("production");
        _app = new ValDromeApp(_database, new Dictionary<string, string>
        {
            // Last setting wins over ValDromeApp's « Testing » environment.
            ["environment"] = "Production",
            ["ValDrome:PublicUrl"] = PublicUrl,
            ["ValDrome:TerritoryFile"] = TestDatabase.TerritoryFile,
        });
        _app.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        _app.StartServer();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        // appsettings.Production.json allows the host « localhost » only (the reverse proxy's):
        // the browser asks for that name, which its resolver rule sends to Kestrel's loopback port.
        BaseAddress = new UriBuilder(addresses.Addresses.First()) { Host = "localhost" }.Uri;
        await WebComposition.SetUpDatabaseAsync(_app.Services);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("VALDROME_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", "--disable-quic", "--host-resolver-rules=MAP localhost 127.0.0.1"],
        });
        Directory.CreateDirectory(BrowserSite.ScreenshotDirectory);
    }

    /// <summary>A browser of its own for each person (its own cookies).</summary>
    public async Task<IPage> NewPersonAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = "fr-FR",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

public sealed partial class ProductionJourneyTests(ProductionSite site) : IClassFixture<ProductionSite>
{
    private const string AdminEmail = "chef@cc-valdrome.fr";
    private const string AlexEmail = "secretariat@mairie-allex.fr";
    private const string GraneEmail = "secretariat@mairie-grane.fr";

    [Fact]
    public async Task From_an_empty_database_the_admin_invites_two_communes_and_one_lends_a_photographed_mini_pelle_to_the_other()
    {
        site.App.SetToday(new DateOnly(2026, 12, 1));
        await using (var db = site.Database.CreateDb())
        {
            Assert.Equal(0, await db.Users.CountAsync());
            Assert.Equal(0, await db.EquipmentUnits.CountAsync());
            Assert.Equal(0, await db.EquipmentCategories.CountAsync());
        }

        // The first administrator, by the app's own command; its one-time link sets the password.
        using var output = new StringWriter();
        Assert.Equal(0, await FirstAdmin.RunAsync(site.App.Services, ["--email", AdminEmail, "--name", "Cheffe du service"], output));
        var admin = await site.NewPersonAsync();
        await ActivateAsync(admin, LinkIn(output.ToString()));
        await Shot(admin, "production-admin-active");

        // Two communes' agents, invited by mail.
        await InviteAsync(admin, AlexEmail, "Secrétariat de mairie d'Allex", "Allex");
        await InviteAsync(admin, GraneEmail, "Secrétariat de mairie de Grane", "Grane");
        await Shot(admin, "production-comptes");
        var allex = await site.NewPersonAsync();
        await ActivateAsync(allex, await MailedLinkAsync(AlexEmail));
        var grane = await site.NewPersonAsync();
        await ActivateAsync(grane, await MailedLinkAsync(GraneEmail));

        // The empty catalogue needs its first category.
        await admin.GotoAsync("/admin/categories");
        await admin.GetByLabel("Code (dans les adresses").FillAsync("mini-pelle");
        await admin.GetByLabel("Nom", new() { Exact = true }).Last.FillAsync("Mini-pelle");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Ajouter la catégorie" }).ClickAsync();
        await Assertions.Expect(admin.Locator("input[name='Name'][value='Mini-pelle']")).ToHaveCountAsync(1);

        // Allex adds its mini-pelle, with a photo.
        await allex.GotoAsync("/materiel/nouveau");
        await allex.GetByLabel("Code d'inventaire").FillAsync("26006-MP-01");
        await allex.GetByLabel("Nom", new() { Exact = true }).FillAsync("Mini-pelle Kubota d'Allex");
        await allex.Locator("select[name='Form.CategoryId']").SelectOptionAsync(new SelectOptionValue { Label = "Mini-pelle" });
        await allex.GetByLabel("Tarif journalier (€, hors transport)").FillAsync("80");
        await allex.Locator("input[type='file'][name='Photo']").SetInputFilesAsync(new FilePayload
        {
            Name = "mini-pelle.jpg",
            MimeType = "image/jpeg",
            Buffer = Photo(),
        });
        await allex.GetByRole(AriaRole.Button, new() { Name = "Ajouter au catalogue" }).ClickAsync();
        await Assertions.Expect(allex.GetByRole(AriaRole.Status)).ToContainTextAsync("« Mini-pelle Kubota d'Allex » est au catalogue.");
        await allex.GotoAsync("/materiel");
        var thumbnail = allex.Locator("tr", new() { HasText = "Mini-pelle Kubota d'Allex" }).Locator("img.unit-thumb");
        await Assertions.Expect(thumbnail).ToBeVisibleAsync();
        await allex.WaitForFunctionAsync("() => { const i = document.querySelector('img.unit-thumb'); return i && i.complete && i.naturalWidth > 0; }");
        await Shot(allex, "production-catalogue");

        // Grane finds it on the map...
        await grane.GotoAsync("/carte");
        var map = grane.Locator("#map[data-ready='true']");
        await map.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        Assert.Equal("1", await map.GetAttributeAsync("data-units-loaded"));
        var names = await grane.EvaluateAsync<string[]>("async () => (await (await fetch('/carte/materiel.geojson')).json()).features.map(f => f.properties.nom)");
        Assert.Equal(["Mini-pelle Kubota d'Allex"], names);
        Assert.True(await grane.Locator("#map .leaflet-marker-icon").CountAsync() > 0);

        // ...and among the proposals of its request, and asks for it.
        await grane.GotoAsync("/prets/demander");
        await grane.GetByLabel("Catégorie").SelectOptionAsync(new SelectOptionValue { Label = "Mini-pelle" });
        await grane.GetByLabel("Premier jour").FillAsync("2027-02-08");
        await grane.GetByLabel("Dernier jour").FillAsync("2027-02-10");
        await grane.GetByLabel("Usage prévu").FillAsync("Curage du fossé du chemin des Blaches");
        await grane.GetByRole(AriaRole.Button, new() { Name = "Voir les propositions" }).ClickAsync();
        var rows = grane.Locator("table.proposals tbody tr");
        await rows.First.WaitForAsync();
        Assert.Equal(1, await rows.CountAsync());
        Assert.Contains("Mini-pelle Kubota d'Allex", await rows.First.InnerTextAsync(), StringComparison.Ordinal);
        await Shot(grane, "production-propositions");
        await rows.First.GetByRole(AriaRole.Button, new() { Name = "Demander" }).ClickAsync();
        await grane.WaitForURLAsync(new Regex("/prets/[0-9]+$"));
        Assert.Equal("Demandé", await grane.Locator(".facts .loan-status").InnerTextAsync());

        // Allex approves.
        await allex.GotoAsync(grane.Url);
        await allex.GetByRole(AriaRole.Button, new() { Name = "Approuver" }).ClickAsync();
        await allex.Locator(".alert.success").WaitForAsync();
        Assert.Equal("Approuvé", await allex.Locator(".facts .loan-status").InnerTextAsync());
        await Shot(allex, "production-pret-approuve");

        await using (var db = site.Database.CreateDb())
        {
            // Nothing of the Development seed: the three accounts made here, and nothing else.
            Assert.Equal(3, await db.Users.CountAsync());
            Assert.Equal(1, await db.EquipmentUnits.CountAsync());
        }
    }

    private static string LinkIn(string text) =>
        LinkPattern().Match(text) is { Success: true } match ? match.Groups["path"].Value
            : throw new InvalidOperationException("No one-time link in: " + text);

    private static async Task ActivateAsync(IPage page, string path)
    {
        const string password = "Un-mot-de-passe-solide-2026";
        var opened = await page.GotoAsync(path);
        Assert.True(opened is { Ok: true }, $"{path}: {opened?.Status} {await page.InnerTextAsync("body")}");
        await page.GetByLabel("Nouveau mot de passe").FillAsync(password);
        await page.GetByLabel("Le même, une seconde fois").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer et me connecter" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/compte/activer", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();
    }

    private static async Task InviteAsync(IPage admin, string email, string name, string commune)
    {
        await admin.GotoAsync("/admin/comptes");
        var form = admin.Locator("form", new() { Has = admin.GetByRole(AriaRole.Button, new() { Name = "Envoyer l'invitation", Exact = true }) });
        await form.GetByLabel("Adresse électronique").FillAsync(email);
        await form.GetByLabel("Nom affiché").FillAsync(name);
        await form.GetByLabel("Rôle").SelectOptionAsync(new SelectOptionValue { Label = "Agent de commune" });
        await form.GetByLabel("Commune (pour un agent)").SelectOptionAsync(new SelectOptionValue { Label = commune });
        await form.GetByRole(AriaRole.Button, new() { Name = "Envoyer l'invitation", Exact = true }).ClickAsync();
        await Assertions.Expect(admin.Locator("table.catalogue")).ToContainTextAsync(email);
    }

    /// <summary>
    /// The invitation's link, read from the mail file: the invitation is a queued job, run here as
    /// the Hangfire server would (test sites run none).
    /// </summary>
    private async Task<string> MailedLinkAsync(string email)
    {
        string id;
        await using (var db = site.Database.CreateDb())
        {
            id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        }

        Assert.True(await site.App.RunJobAsync<SendAccountMail, bool>(j => j.RunAsync(id, AccountMail.Invitation, CancellationToken.None)));
        var mail = site.App.Mails().Last(m => m.To.Mailboxes.Any(a => a.Address == email));
        return LinkIn(mail.TextBody ?? mail.HtmlBody?.Replace("&amp;", "&", StringComparison.Ordinal) ?? "");
    }

    /// <summary>A small real JPEG made here (no binary in the repository).</summary>
    private static byte[] Photo()
    {
        using var image = new MagickImage(MagickColors.Orange, 640, 480);
        image.Draw(new ImageMagick.Drawing.Drawables().FillColor(MagickColors.Black).Rectangle(200, 200, 440, 380));
        image.Format = MagickFormat.Jpeg;
        return image.ToByteArray();
    }

    private static async Task Shot(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, name + ".png"), FullPage = true });

    [GeneratedRegex(@"https://valdrome\.example\.fr(?<path>/compte/activer\?[^\s""<>]+)")]
    private static partial Regex LinkPattern();
}
