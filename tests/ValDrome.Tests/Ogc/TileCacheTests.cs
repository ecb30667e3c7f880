using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ValDrome.Domain;
using ValDrome.Domain.Changes;
using ValDrome.Domain.Seed;
using ValDrome.Geo.Spatial;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Ogc;

/// <summary>Cached tiles and pages are dropped when the domain changes the data they were made from (ADR 0005).</summary>
public sealed class TileCacheTests(SeededSite site) : IClassFixture<SeededSite>
{
    private readonly HttpClient _client = site.App.CreateClient();

    private async Task<(string ETag, byte[] Body)> GetAsync(string url)
    {
        using var response = await _client.GetAsync(url);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent, $"{url}: {response.StatusCode}");
        return (response.Headers.ETag?.Tag ?? "", await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Moving_a_unit_through_the_domain_changes_its_tiles_and_pages()
    {
        await using var scope = site.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ValDromeDb>();
        var unit = await db.EquipmentUnits.Include(u => u.OwnerCommune).SingleAsync(u => u.InventoryCode == "26006-MP-01");
        var allex = (Lon: unit.HomeLocation.X, Lat: unit.HomeLocation.Y);
        var tile = WebMercatorTile.Containing(allex.Lon, allex.Lat, 14);
        var tileUrl = $"/tiles/equipements/{tile.Z}/{tile.X}/{tile.Y}.pbf";
        var pageUrl = $"/ogc/collections/equipements/items?proprietaire_insee=26006";
        var tileBefore = await GetAsync(tileUrl);
        var pageBefore = await GetAsync(pageUrl);
        var again = await GetAsync(tileUrl);
        Assert.Equal(tileBefore.ETag, again.ETag);
        Assert.Equal(tileBefore.Body, again.Body);

        var depot = await db.Depots.SingleAsync(d => d.Name == DevelopmentSeed.DepotName);
        unit.KeepAt(depot);
        await db.SaveChangesAsync();

        var tileAfter = await GetAsync(tileUrl);
        var pageAfter = await GetAsync(pageUrl);
        Assert.NotEqual(tileBefore.ETag, tileAfter.ETag);
        Assert.True(tileAfter.Body.Length < tileBefore.Body.Length);
        Assert.NotEqual(pageBefore.ETag, pageAfter.ETag);
    }

    [Fact]
    public async Task Versions_move_only_when_the_explicit_transaction_commits()
    {
        // The listener drops every version once it connects (ADR 22): let that happen before counting.
        await Operations.TwoNodes.ListeningAsync(site.App);
        var versions = site.App.Services.GetRequiredService<DataVersions>();
        await using var scope = site.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ValDromeDb>();
        var unit = await db.EquipmentUnits.SingleAsync(u => u.InventoryCode == "26165-BN-01");
        var before = versions.Of("equipment_units");
        var depots = versions.Of("depots");

        await using (var rolledBack = await db.Database.BeginTransactionAsync())
        {
            unit.Description = "Bâche déchirée";
            await db.SaveChangesAsync();
            Assert.Equal(before, versions.Of("equipment_units"));
            await rolledBack.RollbackAsync();
        }

        Assert.Equal(before, versions.Of("equipment_units"));
        db.ChangeTracker.Clear();
        unit = await db.EquipmentUnits.SingleAsync(u => u.InventoryCode == "26165-BN-01");
        await using (var committed = await db.Database.BeginTransactionAsync())
        {
            unit.Description = "Bâche neuve";
            await db.SaveChangesAsync();
            Assert.Equal(before, versions.Of("equipment_units"));
            await committed.CommitAsync();
        }

        // At least once: the database's notification of the same commit may bump it again (ADR 22).
        Assert.True(versions.Of("equipment_units") > before);
        Assert.Equal(depots, versions.Of("depots"));
    }
}
