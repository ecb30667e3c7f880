using System.Text.Json;
using Npgsql;
using ValDrome.Bench.Gis;

namespace ValDrome.Tests.Ogc;

/// <summary>
/// What the bench's MapServer reads (bench gis-mapserver): views made from the site's own layer
/// declarations, which must hold the very features and values the site's items page serves.
/// </summary>
[Collection(SharedGisSite.Name)]
public sealed class MapServerMapfileTests(GisSite site) : IDisposable
{
    private readonly HttpClient _client = site.CreateClient();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Each_view_holds_the_features_and_text_values_of_the_site_s_collection()
    {
        await using var connection = new NpgsqlConnection(site.Database.ConnectionString);
        await connection.OpenAsync();
        // DDL is transactional: the shared read-only database is left as it was.
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var layer in MapServerMapfile.Layers)
        {
            await using (var create = new NpgsqlCommand(MapServerMapfile.CreateView(layer), connection, transaction))
            {
                await create.ExecuteNonQueryAsync();
            }

            using var page = JsonDocument.Parse(await _client.GetStringAsync(new Uri($"/ogc/collections/{layer.Id}/items?f=json&limit=1000", UriKind.Relative)));
            var expected = page.RootElement.GetProperty("features").EnumerateArray()
                .SelectMany(f => f.GetProperty("properties").EnumerateObject()
                    .Where(p => p.Value.ValueKind == JsonValueKind.String)
                    .Select(p => $"{f.GetProperty("id").GetInt64()} {p.Name}={p.Value.GetString()}"))
                .Order(StringComparer.Ordinal).ToList();

            var texts = layer.Properties.Where(p => p.Type == Web.Ogc.PropertyType.Text).Select(p => p.Name).ToList();
            await using var read = new NpgsqlCommand(
                $"SELECT id, {string.Join(", ", texts.Select(t => $"\"{t}\""))}, ST_GeometryType(geom) FROM {MapServerMapfile.ViewName(layer)}", connection, transaction);
            await using var reader = await read.ExecuteReaderAsync();
            var actual = new List<string>();
            var rows = 0;
            while (await reader.ReadAsync())
            {
                rows++;
                Assert.Contains(layer.Geometry.Type, reader.GetString(texts.Count + 1), StringComparison.Ordinal);
                for (var i = 0; i < texts.Count; i++)
                {
                    if (!reader.IsDBNull(i + 1))
                    {
                        actual.Add($"{reader.GetInt64(0)} {texts[i]}={reader.GetString(i + 1)}");
                    }
                }
            }

            Assert.True(rows > 1, $"{layer.Id}: the seeded site has features");
            Assert.Equal(page.RootElement.GetProperty("numberMatched").GetInt64(), rows);
            Assert.Equal(expected, actual.Order(StringComparer.Ordinal).ToList());
        }

        await transaction.RollbackAsync();
    }

    [Fact]
    public void The_mapfile_publishes_each_view_as_a_collection_of_the_site_s_name()
    {
        var map = MapServerMapfile.Map(new NpgsqlConnectionStringBuilder("Host=127.0.0.1;Port=55432;Database=bench;Username=valdrome"));

        foreach (var layer in MapServerMapfile.Layers)
        {
            Assert.Contains($"NAME \"{layer.Id}\"", map, StringComparison.Ordinal);
            Assert.Contains($"DATA \"geom FROM {MapServerMapfile.ViewName(layer)} USING UNIQUE id USING SRID=4326\"", map, StringComparison.Ordinal);
        }

        Assert.Contains("CONNECTION \"host=127.0.0.1 port=55432 dbname=bench user=valdrome\"", map, StringComparison.Ordinal);
    }
}
