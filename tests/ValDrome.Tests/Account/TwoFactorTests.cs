using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using ValDrome.Domain.Seed;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Account;

/// <summary>One seeded database, seen by a site with the default settings and by one where admins must have a second factor.</summary>
public sealed class TwoFactorSite : IAsyncLifetime
{
    private TestDatabase? _database;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    public ValDromeApp App { get; private set; } = null!;

    public ValDromeApp Compulsory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateSeededAsync("twofactor");
        App = new ValDromeApp(_database);
        Compulsory = new ValDromeApp(_database, new Dictionary<string, string> { ["ValDrome:Accounts:RequireTwoFactorForAdmins"] = "true" });
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Compulsory.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary>Issue 11: admins and staff enrol an authenticator (Identity's TOTP); signing in then asks its code.</summary>
public sealed partial class TwoFactorTests(TwoFactorSite site) : IClassFixture<TwoFactorSite>
{
    private const string Page = "/compte/double-authentification";

    private static string CodeFor(string key, DateTime? at = null) =>
        new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(at ?? DateTime.UtcNow);

    /// <summary>Reads the key shown on the enrolment page and posts the authenticator's code for it.</summary>
    private static async Task<(HttpResponseMessage Response, string Key)> EnrolAsync(HttpClient client)
    {
        using var page = await client.GetAsync(Page);
        var html = await page.Content.ReadAsStringAsync();
        var key = Key().Match(html).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var protectedKey = WebUtility.HtmlDecode(ProtectedKey().Match(html).Groups[1].Value);
        Assert.NotEmpty(key);
        var response = await client.SubmitAsync(Page, new() { ["key"] = protectedKey, ["code"] = CodeFor(key) }, Page + "?handler=Enable");
        return (response, key);
    }

    private static async Task<HttpResponseMessage> PasswordAsync(HttpClient client, string userName) =>
        await client.SubmitAsync("/connexion", new()
        {
            ["Form.UserName"] = userName,
            ["Form.Password"] = DevelopmentAccounts.Password,
        });

    private static async Task<HttpResponseMessage> CodeAsync(HttpClient client, string code) =>
        await client.SubmitAsync("/connexion/code", new() { ["Code"] = code, ["Recovery"] = "false", ["Remember"] = "false" });

    [Fact]
    public async Task Staff_enrol_an_authenticator_then_sign_in_with_its_code_and_a_wrong_code_is_refused()
    {
        var client = await site.App.SignedInAsync("staff");

        var (enrolled, key) = await EnrolAsync(client);
        var enrolledText = await enrolled.TextAsync();
        using var stillSignedIn = await client.GetAsync("/compte");

        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        Assert.Contains("La double authentification est <strong>activée</strong>", enrolledText);
        Assert.Contains("Notez ces codes de secours", enrolledText);
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
        await using (var db = site.Database.CreateDb())
        {
            Assert.True(await db.Users.Where(u => u.UserName == "staff").Select(u => u.TwoFactorEnabled).SingleAsync());
        }

        var other = site.App.Client();
        using var password = await PasswordAsync(other, "staff");
        using var notYet = await other.GetAsync("/prets");
        var right = CodeFor(key);
        using var wrong = await CodeAsync(other, right == "123456" ? "654321" : "123456");
        using var signedIn = await CodeAsync(other, right);
        using var loans = await other.GetAsync("/prets");

        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith("/connexion/code", password.Headers.Location?.OriginalString);
        Assert.Contains("/connexion", notYet.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("Code incorrect.", await wrong.TextAsync());
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/prets", signedIn.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, loans.StatusCode);
        enrolled.Dispose();
    }

    [Fact]
    public async Task An_agent_cannot_enrol_a_second_factor()
    {
        var client = await site.App.SignedInAsync("mairie-26144");

        using var page = await client.GetAsync(Page);

        Assert.Contains("/acces-refuse", page.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task When_compulsory_an_admin_is_sent_to_enrol_before_anything_else_and_cannot_turn_it_off()
    {
        var client = await site.Compulsory.SignedInAsync("admin");

        using var loans = await client.GetAsync("/prets");
        using var accounts = await client.GetAsync("/admin/comptes");
        using var page = await client.GetAsync(Page);
        var (enrolled, _) = await EnrolAsync(client);
        using var afterwards = await client.GetAsync("/admin/comptes");
        using var disable = await client.SubmitAsync(Page, new(), Page + "?handler=Disable");

        Assert.Equal(Page, loans.Headers.Location?.OriginalString);
        Assert.Equal(Page, accounts.Headers.Location?.OriginalString);
        Assert.Contains("La double authentification est obligatoire pour les administrateurs", await page.TextAsync());
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, disable.StatusCode);
        await using var db = site.Database.CreateDb();
        Assert.True(await db.Users.Where(u => u.UserName == "admin").Select(u => u.TwoFactorEnabled).SingleAsync());
        enrolled.Dispose();
    }

    [Fact]
    public async Task A_successful_sign_in_records_its_time_on_the_account()
    {
        await using (var db = site.Database.CreateDb())
        {
            Assert.Null(await db.Users.Where(u => u.UserName == "technicien").Select(u => u.LastSignInAt).SingleAsync());
        }

        using var client = await site.App.SignedInAsync("technicien");

        await using (var db = site.Database.CreateDb())
        {
            Assert.Equal(ValDromeApp.DefaultNow, await db.Users.Where(u => u.UserName == "technicien").Select(u => u.LastSignInAt).SingleAsync());
        }
    }

    [GeneratedRegex("<code class=\"authenticator-key\">([^<]+)</code>")]
    private static partial Regex Key();

    [GeneratedRegex("name=\"key\" value=\"([^\"]+)\"")]
    private static partial Regex ProtectedKey();
}
