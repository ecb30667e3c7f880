using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Accounts;
using ValDrome.Tests.Support;
using ValDrome.Web;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Tests.Account;

/// <summary>A community installs ValDrome: Production mode, an empty database, no developer at hand.</summary>
public sealed class FirstStartTests : IAsyncLifetime
{
    private const string PublicUrl = "https://valdrome.example.fr";
    private const string AdminEmail = "chef@cc-valdrome.fr";
    private const string NewPassword = "Premier-mot-de-passe-2026";

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync("firststart");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private WebApplicationFactory<Program> ProductionSite(Dictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>(settings ?? [])
        {
            ["ValDrome:PublicUrl"] = PublicUrl,
            ["ValDrome:TerritoryFile"] = TestDatabase.TerritoryFile,
        };
        return new ValDromeApp(_database, all).WithWebHostBuilder(builder => builder.UseEnvironment("Production"));
    }

    private static async Task<(int ExitCode, string Output)> RunAdminCommandAsync(WebApplicationFactory<Program> site, params string[] args)
    {
        using var output = new StringWriter();
        var code = await FirstAdmin.RunAsync(site.Services, args, output);
        return (code, output.ToString());
    }

    private static string LinkIn(string output) =>
        output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(PublicUrl, StringComparison.Ordinal));

    private static HttpClient Client(WebApplicationFactory<Program> site) =>
        site.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [Fact]
    public async Task Setup_in_production_imports_the_territory_and_creates_no_account_and_no_demo_data()
    {
        await using var site = ProductionSite();

        await WebComposition.SetUpDatabaseAsync(site.Services);

        await using var db = _database.CreateDb();
        Assert.True(await db.Communes.AnyAsync());
        Assert.Equal(0, await db.Users.CountAsync());
        Assert.Equal(0, await db.EquipmentUnits.CountAsync());
        Assert.Equal(0, await db.Loans.CountAsync());
    }

    [Fact]
    public async Task The_admin_command_on_an_empty_database_creates_one_admin_whose_link_sets_the_password_once()
    {
        await using var site = ProductionSite();
        await WebComposition.SetUpDatabaseAsync(site.Services);

        var (code, output) = await RunAdminCommandAsync(site, "--email", AdminEmail, "--name", "Cheffe du service");

        Assert.Equal(0, code);
        var link = LinkIn(output);
        Assert.StartsWith(PublicUrl + "/compte/activer?", link, StringComparison.Ordinal);
        await using (var db = _database.CreateDb())
        {
            var user = await db.Users.SingleAsync();
            Assert.Equal(AdminEmail, user.UserName);
            Assert.Null(user.PasswordHash);
            var roles = await (from l in db.UserRoles join r in db.Roles on l.RoleId equals r.Id where l.UserId == user.Id select r.Name).ToListAsync();
            Assert.Equal([Roles.Admin], roles);
        }

        var path = link[PublicUrl.Length..];
        using var client = Client(site);
        using var set = await client.SubmitAsync(path, new() { ["Form.Password"] = NewPassword, ["Form.Confirmation"] = NewPassword });
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        using var admin = await client.GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);

        using var again = Client(site);
        using var reused = await again.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Contains("n'est plus valable", await reused.TextAsync(), StringComparison.Ordinal);

        using var signIn = await again.SubmitAsync("/connexion", new() { ["Form.UserName"] = AdminEmail, ["Form.Password"] = NewPassword });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task The_admin_command_refuses_an_address_whose_account_already_has_a_password()
    {
        await using var site = ProductionSite();
        await WebComposition.SetUpDatabaseAsync(site.Services);
        var (_, first) = await RunAdminCommandAsync(site, "--email", AdminEmail, "--name", "Cheffe");
        using var client = Client(site);
        using var set = await client.SubmitAsync(LinkIn(first)[PublicUrl.Length..], new() { ["Form.Password"] = NewPassword, ["Form.Confirmation"] = NewPassword });
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);

        var (code, output) = await RunAdminCommandAsync(site, "--email", AdminEmail, "--name", "Quelqu'un d'autre");

        Assert.Equal(1, code);
        Assert.Contains("existe déjà", output, StringComparison.Ordinal);
        Assert.DoesNotContain(PublicUrl, output, StringComparison.Ordinal);
        await using var db = _database.CreateDb();
        Assert.Equal("Cheffe", (await db.Users.SingleAsync()).DisplayName);
    }

    [Fact]
    public async Task The_admin_command_refuses_a_missing_or_malformed_address()
    {
        await using var site = ProductionSite();

        Assert.Equal(2, (await RunAdminCommandAsync(site, "--name", "Sans adresse")).ExitCode);
        Assert.Equal(2, (await RunAdminCommandAsync(site, "--email", "pas une adresse")).ExitCode);

        await using var db = _database.CreateDb();
        Assert.Equal(0, await db.Users.CountAsync());
    }

    [Fact]
    public async Task An_invitation_link_is_refused_once_expired()
    {
        await using var site = ProductionSite(new() { ["ValDrome:Accounts:Invitation:TokenLifespan"] = "00:00:00" });
        var (_, output) = await RunAdminCommandAsync(site, "--email", AdminEmail);
        using var client = Client(site);

        using var page = await client.GetAsync(LinkIn(output)[PublicUrl.Length..]);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        await using var db = _database.CreateDb();
        Assert.Null((await db.Users.SingleAsync()).PasswordHash);
    }
}
