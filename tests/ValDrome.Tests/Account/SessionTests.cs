using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Changes;
using ValDrome.Domain.Seed;
using ValDrome.Tests.Operations;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Account;

public sealed class SessionTests(SeededSite site) : IClassFixture<SeededSite>
{
    private async Task<(HttpClient Client, string Cookie)> SignInAndCaptureAsync(string userName)
    {
        var client = site.App.Client();
        using var page = await client.GetAsync("/connexion");
        using var response = await client.SubmitAsync("/connexion", new()
        {
            ["Form.UserName"] = userName,
            ["Form.Password"] = DevelopmentAccounts.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("valdrome=", StringComparison.Ordinal));
        return (client, cookie[..cookie.IndexOf(';', StringComparison.Ordinal)]);
    }

    /// <summary>A request carrying only the captured cookie, from a client that never signed in.</summary>
    private async Task<HttpStatusCode> WithCookieAsync(string cookie, string url = "/prets")
    {
        using var stranger = site.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        using var response = await stranger.SendAsync(request);
        return response.StatusCode;
    }

    private async Task WithUsersAsync(string userName, Func<UserManager<ValDromeUser>, ValDromeUser, Task<IdentityResult>> change)
    {
        await using var scope = site.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ValDromeUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException(userName);
        var result = await change(users, user);
        Assert.True(result.Succeeded, string.Join(", ", result.Errors.Select(e => e.Description)));
    }

    private async Task<int> SessionsOfAsync(string userName)
    {
        await using var db = site.Database.CreateDb();
        return await db.UserSessions.CountAsync(s => s.User!.UserName == userName);
    }

    [Fact]
    public async Task A_cookie_captured_before_sign_out_is_refused_after()
    {
        var user = DevelopmentAccounts.AgentOf("26006");
        var (client, cookie) = await SignInAndCaptureAsync(user);
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(cookie));

        using var signOut = await client.SubmitAsync("/prets", [], "/deconnexion");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, await WithCookieAsync(cookie));
        Assert.Equal(0, await SessionsOfAsync(user));
    }

    [Fact]
    public async Task A_cookie_is_refused_once_the_password_is_changed()
    {
        var user = DevelopmentAccounts.AgentOf("26020");
        var (_, cookie) = await SignInAndCaptureAsync(user);

        await WithUsersAsync(user, (users, u) => users.ChangePasswordAsync(u, DevelopmentAccounts.Password, "Un-autre-mot-2027"));

        Assert.Equal(HttpStatusCode.Redirect, await WithCookieAsync(cookie));
        Assert.Equal(0, await SessionsOfAsync(user));
    }

    [Fact]
    public async Task A_cookie_is_refused_once_the_password_is_reset()
    {
        var user = DevelopmentAccounts.AgentOf("26021");
        var (_, cookie) = await SignInAndCaptureAsync(user);

        await WithUsersAsync(user, async (users, u) => await users.ResetPasswordAsync(u, await users.GeneratePasswordResetTokenAsync(u), "Un-autre-mot-2027"));

        Assert.Equal(HttpStatusCode.Redirect, await WithCookieAsync(cookie));
    }

    [Fact]
    public async Task A_cookie_is_refused_once_the_account_is_disabled_and_the_account_cannot_sign_in()
    {
        var user = DevelopmentAccounts.AgentOf("26035");
        var (_, cookie) = await SignInAndCaptureAsync(user);

        await WithUsersAsync(user, (users, u) => users.SetLockoutEndDateAsync(u, DateTimeOffset.MaxValue));

        Assert.Equal(HttpStatusCode.Redirect, await WithCookieAsync(cookie));
        using var again = await site.App.Client().SubmitAsync("/connexion", new()
        {
            ["Form.UserName"] = user,
            ["Form.Password"] = DevelopmentAccounts.Password,
        });
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
    }

    [Fact]
    public async Task Ending_every_session_of_a_person_refuses_all_their_cookies_and_no_one_elses()
    {
        var user = DevelopmentAccounts.AgentOf("26051");
        var (_, office) = await SignInAndCaptureAsync(user);
        var (_, phone) = await SignInAndCaptureAsync(user);
        var (_, other) = await SignInAndCaptureAsync(DevelopmentAccounts.AgentOf("26056"));
        string userId;
        await using (var db = site.Database.CreateDb())
        {
            userId = await db.Users.Where(u => u.UserName == user).Select(u => u.Id).SingleAsync();
            Assert.Equal(2, await UserSessions.EndAllAsync(db, userId));
        }

        // Deleted outside the site: it hears of it from the database's notification (ADR 29).
        Assert.Equal(HttpStatusCode.Redirect, await RefusedSoonAsync(office));
        Assert.Equal(HttpStatusCode.Redirect, await WithCookieAsync(phone));
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(other));
    }

    [Fact]
    public async Task A_session_read_is_kept_in_memory_until_the_database_says_sessions_changed()
    {
        await TwoNodes.ListeningAsync(site.App);
        var user = DevelopmentAccounts.AgentOf("26097");
        var (_, cookie) = await SignInAndCaptureAsync(user);
        await using (var connection = new NpgsqlConnection(site.Database.ConnectionString))
        {
            await connection.OpenAsync();

            // The sign-in's own notifications (its session, its password check) arrive after it: wait for
            // a marker sent later, which the database delivers after them (commit order), before keeping.
            var versions = site.App.Services.GetRequiredService<DataVersions>();
            var marker = $"test_marker_{Guid.NewGuid():N}";
            var before = versions.Of(marker);
            await using (var mark = new NpgsqlCommand($"notify valdrome_data, '{marker}'", connection))
            {
                await mark.ExecuteNonQueryAsync();
            }

            for (var i = 0; i < 100 && versions.Of(marker) == before; i++)
            {
                await Task.Delay(50);
            }

            Assert.NotEqual(before, versions.Of(marker));
            Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(cookie));

            // The row goes without its trigger firing (replica mode): nothing tells the site, which keeps the session.
            await using var delete = new NpgsqlCommand("""
                set session_replication_role = replica;
                delete from user_sessions s using "AspNetUsers" u where u.id = s.user_id and u.user_name = @user;
                set session_replication_role = origin;
                """, connection);
            delete.Parameters.AddWithValue("user", user);
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
            Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(cookie));

            // Any change to the sessions, wherever it is made, is notified: what was kept goes.
            await using var notify = new NpgsqlCommand("notify valdrome_data, 'user_sessions'", connection);
            await notify.ExecuteNonQueryAsync();
        }

        Assert.Equal(HttpStatusCode.Redirect, await RefusedSoonAsync(cookie));
    }

    /// <summary>The cookie's answer once it is refused, or its last answer after five seconds.</summary>
    private async Task<HttpStatusCode> RefusedSoonAsync(string cookie)
    {
        var status = await WithCookieAsync(cookie);
        for (var i = 0; i < 100 && status == HttpStatusCode.OK; i++)
        {
            await Task.Delay(50);
            status = await WithCookieAsync(cookie);
        }

        return status;
    }

    [Fact]
    public async Task Locking_an_account_with_wrong_passwords_does_not_sign_its_owner_out()
    {
        var user = DevelopmentAccounts.AgentOf("26060");
        var (_, cookie) = await SignInAndCaptureAsync(user);
        var stranger = site.App.Client();
        HttpStatusCode last = 0;
        for (var i = 0; i < 6; i++)
        {
            using var attempt = await stranger.SubmitAsync("/connexion", new() { ["Form.UserName"] = user, ["Form.Password"] = "devine-devine" });
            last = attempt.StatusCode;
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last);
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(cookie));
    }

    [Fact]
    public async Task The_cookie_carries_a_session_id_and_the_session_is_kept_in_the_database()
    {
        var user = DevelopmentAccounts.AgentOf("26065");
        var (_, cookie) = await SignInAndCaptureAsync(user);

        await using var db = site.Database.CreateDb();
        var session = await db.UserSessions.SingleAsync(s => s.User!.UserName == user);
        Assert.True(session.ExpiresAt > session.CreatedAt);
        Assert.DoesNotContain("ValDrome", System.Text.Encoding.UTF8.GetString(session.Ticket), StringComparison.Ordinal); // encrypted
        Assert.True(cookie.Length < 800, $"cookie of {cookie.Length} characters");
    }
}
