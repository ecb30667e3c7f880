using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ValDrome.Tests.Support;
using ValDrome.Web.Ogc;

namespace ValDrome.Tests.Ogc;

/// <summary>
/// A layer with a time (as loans will be: a period whose end may be open) declared in one
/// statement: datetime filters it, its extent has an interval. The table is the test's own.
/// </summary>
public sealed class TemporalLayerTests : IAsyncLifetime
{
    private static readonly FeatureLayer Events = new(
        Id: "evenements",
        Title: "Événements",
        Description: "Des périodes d'essai.",
        From: "test_events e",
        IdSql: "e.id",
        Geometry: new("e.place", GeometryStorage.Geography, "Point"),
        Properties: [new("nom", "e.name", PropertyType.Text, "Nom", Queryable: true), new("debut", "e.starts", PropertyType.DateTime, "Début")],
        Tables: ["test_events"],
        Time: new("e.starts", "e.ends"));

    private TestDatabase _database = null!;
    private WebApplicationFactory<Program> _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(nameof(TemporalLayerTests));
        await using (var connection = new NpgsqlConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                CREATE TABLE test_events (id int PRIMARY KEY, name text NOT NULL, starts timestamptz NOT NULL, ends timestamptz, place geography(point, 4326) NOT NULL);
                INSERT INTO test_events VALUES
                    (1, 'Fête de juin', '2026-06-01T08:00:00Z', '2026-06-05T18:00:00Z', 'POINT(4.99 44.76)'),
                    (2, 'Chantier en cours', '2026-06-10T07:00:00Z', NULL, 'POINT(4.90 44.80)'),
                    (3, 'Marché d''été', '2026-07-01T06:00:00Z', '2026-07-01T13:00:00Z', 'POINT(5.03 44.75)');
                """, connection);
            await command.ExecuteNonQueryAsync();
        }

        _app = new ValDromeApp(_database).WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton(new FeatureLayerRegistry([Events]))));
        _client = _app.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<int[]> IdsAsync(string datetime)
    {
        var url = "/ogc/collections/evenements/items" + (datetime.Length > 0 ? "?datetime=" + Uri.EscapeDataString(datetime) : "");
        using var response = await _client.GetAsync(url);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(response.IsSuccessStatusCode, json.RootElement.GetRawText());
        return [.. json.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt32())];
    }

    [Theory]
    [InlineData("", new[] { 1, 2, 3 })]
    [InlineData("2026-06-03T00:00:00Z", new[] { 1 })]
    [InlineData("2026-06-05T18:00:00Z", new[] { 1 })]
    [InlineData("2026-06-06T00:00:00Z/2026-06-30T00:00:00Z", new[] { 2 })]
    [InlineData("../2026-06-02T00:00:00Z", new[] { 1 })]
    [InlineData("2026-06-20T00:00:00Z/..", new[] { 2, 3 })]
    [InlineData("2026-07-01", new[] { 2, 3 })]
    [InlineData("2025-01-01T00:00:00Z/2025-12-31T00:00:00Z", new int[0])]
    public async Task Datetime_keeps_the_features_whose_period_meets_it(string datetime, int[] expected) =>
        Assert.Equal(expected, await IdsAsync(datetime));

    [Fact]
    public async Task Temporal_extent_is_the_first_start_and_an_open_end()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync("/ogc/collections/evenements"));

        var interval = json.RootElement.GetProperty("extent").GetProperty("temporal").GetProperty("interval")[0];
        Assert.Equal("2026-06-01T08:00:00Z", interval[0].GetString());
        Assert.Equal(JsonValueKind.Null, interval[1].ValueKind);
    }
}
