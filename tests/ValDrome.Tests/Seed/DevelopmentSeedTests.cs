using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Seed;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Seed;

public sealed class DevelopmentSeedTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateSeededAsync("seed");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Seed_spreads_40_to_60_units_over_the_communes()
    {
        var units = await _database.ScalarAsync<long>("SELECT count(*) FROM equipment_units");
        var owners = await _database.ScalarAsync<long>("SELECT count(DISTINCT owner_commune_id) FROM equipment_units");

        Assert.InRange(units, 40, 60);
        Assert.True(owners >= 20, $"only {owners} owning communes");
    }

    [Fact]
    public async Task Community_machines_are_kept_at_the_depot_in_Eurre()
    {
        var atDepot = await _database.ScalarAsync<long>("""
            SELECT count(*) FROM equipment_units u
            JOIN depots d ON d.id = u.home_depot_id
            JOIN communes c ON c.id = d.commune_id
            WHERE u.owner_commune_id IS NULL AND c.insee = '26125'
              AND ST_Covers(c.boundary, u.home_location::geometry)
            """);
        var community = await _database.ScalarAsync<long>("SELECT count(*) FROM equipment_units WHERE owner_commune_id IS NULL");

        Assert.Equal(community, atDepot);
        Assert.True(await _database.ScalarAsync<bool>("""
            SELECT EXISTS (SELECT 1 FROM equipment_units u JOIN equipment_categories c ON c.id = u.category_id
                           WHERE u.owner_commune_id IS NULL AND c.code = 'mini-pelle')
               AND EXISTS (SELECT 1 FROM equipment_units u JOIN equipment_categories c ON c.id = u.category_id
                           WHERE u.owner_commune_id IS NULL AND c.code = 'tractopelle')
            """));
    }

    [Fact]
    public async Task Commune_units_are_kept_inside_their_commune()
    {
        Assert.Equal(0L, await _database.ScalarAsync<long>("""
            SELECT count(*) FROM equipment_units u JOIN communes c ON c.id = u.owner_commune_id
            WHERE NOT ST_Covers(c.boundary, u.home_location::geometry)
            """));
    }

    [Fact]
    public async Task Seeding_again_changes_nothing()
    {
        var before = await _database.ScalarAsync<string>("SELECT string_agg(xmin::text, ',' ORDER BY id) FROM equipment_units");

        await using (var db = _database.CreateDb())
        {
            await DevelopmentSeed.SeedAsync(db);
        }

        Assert.Equal(before, await _database.ScalarAsync<string>("SELECT string_agg(xmin::text, ',' ORDER BY id) FROM equipment_units"));
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM depots"));
        await using var check = _database.CreateDb();
        Assert.Equal(DevelopmentSeed.UnitCount, await check.EquipmentUnits.CountAsync());
    }
}
