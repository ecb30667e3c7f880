using System.Net;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Pages;

public sealed class JobsDashboardTests(MarketSite site) : IClassFixture<MarketSite>
{
    [Fact]
    public async Task Dashboard_is_refused_to_anonymous_visitors()
    {
        using var response = await site.App.Client().GetAsync("/jobs");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("mairie-26125")]
    [InlineData("staff")]
    [InlineData("technicien")]
    public async Task Dashboard_is_refused_to_everyone_but_admins(string user)
    {
        using var response = await (await site.As(user)).GetAsync("/jobs");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_opens_for_an_admin()
    {
        using var response = await (await site.As("admin")).GetAsync("/jobs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ValDrome — tâches planifiées", await response.Content.ReadAsStringAsync());
    }
}
