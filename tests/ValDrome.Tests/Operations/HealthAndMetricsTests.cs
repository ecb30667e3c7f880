using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ValDrome.Domain.Seed;
using ValDrome.Tests.Pages;
using ValDrome.Tests.Support;
using ValDrome.Web.Operations;

namespace ValDrome.Tests.Operations;

/// <summary>The proxy's and the monitoring's view of a node: health for anyone, metrics for loopback and admins (ADR 23).</summary>
[Collection(SharedReadOnlySeededSite.Name)]
public sealed class HealthAndMetricsTests(ReadOnlySeededSite site)
{
    [Fact]
    public async Task A_healthy_node_is_alive_and_ready_and_says_no_more()
    {
        using var client = site.App.CreateClient();
        using var live = await client.GetAsync(Health.LivePath);
        using var ready = await client.GetAsync(Health.ReadyPath);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_routes_answer_reads_only()
    {
        using var client = site.App.CreateClient();
        using var content = new StringContent("");
        using var posted = await client.PostAsync(Health.ReadyPath, content);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Health.LivePath));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task A_node_without_its_database_is_alive_but_not_ready()
    {
        await using var node = new ValDromeApp(site.Database, new Dictionary<string, string>
        {
            ["ConnectionStrings:ValDrome"] = "Host=127.0.0.1;Port=1;Database=valdrome;Username=valdrome;Timeout=2",
        });
        using var client = node.CreateClient();

        using var live = await client.GetAsync(Health.LivePath);
        using var ready = await client.GetAsync(Health.ReadyPath);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
    }

    private HttpClient Behind(out Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> proxied)
    {
        proxied = site.App.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new SecurityHeadersTests.FromAddress(IPAddress.Loopback))));
        return proxied.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
    }

    private static async Task<HttpResponseMessage> MetricsAsync(HttpClient client, string? from)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Metrics.Path);
        if (from is not null)
        {
            request.Headers.Add("X-Forwarded-For", from);
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Metrics_are_open_to_loopback_and_list_the_sites_own()
    {
        using var client = Behind(out var proxied);
        await using var _ = proxied;
        using (await client.GetAsync("/materiel"))
        {
        }

        using var response = await MetricsAsync(client, from: null);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("valdrome_loans_requested", text, StringComparison.Ordinal);
        Assert.Contains("valdrome_loans_decided", text, StringComparison.Ordinal);
        Assert.Contains("valdrome_notices_waiting", text, StringComparison.Ordinal);
        Assert.Contains("valdrome_jobs_enqueued", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_are_closed_to_a_remote_client_unless_it_is_an_admin()
    {
        using var client = Behind(out var proxied);
        await using var _ = proxied;
        const string remote = "203.0.113.9";

        using var anonymous = await MetricsAsync(client, remote);
        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);

        using (await client.SubmitAsync("/connexion", new() { ["Form.UserName"] = DevelopmentAccounts.AgentOf("26006"), ["Form.Password"] = DevelopmentAccounts.Password }))
        {
        }

        using var agent = await MetricsAsync(client, remote);
        Assert.Equal(HttpStatusCode.NotFound, agent.StatusCode);

        using var admin = Behind(out var adminSite);
        await using var __ = adminSite;
        using (var signIn = await admin.SubmitAsync("/connexion", new() { ["Form.UserName"] = DevelopmentAccounts.Admin, ["Form.Password"] = DevelopmentAccounts.Password }))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        using var allowed = await MetricsAsync(admin, remote);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }
}
