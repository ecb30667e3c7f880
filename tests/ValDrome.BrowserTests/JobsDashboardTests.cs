using System.Net;

namespace ValDrome.BrowserTests;

/// <summary>The Hangfire dashboard, over a real loopback connection (the in-memory server has no client address).</summary>
[Collection(SharedBrowser.Name)]
public sealed class JobsDashboardTests(BrowserSite site)
{
    [Fact]
    public async Task Dashboard_answers_a_local_request()
    {
        using var client = new HttpClient { BaseAddress = site.BaseAddress };

        using var response = await client.GetAsync("/jobs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ValDrome — tâches planifiées", await response.Content.ReadAsStringAsync());
    }
}
