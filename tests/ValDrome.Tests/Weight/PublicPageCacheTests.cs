using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Seed;
using ValDrome.Tests.Support;
using ValDrome.Web.Pages.Equipment;

namespace ValDrome.Tests.Weight;

/// <summary>
/// The public pages are kept whole for visitors without a session, under the data versions and the
/// day (ADR 28): served from memory until something they may show changes, never to a signed-in
/// visitor. An answer from the cache carries an <c>Age</c> header.
/// </summary>
public sealed class PublicPageCacheTests(SeededSite site) : IClassFixture<SeededSite>
{
    private HttpClient Visitor() =>
        site.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    private static bool FromCache(HttpResponseMessage response) => response.Headers.Age is not null;

    [Theory]
    [InlineData("/")]
    [InlineData("/materiel")]
    [InlineData("/materiel?categorie=barnum&q=tente")]
    [InlineData("/carte")]
    [InlineData("/carte/communes.geojson")]
    [InlineData("/carte/materiel.geojson")]
    [InlineData("/communes")]
    [InlineData("/communes/26144")]
    [InlineData("/territoire")]
    [InlineData("/territoire?mois=2026-11")]
    public async Task A_public_page_is_served_from_memory_to_the_next_visitor(string url)
    {
        using var visitor = Visitor();
        using var first = await visitor.GetAsync(url);
        using var second = await visitor.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True(FromCache(second), $"{url} was made again for the second visitor.");
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_change_saved_by_the_site_is_on_the_next_public_page()
    {
        var unitId = await UnitIdAsync("26144-BR-01");
        var url = $"/materiel/{unitId}";
        using var visitor = Visitor();
        using (var before = await visitor.GetAsync(url))
        {
            Assert.Contains(EquipmentLabels.Status(UnitStatus.InService), await before.TextAsync(), StringComparison.Ordinal);
        }

        using (var cached = await visitor.GetAsync(url))
        {
            Assert.True(FromCache(cached));
        }

        await using (var scope = site.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ValDromeDb>();
            var unit = await db.EquipmentUnits.SingleAsync(u => u.Id == unitId);
            unit.Block("Flexible hydraulique percé");
            await db.SaveChangesAsync();
        }

        using var after = await visitor.GetAsync(url);
        Assert.False(FromCache(after));
        Assert.Contains(EquipmentLabels.Status(UnitStatus.InMaintenance), await after.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_visitor_never_gets_the_anonymous_page()
    {
        using (var visitor = Visitor())
        {
            using var _ = await visitor.GetAsync("/materiel");
            using var cached = await visitor.GetAsync("/materiel");
            Assert.True(FromCache(cached));
        }

        using var agent = await site.App.SignedInAsync(DevelopmentAccounts.AgentOf("26144"));
        using var page = await agent.GetAsync("/materiel");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(FromCache(page));
        Assert.Contains("Se déconnecter", await page.TextAsync(), StringComparison.Ordinal);
        // Nor is the signed-in page kept for the next anonymous visitor.
        using var anonymous = Visitor();
        using var next = await anonymous.GetAsync("/materiel");
        Assert.DoesNotContain("Se déconnecter", await next.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_visitor_carrying_a_message_gets_a_page_made_for_them()
    {
        using (var visitor = Visitor())
        {
            using var _ = await visitor.GetAsync("/communes");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/communes");
        request.Headers.Add("Cookie", $"{CookieTempDataProvider.CookieName}=x");
        using var response = await Visitor().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(FromCache(response));
    }

    [Fact]
    public async Task The_next_day_makes_a_fresh_page()
    {
        using var visitor = Visitor();
        using (var _ = await visitor.GetAsync("/"))
        using (var cached = await visitor.GetAsync("/"))
        {
            Assert.True(FromCache(cached));
        }

        var today = site.App.Today;
        try
        {
            site.App.SetToday(today.AddDays(1));
            using var tomorrow = await visitor.GetAsync("/");
            Assert.False(FromCache(tomorrow));
        }
        finally
        {
            site.App.SetToday(today);
        }
    }

    [Fact]
    public async Task An_error_or_a_refused_filter_is_not_kept()
    {
        using var visitor = Visitor();
        using (var _ = await visitor.GetAsync("/materiel?p=0"))
        {
        }

        using var again = await visitor.GetAsync("/materiel?p=0");

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.False(FromCache(again));
    }

    private async Task<int> UnitIdAsync(string inventoryCode)
    {
        await using var scope = site.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ValDromeDb>();
        return await db.EquipmentUnits.Where(u => u.InventoryCode == inventoryCode).Select(u => u.Id).SingleAsync();
    }
}
