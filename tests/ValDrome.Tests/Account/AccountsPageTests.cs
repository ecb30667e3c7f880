using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Seed;
using ValDrome.Jobs.Accounts;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Account;

/// <summary>/admin/comptes: staff and admins keep the accounts; staff never make or touch an admin.</summary>
public sealed partial class AccountsPageTests(MarketSite site) : IClassFixture<MarketSite>
{
    private const string Page = "/admin/comptes";
    private const string NewPassword = "Mot-de-passe-choisi-2026";

    private static string Outcome(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.Redirect when location.Contains("/connexion", StringComparison.Ordinal) => "sign-in",
            HttpStatusCode.Redirect when location.Contains("/acces-refuse", StringComparison.Ordinal) => "refused",
            HttpStatusCode.Redirect when location.EndsWith(Page, StringComparison.Ordinal) => "saved",
            _ => ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private async Task<HttpResponseMessage> InviteAsync(string? user, string email, string role, int? communeId = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["Invite.Email"] = email, ["Invite.DisplayName"] = "Personne invitée", ["Invite.Role"] = role,
            ["Invite.CommuneId"] = communeId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
        };
        return user is null
            ? await site.App.Client().PostAsync(Page + "?handler=Invite", new FormUrlEncodedContent(fields))
            : await (await site.As(user)).SubmitAsync(user is DevelopmentAccounts.Staff or DevelopmentAccounts.Admin ? Page : "/compte", fields, Page + "?handler=Invite");
    }

    private async Task<(string Id, string Stamp)> AccountAsync(string userName)
    {
        await using var db = site.Database.CreateDb();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == userName);
        return (user.Id, user.ConcurrencyStamp!);
    }

    private async Task<HttpResponseMessage> ActAsync(string user, string handler, string target, Dictionary<string, string>? more = null)
    {
        var (id, stamp) = await AccountAsync(target);
        var fields = new Dictionary<string, string>(more ?? []) { ["id"] = id, ["stamp"] = stamp };
        return await (await site.As(user)).SubmitAsync(Page, fields, $"{Page}?handler={handler}");
    }

    private async Task<int> CommuneIdAsync(string insee)
    {
        await using var db = site.Database.CreateDb();
        return await db.Communes.Where(c => c.Insee == insee).Select(c => c.Id).SingleAsync();
    }

    private async Task<bool> ExistsAsync(string email)
    {
        await using var db = site.Database.CreateDb();
        return await db.Users.AnyAsync(u => u.Email == email);
    }

    [Theory]
    [InlineData(null, "sign-in")]
    [InlineData("mairie-26006", "refused")]
    [InlineData("technicien", "refused")]
    [InlineData("staff", "200")]
    [InlineData("admin", "200")]
    public async Task Who_may_open_the_accounts_page(string? user, string expected)
    {
        // Signed-in clients are the site's, shared by the tests: not disposed here.
        var client = user is null ? site.App.Client() : await site.As(user);
        using var response = await client.GetAsync(Page);
        Assert.Equal(expected, Outcome(response));
    }

    [Fact]
    public async Task Staff_may_not_open_the_jobs_page_which_stays_the_admins()
    {
        using var response = await (await site.As(DevelopmentAccounts.Staff)).GetAsync("/admin/taches");
        Assert.Equal("refused", Outcome(response));
    }

    [Theory]
    [InlineData(null, "technician", "sign-in")]
    [InlineData("mairie-26006", "agent", "refused")]
    [InlineData("technicien", "technician", "refused")]
    [InlineData("staff", "admin", "400")]
    [InlineData("staff", "technician", "saved")]
    [InlineData("admin", "admin", "saved")]
    public async Task Who_may_invite_whom(string? user, string role, string expected)
    {
        var email = $"invite-{user ?? "anonyme"}-{role}@exemple.fr";
        var communeId = role == Roles.Agent ? await CommuneIdAsync("26006") : (int?)null;

        using var response = await InviteAsync(user, email, role, communeId);

        Assert.Equal(expected, Outcome(response));
        Assert.Equal(expected == "saved", await ExistsAsync(email));
    }

    [Fact]
    public async Task An_agent_invitation_without_a_commune_is_refused_in_french_and_writes_nothing()
    {
        using var response = await InviteAsync(DevelopmentAccounts.Admin, "sans-commune@exemple.fr", Roles.Agent);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("choisissez-la", await response.TextAsync(), StringComparison.Ordinal);
        Assert.False(await ExistsAsync("sans-commune@exemple.fr"));
    }

    [Fact]
    public async Task Staff_may_not_disable_or_change_an_admin()
    {
        using var disable = await ActAsync(DevelopmentAccounts.Staff, "Disable", DevelopmentAccounts.Admin);
        using var change = await ActAsync(DevelopmentAccounts.Staff, "Change", DevelopmentAccounts.Admin, new() { ["role"] = Roles.Technician });

        Assert.Equal(HttpStatusCode.Forbidden, disable.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        await using var db = site.Database.CreateDb();
        Assert.Null((await db.Users.SingleAsync(u => u.UserName == DevelopmentAccounts.Admin)).LockoutEnd);
    }

    [Fact]
    public async Task Staff_may_not_make_someone_an_admin()
    {
        var target = DevelopmentAccounts.AgentOf("26020");
        using var response = await ActAsync(DevelopmentAccounts.Staff, "Change", target, new() { ["role"] = Roles.Admin });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = site.Database.CreateDb();
        Assert.False(await (from l in db.UserRoles join r in db.Roles on l.RoleId equals r.Id join u in db.Users on l.UserId equals u.Id
                            where u.UserName == target && r.Name == Roles.Admin select l).AnyAsync());
    }

    [Fact]
    public async Task A_change_made_on_a_stale_page_is_refused_with_409()
    {
        var target = DevelopmentAccounts.AgentOf("26166");
        var (id, stale) = await AccountAsync(target);
        using var first = await ActAsync(DevelopmentAccounts.Admin, "Disable", target);
        Assert.Equal("saved", Outcome(first));

        using var second = await (await site.As(DevelopmentAccounts.Staff)).SubmitAsync(Page, new() { ["id"] = id, ["stamp"] = stale }, Page + "?handler=Unlock");

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        await using var db = site.Database.CreateDb();
        Assert.NotNull((await db.Users.SingleAsync(u => u.Id == id)).LockoutEnd);
    }

    [Fact]
    public async Task A_disabled_account_loses_its_session_cookie_and_its_gis_key_at_once()
    {
        var target = DevelopmentAccounts.AgentOf("26165");
        using var agent = await site.App.SignedInAsync(target);
        string secret;
        await using (var db = site.Database.CreateDb())
        {
            var id = await db.Users.Where(u => u.UserName == target).Select(u => u.Id).SingleAsync();
            (var key, secret) = GisAccessKey.Create(id, "QGIS", ValDromeApp.DefaultNow);
            db.GisAccessKeys.Add(key);
            await db.SaveChangesAsync();
        }

        using var keyClient = site.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        keyClient.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        using (var before = await keyClient.GetAsync("/ogc/collections/prets/items"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var page = await agent.GetAsync("/prets"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        using var disable = await ActAsync(DevelopmentAccounts.Admin, "Disable", target);
        Assert.Equal("saved", Outcome(disable));

        using var after = await agent.GetAsync("/prets");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        using var keyAfter = await keyClient.GetAsync("/ogc/collections/prets/items");
        Assert.Equal(HttpStatusCode.Unauthorized, keyAfter.StatusCode);
        using var signIn = await site.App.Client().SubmitAsync("/connexion", new() { ["Form.UserName"] = target, ["Form.Password"] = DevelopmentAccounts.Password });
        Assert.NotEqual(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task An_invited_agent_sets_a_password_once_from_the_mailed_link_and_acts_for_their_commune()
    {
        const string email = "secretariat@mairie-exemple.fr";
        var communeId = await CommuneIdAsync("26006");
        using var invite = await InviteAsync(DevelopmentAccounts.Staff, email, Roles.Agent, communeId);
        Assert.Equal("saved", Outcome(invite));
        var (id, _) = await AccountAsync(email);

        // Tests run no Hangfire server: run the job the page queued, as the server would.
        var mailsBefore = site.App.Mails().Count;
        Assert.True(await site.App.RunJobAsync<SendAccountMail, bool>(j => j.RunAsync(id, AccountMail.Invitation, CancellationToken.None)));
        var mail = site.App.Mails().Skip(mailsBefore).Single();
        Assert.Equal(email, mail.To.Mailboxes.Single().Address);
        var body = mail.TextBody ?? "";
        Assert.Contains($"Votre identifiant : {email}", body, StringComparison.Ordinal);
        var path = new Uri(Link().Match(body).Value).PathAndQuery;

        using var client = site.App.Client();
        using var set = await client.SubmitAsync(path, new() { ["Form.Password"] = NewPassword, ["Form.Confirmation"] = NewPassword });
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        using var loans = await client.GetAsync("/prets");
        Assert.Equal(HttpStatusCode.OK, loans.StatusCode);

        using var reused = await site.App.Client().GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        await using var db = site.Database.CreateDb();
        Assert.Equal(communeId, (await db.Users.SingleAsync(u => u.Id == id)).CommuneId);
    }

    [Fact]
    public async Task A_weak_password_is_refused_in_french_and_the_link_still_works()
    {
        const string email = "faible@mairie-exemple.fr";
        using var invite = await InviteAsync(DevelopmentAccounts.Admin, email, Roles.Technician);
        var (id, _) = await AccountAsync(email);
        var before = site.App.Mails().Count;
        await site.App.RunJobAsync<SendAccountMail, bool>(j => j.RunAsync(id, AccountMail.Invitation, CancellationToken.None));
        var path = new Uri(Link().Match(site.App.Mails().Skip(before).Single().TextBody ?? "").Value).PathAndQuery;
        using var client = site.App.Client();

        using var weak = await client.SubmitAsync(path, new() { ["Form.Password"] = "court", ["Form.Confirmation"] = "court" });

        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("au moins 10 caractères", await weak.TextAsync(), StringComparison.Ordinal);
        using var good = await client.SubmitAsync(path, new() { ["Form.Password"] = NewPassword, ["Form.Confirmation"] = NewPassword });
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
    }

    [GeneratedRegex(@"https?://\S+/compte/activer\?\S+")]
    private static partial Regex Link();

    [Fact]
    public async Task The_accounts_list_shows_when_each_person_last_signed_in()
    {
        await site.As("mairie-26006");

        using var page = await (await site.As(DevelopmentAccounts.Staff)).GetAsync(Page);
        var html = await page.Content.ReadAsStringAsync();
        var row = html[html.IndexOf("mairie-26006", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];

        Assert.Contains("Dernière connexion", html);
        Assert.Contains("01/12/2026 08:00", row);
    }
}
