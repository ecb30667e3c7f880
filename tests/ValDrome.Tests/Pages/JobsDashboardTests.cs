using System.Net;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Pages;

public sealed class JobsDashboardTests(SeededSite site) : IClassFixture<SeededSite>
{
    [Fact]
    public async Task Dashboard_refuses_a_request_that_is_not_local()
    {
        // The in-memory test server gives no client address: Hangfire cannot call it local.
        using var client = site.App.CreateClient();

        using var response = await client.GetAsync("/jobs");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
