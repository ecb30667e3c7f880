using System.Text;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Communes;
using ValDrome.Geo.Territory;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Territory;

public sealed class TerritoryImportTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync("import");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<TerritoryImportResult> ImportAsync(string path)
    {
        await using var db = _database.CreateDb();
        return await TerritoryImport.ImportAsync(db, path);
    }

    [Fact]
    public async Task Import_stores_the_36_communes_once_each()
    {
        var result = await ImportAsync(TestDatabase.TerritoryFile);

        Assert.Equal(new TerritoryImportResult(36, 0, 0, 0), result);
        Assert.Equal(36L, await _database.ScalarAsync<long>("SELECT count(*) FROM communes"));
        Assert.Equal(36L, await _database.ScalarAsync<long>("SELECT count(DISTINCT insee) FROM communes"));
        Assert.Equal(33_246L, await _database.ScalarAsync<long>("SELECT sum(population) FROM communes"));
    }

    [Fact]
    public async Task Each_stored_boundary_is_within_six_percent_of_its_declared_area()
    {
        await ImportAsync(TestDatabase.TerritoryFile);

        await using var db = _database.CreateDb();
        var areas = await db.Database
            .SqlQuery<AreaRow>($"SELECT insee AS \"Insee\", ST_Area(boundary::geography) / 1e6 AS \"Measured\", declared_area_km2 AS \"Declared\" FROM communes")
            .ToListAsync();
        Assert.Equal(36, areas.Count);
        Assert.All(areas, a => Assert.InRange(a.Measured / a.Declared, 0.94, 1.06));
    }

    [Fact]
    public async Task Reference_points_lie_inside_their_boundaries_in_PostGIS()
    {
        await ImportAsync(TestDatabase.TerritoryFile);

        Assert.Equal(36L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM communes WHERE ST_Covers(boundary, reference_point::geometry) AND ST_IsValid(boundary)"));
    }

    [Fact]
    public async Task Importing_the_same_file_again_writes_nothing()
    {
        await ImportAsync(TestDatabase.TerritoryFile);
        var versionsBefore = await _database.ScalarAsync<string>("SELECT string_agg(xmin::text, ',' ORDER BY id) FROM communes");

        var again = await ImportAsync(TestDatabase.TerritoryFile);

        Assert.Equal(new TerritoryImportResult(0, 0, 36, 0), again);
        Assert.Equal(versionsBefore, await _database.ScalarAsync<string>("SELECT string_agg(xmin::text, ',' ORDER BY id) FROM communes"));
    }

    [Fact]
    public async Task A_changed_population_updates_only_that_commune()
    {
        await ImportAsync(TestDatabase.TerritoryFile);
        var changed = await WriteVariantAsync(json => json.Replace("\"population\":1431", "\"population\":1500", StringComparison.Ordinal));

        var result = await ImportAsync(changed);

        Assert.Equal(new TerritoryImportResult(0, 1, 35, 0), result);
        Assert.Equal(1500, await _database.ScalarAsync<int>("SELECT population FROM communes WHERE insee = '26125'"));
    }

    [Theory]
    [InlineData("bad-json")]
    [InlineData("missing-code")]
    [InlineData("wrong-geometry")]
    public async Task A_broken_file_writes_nothing(string breakage)
    {
        await ImportAsync(TestDatabase.TerritoryFile);
        var before = await _database.ScalarAsync<string>("SELECT string_agg(xmin::text || ':' || population, ',' ORDER BY id) FROM communes");
        var broken = await WriteVariantAsync(json =>
        {
            // Every variant also changes Eurre's population: a partial import would show it.
            json = json.Replace("\"population\":1431", "\"population\":1500", StringComparison.Ordinal);
            return breakage switch
            {
                "bad-json" => json[..^3],
                "missing-code" => json.Replace("\"insee\":\"26214\",", "", StringComparison.Ordinal),
                _ => ReplaceFirstGeometryWithPoint(json),
            };
        });

        await Assert.ThrowsAsync<TerritoryFileException>(() => ImportAsync(broken));

        Assert.Equal(before, await _database.ScalarAsync<string>("SELECT string_agg(xmin::text || ':' || population, ',' ORDER BY id) FROM communes"));
    }

    [Fact]
    public async Task A_broken_file_on_an_empty_database_leaves_it_empty()
    {
        var broken = await WriteVariantAsync(ReplaceFirstGeometryWithPoint);

        var error = await Assert.ThrowsAsync<TerritoryFileException>(() => ImportAsync(broken));

        Assert.Contains("(Allex, 26006)", error.Message);
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM communes"));
    }

    private static string ReplaceFirstGeometryWithPoint(string json)
    {
        var start = json.IndexOf("\"geometry\":{", StringComparison.Ordinal);
        var end = json.IndexOf("]]]", start, StringComparison.Ordinal) + 3;
        var close = json.IndexOf('}', end);
        return json[..start] + "\"geometry\": { \"type\": \"Point\", \"coordinates\": [4.9, 44.7] }" + json[(close + 1)..];
    }

    private static async Task<string> WriteVariantAsync(Func<string, string> change)
    {
        var json = await File.ReadAllTextAsync(TestDatabase.TerritoryFile, Encoding.UTF8);
        var changed = change(json);
        Assert.NotEqual(json, changed);
        var path = Path.Combine(Path.GetTempPath(), $"valdrome-territory-{Guid.NewGuid():N}.geojson");
        await File.WriteAllTextAsync(path, changed, Encoding.UTF8);
        return path;
    }

    private sealed record AreaRow(string Insee, double Measured, double Declared);
}
