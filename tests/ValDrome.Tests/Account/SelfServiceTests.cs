using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Seed;
using ValDrome.Jobs.Accounts;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Account;

/// <summary>What everyone does alone: a forgotten password, a new password, a new address; and what the sign-in page says.</summary>
public sealed partial class SelfServiceTests(MarketSite site) : IClassFixture<MarketSite>
{
    private const string NewPassword = "Un-nouveau-mot-2026";

    private async Task<string> UserIdAsync(string userName)
    {
        await using var db = site.Database.CreateDb();
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }

    private async Task<string> EmailOfAsync(string userName)
    {
        await using var db = site.Database.CreateDb();
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.Email!).SingleAsync();
    }

    private async Task<string> MailedPathAsync(Func<Task> send)
    {
        var before = site.App.Mails().Count;
        await send();
        var body = site.App.Mails().Skip(before).Single().TextBody ?? "";
        return new Uri(Link().Match(body).Value).PathAndQuery;
    }

    [Fact]
    public async Task Forgot_password_answers_the_same_for_a_known_and_an_unknown_address()
    {
        var known = await EmailOfAsync(DevelopmentAccounts.AgentOf("26006"));

        using var forKnown = await site.App.Client().SubmitAsync("/mot-de-passe-oublie", new() { ["Email"] = known });
        using var forUnknown = await site.App.Client().SubmitAsync("/mot-de-passe-oublie", new() { ["Email"] = "personne@nulle-part.fr" });

        Assert.Equal(HttpStatusCode.OK, forKnown.StatusCode);
        Assert.Equal(forKnown.StatusCode, forUnknown.StatusCode);
        Assert.Equal(WithoutToken(await forKnown.TextAsync()), WithoutToken(await forUnknown.TextAsync()));
        Assert.Contains("Si un compte correspond à cette adresse", await forUnknown.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reset_link_sets_a_new_password_once_and_the_old_one_stops_working()
    {
        var user = DevelopmentAccounts.AgentOf("26165");
        var id = await UserIdAsync(user);
        var path = await MailedPathAsync(() => site.App.RunJobAsync<SendAccountMail, bool>(j => j.RunAsync(id, AccountMail.PasswordReset, CancellationToken.None)));

        using var client = site.App.Client();
        using var set = await client.SubmitAsync(path, new() { ["Form.Password"] = NewPassword, ["Form.Confirmation"] = NewPassword });
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);

        using var reused = await site.App.Client().GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        using var old = await site.App.Client().SubmitAsync("/connexion", new() { ["Form.UserName"] = user, ["Form.Password"] = DevelopmentAccounts.Password });
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        using var fresh = await site.App.Client().SubmitAsync("/connexion", new() { ["Form.UserName"] = user, ["Form.Password"] = NewPassword });
        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
    }

    [Fact]
    public async Task Changing_the_password_ends_every_session_and_the_new_one_signs_in()
    {
        var user = DevelopmentAccounts.AgentOf("26185");
        using var here = await site.App.SignedInAsync(user);
        using var elsewhere = await site.App.SignedInAsync(user);

        using var change = await here.SubmitAsync("/compte", new()
        {
            ["Change.Current"] = DevelopmentAccounts.Password, ["Change.New"] = NewPassword, ["Change.Confirmation"] = NewPassword,
        }, "/compte?handler=Password");

        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        using var gone = await elsewhere.GetAsync("/compte");
        Assert.Equal(HttpStatusCode.Redirect, gone.StatusCode);
        using var again = await site.App.Client().SubmitAsync("/connexion", new() { ["Form.UserName"] = user, ["Form.Password"] = NewPassword });
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
    }

    [Fact]
    public async Task A_wrong_current_password_changes_nothing_and_says_so_in_french()
    {
        using var client = await site.App.SignedInAsync(DevelopmentAccounts.AgentOf("26166"));

        using var change = await client.SubmitAsync("/compte", new()
        {
            ["Change.Current"] = "pas-le-bon", ["Change.New"] = NewPassword, ["Change.Confirmation"] = NewPassword,
        }, "/compte?handler=Password");

        Assert.Equal(HttpStatusCode.BadRequest, change.StatusCode);
        Assert.Contains("Mot de passe incorrect.", await change.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_address_is_taken_only_once_its_mailed_link_is_confirmed()
    {
        var user = DevelopmentAccounts.AgentOf("26144");
        var before = await EmailOfAsync(user);
        using var client = await site.App.SignedInAsync(user);
        using var ask = await client.SubmitAsync("/compte", new() { ["newEmail"] = "nouvelle@mairie-exemple.fr" }, "/compte?handler=Email");
        Assert.Equal(HttpStatusCode.Redirect, ask.StatusCode);
        Assert.Equal(before, await EmailOfAsync(user));

        var id = await UserIdAsync(user);
        var path = await MailedPathAsync(() => site.App.RunJobAsync<SendAccountMail, bool>(j => j.RunEmailChangeAsync(id, "nouvelle@mairie-exemple.fr", CancellationToken.None)));
        Assert.Equal("nouvelle@mairie-exemple.fr", site.App.Mails()[^1].To.Mailboxes.Single().Address);
        using var anyone = site.App.Client();
        using var page = await anyone.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(before, await EmailOfAsync(user));

        using var confirm = await anyone.SubmitAsync(path, new());

        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Equal("nouvelle@mairie-exemple.fr", await EmailOfAsync(user));
        using var again = await site.App.Client().GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Fact]
    public async Task The_sign_in_page_says_what_the_identifier_is_and_carries_no_english()
    {
        using var page = await site.App.Client().GetAsync("/connexion");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Contains("Votre identifiant vous a été envoyé par mail lors de l'invitation", await page.TextAsync(), StringComparison.Ordinal);
        Assert.Contains("/mot-de-passe-oublie", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-val", html, StringComparison.Ordinal);
        Assert.DoesNotContain("field is required", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("technicien")]
    [InlineData("personne-inconnue")]
    public async Task The_sign_in_page_warns_before_the_lockout_alike_for_known_and_unknown_names(string userName)
    {
        string? third = null;
        for (var i = 0; i < 3; i++)
        {
            using var failed = await site.App.Client().SubmitAsync("/connexion", new() { ["Form.UserName"] = userName, ["Form.Password"] = "pas-le-bon-mot" });
            Assert.Equal(HttpStatusCode.BadRequest, failed.StatusCode);
            third = await failed.TextAsync();
        }

        Assert.Contains("Encore 2 essais avant le blocage du compte pendant 5 minutes", third, StringComparison.Ordinal);
    }

    /// <summary>The page without its per-request antiforgery token.</summary>
    private static string WithoutToken(string html) => Token().Replace(html, "");

    [GeneratedRegex(@"https?://\S+/compte/(activer|adresse)\?\S+")]
    private static partial Regex Link();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"")]
    private static partial Regex Token();
}
