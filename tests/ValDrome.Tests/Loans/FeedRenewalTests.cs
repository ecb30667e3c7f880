using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Loans;

/// <summary>A commune whose feed address got out renews it: the old one answers 404.</summary>
public sealed class FeedRenewalTests(MarketSite site) : IClassFixture<MarketSite>
{
    private async Task<string> TokenOfAsync(string insee)
    {
        await using var db = site.Database.CreateDb();
        return await db.Communes.Where(c => c.Insee == insee).Select(c => c.CalendarToken).SingleAsync();
    }

    private static Task<HttpResponseMessage> RenewAsync(HttpClient client) =>
        client.SubmitAsync("/prets", [], "/prets?handler=RenewFeed");

    [Fact]
    public async Task The_communes_agent_renews_the_feed_and_the_old_address_answers_404()
    {
        var old = await TokenOfAsync("26144");
        var grane = await site.As("mairie-26144");

        using var response = await RenewAsync(grane);
        var renewed = await TokenOfAsync("26144");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.NotEqual(old, renewed);
        using var oldFeed = await site.App.Client().GetAsync($"/prets/calendrier/26144.ics?jeton={old}");
        using var newFeed = await site.App.Client().GetAsync($"/prets/calendrier/26144.ics?jeton={renewed}");
        Assert.Equal(HttpStatusCode.NotFound, oldFeed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newFeed.StatusCode);
        var page = await (await grane.GetAsync("/prets")).TextAsync();
        Assert.Contains($"http://localhost:5080/prets/calendrier/26144.ics?jeton={renewed}", page);
    }

    [Fact]
    public async Task Another_communes_agent_renews_only_its_own_feed_and_staff_none()
    {
        var grane = await TokenOfAsync("26144");
        var allex = await TokenOfAsync("26006");

        using var byAllex = await RenewAsync(await site.As("mairie-26006"));
        using var byStaff = await RenewAsync(await site.As("staff"));

        Assert.Equal(grane, await TokenOfAsync("26144"));
        Assert.NotEqual(allex, await TokenOfAsync("26006"));
        Assert.StartsWith("/acces-refuse", byStaff.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renewing_needs_the_antiforgery_token()
    {
        var before = await TokenOfAsync("26165");
        var client = await site.As("mairie-26165");

        using var response = await client.PostAsync("/prets?handler=RenewFeed", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await TokenOfAsync("26165"));
    }
}
