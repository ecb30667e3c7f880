using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ValDrome.Domain.Accounts;

namespace ValDrome.Bench.Marketplace;

/// <summary>
/// The real site, in process, on the bench database, in the Production environment (so nothing
/// is seeded), with its clock set before the bench calendar so that every requested day is in
/// the future.
/// </summary>
internal sealed partial class BenchSite(string connectionString, double radiusKm) : WebApplicationFactory<Program>
{
    public const string AgentUserName = "banc-agent";

    /// <summary>Only for this bench account, on a throw-away database.</summary>
    private const string AgentPassword = "Banc-ValDrome-2026";

    public static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.FromHours(1));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseContentRoot(SiteContentRoot());
        builder.UseSetting("ConnectionStrings:ValDrome", connectionString);
        // Required in Production (mails link there); the bench sends none.
        builder.UseSetting("ValDrome:PublicUrl", "http://localhost");
        builder.UseSetting("ValDrome:Marketplace:SearchRadiusKm", radiusKm.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(new FixedClock(Now)));
    }

    /// <summary>One agent account, for one synthetic commune, made through ASP.NET Identity (idempotent).</summary>
    public async Task EnsureAgentAsync(int communeId)
    {
        await using var scope = Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(Roles.Agent))
        {
            Check(await roles.CreateAsync(new IdentityRole(Roles.Agent)));
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<ValDromeUser>>();
        var user = await users.FindByNameAsync(AgentUserName);
        if (user is null)
        {
            user = new ValDromeUser
            {
                UserName = AgentUserName,
                Email = $"{AgentUserName}@valdrome.test",
                EmailConfirmed = true,
                DisplayName = "Agent du banc d'essai",
                CommuneId = communeId,
            };
            Check(await users.CreateAsync(user, AgentPassword));
            Check(await users.AddToRoleAsync(user, Roles.Agent));
        }
        else if (user.CommuneId != communeId)
        {
            user.CommuneId = communeId;
            Check(await users.UpdateAsync(user));
        }
    }

    /// <summary>A client signed in as the agent through the login form, keeping its cookie.</summary>
    public async Task<HttpClient> SignInAsync()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var page = await client.GetAsync(new Uri("/connexion", UriKind.Relative));
        var token = Token().Match(await page.Content.ReadAsStringAsync());
        if (!token.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on /connexion ({(int)page.StatusCode}).");
        }

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.UserName"] = AgentUserName,
            ["Form.Password"] = AgentPassword,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        });
        using var response = await client.PostAsync(new Uri("/connexion", UriKind.Relative), form);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"The bench agent could not sign in: {(int)response.StatusCode}.");
        }

        return client;
    }

    /// <summary>
    /// The site's folder, from the manifest Mvc.Testing writes next to the bench. The factory
    /// looks for that manifest in the current directory only, which is the repository root
    /// under <c>dotnet run --project</c>.
    /// </summary>
    private static string SiteContentRoot()
    {
        var manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json")));
        return manifest?.GetValueOrDefault(typeof(Program).Assembly.FullName!)
            ?? throw new InvalidOperationException("MvcTestingAppManifest.json does not name the site's folder.");
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}
