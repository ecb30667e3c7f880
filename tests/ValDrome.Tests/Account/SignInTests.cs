using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ValDrome.Domain.Seed;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Account;

public sealed partial class SignInTests(SignInSite site) : IClassFixture<SignInSite>
{
    private const string WrongPassword = "pas-le-bon-mot-de-passe";

    /// <summary>A client that has read the sign-in page: its post is ready to go at once.</summary>
    private async Task<(HttpClient Client, string Token)> ReadySignInAsync()
    {
        var client = site.Client();
        using var page = await client.GetAsync("/connexion");
        var token = Token().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        return (client, WebUtility.HtmlDecode(token));
    }

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string token, string userName, string password)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.UserName"] = userName,
            ["Form.Password"] = password,
            ["__RequestVerificationToken"] = token,
        });
        return await client.PostAsync("/connexion", form);
    }

    private async Task<(int? Failed, DateTimeOffset? LockoutEnd)> AccountStateAsync(string userName)
    {
        await using var db = site.Database.CreateDb();
        var user = db.Users.Single(u => u.UserName == userName);
        return (user.AccessFailedCount, user.LockoutEnd);
    }

    private async Task<HttpStatusCode[]> BurstAsync(IEnumerable<(string UserName, string Password)> attempts)
    {
        var ready = await Task.WhenAll(attempts.Select(async a => (a, await ReadySignInAsync())));
        var responses = await Task.WhenAll(ready.Select(r => Task.Run(async () =>
        {
            using var response = await PostSignInAsync(r.Item2.Client, r.Item2.Token, r.a.UserName, r.a.Password);
            return response.StatusCode;
        })));
        foreach (var (_, (client, _)) in ready)
        {
            client.Dispose();
        }

        return responses;
    }

    [Fact]
    public async Task Forty_simultaneous_wrong_passwords_check_at_most_five_and_lock_the_account()
    {
        var user = DevelopmentAccounts.AgentOf("26144");

        var statuses = await BurstAsync(Enumerable.Repeat((user, WrongPassword), 40));

        Assert.Equal(5, site.Hasher.VerificationsOf(user));
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.BadRequest or HttpStatusCode.TooManyRequests, s.ToString()));
        var (failed, lockoutEnd) = await AccountStateAsync(user);
        Assert.Equal(0, failed); // the count starts again once the lockout is set, as Identity does
        Assert.NotNull(lockoutEnd);
        Assert.InRange(lockoutEnd.Value, site.Base.Clock.GetUtcNow().AddMinutes(4), site.Base.Clock.GetUtcNow().AddMinutes(6));

        // The right password in a second burst gets no check while the account is locked.
        var again = await BurstAsync(Enumerable.Repeat((user, WrongPassword), 10).Append((user, DevelopmentAccounts.Password)));

        Assert.Equal(5, site.Hasher.VerificationsOf(user));
        Assert.All(again, s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
    }

    [Fact]
    public async Task The_right_password_in_a_burst_of_wrong_ones_gets_no_extra_checks()
    {
        var user = DevelopmentAccounts.AgentOf("26125");

        var statuses = await BurstAsync(Enumerable.Repeat((user, WrongPassword), 20).Append((user, DevelopmentAccounts.Password)).Reverse());

        // Five checks in all, the right password's included if it got one.
        Assert.Equal(5, site.Hasher.VerificationsOf(user));
        Assert.True(statuses.Count(s => s is HttpStatusCode.BadRequest or HttpStatusCode.Redirect) <= 5);
    }

    [Fact]
    public async Task Wrong_passwords_are_counted_and_a_success_starts_the_count_again()
    {
        var user = DevelopmentAccounts.AgentOf("26006");
        var (client, token) = await ReadySignInAsync();
        using (var first = await PostSignInAsync(client, token, user, WrongPassword))
        using (var second = await PostSignInAsync(client, token, user, WrongPassword))
        {
            Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
            Assert.Contains("Identifiant ou mot de passe incorrect.", await second.TextAsync());
        }

        Assert.Equal(2, (await AccountStateAsync(user)).Failed);

        using var success = await PostSignInAsync(client, token, user, DevelopmentAccounts.Password);

        Assert.Equal(HttpStatusCode.Redirect, success.StatusCode);
        Assert.Equal(0, (await AccountStateAsync(user)).Failed);
    }

    [Fact]
    public async Task Unknown_and_known_user_names_get_the_same_answer_and_both_verify_a_hash()
    {
        var known = DevelopmentAccounts.AgentOf("26020");
        var dummyBefore = site.Hasher.VerificationsOf("");
        var (client, token) = await ReadySignInAsync();

        using var unknown = await PostSignInAsync(client, token, "mairie-99999", WrongPassword);
        var dummyAfter = site.Hasher.VerificationsOf("");
        using var wrong = await PostSignInAsync(client, token, known, WrongPassword);

        Assert.Equal(wrong.StatusCode, unknown.StatusCode);
        Assert.Equal(ErrorOf(await wrong.TextAsync()), ErrorOf(await unknown.TextAsync()));
        Assert.Equal("Identifiant ou mot de passe incorrect.", ErrorOf(await unknown.TextAsync()));
        Assert.Equal(1, dummyAfter - dummyBefore);
        Assert.Equal(1, site.Hasher.VerificationsOf(known));
    }

    [Fact]
    public async Task Sign_in_posts_over_the_limit_of_an_address_get_the_French_429_page()
    {
        await using var limited = site.Base.WithWebHostBuilder(b => b.UseSetting("ValDrome:SignIn:AttemptsPerAddress", "3"));
        using var client = limited.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var page = await client.GetAsync("/connexion");
        var token = WebUtility.HtmlDecode(Token().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var attempt = await PostSignInAsync(client, token, "mairie-99998", WrongPassword);
            statuses.Add(attempt.StatusCode);
        }

        using var refused = await PostSignInAsync(client, token, "mairie-99998", WrongPassword);
        using var stillReadable = await client.GetAsync("/connexion");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.BadRequest, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var text = await refused.TextAsync();
        Assert.Contains("<html lang=\"fr\">", text);
        Assert.Contains("Trop de tentatives de connexion depuis votre adresse", text);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, stillReadable.StatusCode);
    }

    [Fact]
    public async Task The_limit_counts_each_client_address_behind_the_proxy_apart()
    {
        await using var limited = site.Base.WithWebHostBuilder(b => b.UseSetting("ValDrome:SignIn:AttemptsPerAddress", "2")
            .ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new Pages.SecurityHeadersTests.FromAddress(IPAddress.Loopback))));
        using var client = limited.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var page = await client.GetAsync("/connexion");
        var token = WebUtility.HtmlDecode(Token().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value);

        async Task<HttpStatusCode> FromAsync(string address)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Form.UserName"] = "mairie-99997",
                ["Form.Password"] = WrongPassword,
                ["__RequestVerificationToken"] = token,
            });
            using var request = new HttpRequestMessage(HttpMethod.Post, "/connexion") { Content = form };
            request.Headers.Add("X-Forwarded-For", address);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        var first = new[] { await FromAsync("203.0.113.1"), await FromAsync("203.0.113.1"), await FromAsync("203.0.113.1") };
        var other = await FromAsync("203.0.113.2");

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], first);
        Assert.Equal(HttpStatusCode.BadRequest, other);
    }

    private static string ErrorOf(string html) =>
        ValidationError().Match(html) is { Success: true } match ? match.Groups[1].Value.Trim() : "";

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("<div class=\"alert error[^\"]*\"[^>]*>\\s*<ul>\\s*<li>([^<]*)</li>")]
    private static partial Regex ValidationError();
}
