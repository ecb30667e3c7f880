using System.Globalization;
using Npgsql;
using ValDrome.Geo.Spatial;
using ValDrome.Tests.Support;
using ValDrome.Web.Ogc;
using ValDrome.Web.Tiles;

namespace ValDrome.Tests.Ogc;

/// <summary>
/// The SQL the API and the tiles run uses the GiST indexes: EXPLAIN on a table large enough for
/// the planner to prefer them (20 000 more units), or with sequential scans disabled for the 36 communes.
/// </summary>
public sealed class SpatialIndexTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateSeededAsync(nameof(SpatialIndexTests));
        await ExecuteAsync("""
            INSERT INTO equipment_units (inventory_code, name, description, category_id, home_location, daily_rate, transport, has_hour_meter, status)
            SELECT 'GEN-' || g, 'Matériel généré ' || g, '', (SELECT min(id) FROM equipment_categories),
                   ST_SetSRID(ST_MakePoint(3.5 + random() * 3, 43.5 + random() * 2.5), 4326)::geography, 10, 'None', false, 'InService'
            FROM generate_series(1, 20000) AS g;
            ANALYZE equipment_units;
            """);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string> ExplainAsync(SqlCommand query, bool disableSeqScan = false)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        if (disableSeqScan)
        {
            await using var set = new NpgsqlCommand("SET enable_seqscan = off", connection);
            await set.ExecuteNonQueryAsync();
        }

        await using var batch = new NpgsqlBatch(connection);
        var command = new NpgsqlBatchCommand("EXPLAIN " + query.Text);
        foreach (var value in query.Parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        batch.BatchCommands.Add(command);
        await using var reader = await batch.ExecuteReaderAsync();
        var plan = new List<string>();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }

        return string.Join('\n', plan);
    }

    private static ItemsQuery Query(FeatureLayer layer, string bbox, string? bboxCrs = null)
    {
        var parameters = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["bbox"] = bbox };
        if (bboxCrs is not null)
        {
            parameters["bbox-crs"] = bboxCrs;
        }

        return ItemsQuery.Parse(layer, new Microsoft.AspNetCore.Http.QueryCollection(parameters));
    }

    // Units have two GiST indexes on their location (alone, and after the category for KNN): either serves a bbox.
    private static void AssertUsesIndex(string plan, string index)
    {
        var indexes = index == "ix_equipment_units_home_location" ? [index, "ix_equipment_units_category_id_home_location_knn"] : new[] { index };
        Assert.True(indexes.Any(i => plan.Contains($"Index Scan using {i}", StringComparison.Ordinal) || plan.Contains($"Bitmap Index Scan on {i}", StringComparison.Ordinal)),
            $"Expected {index} in:\n{plan}");
    }

    [Fact]
    public async Task Bbox_on_geography_points_uses_the_gist_index()
    {
        var (count, page) = FeatureSql.Items(Query(FeatureLayers.Equipment, "4.95,44.72,5.05,44.8"));

        AssertUsesIndex(await ExplainAsync(page), "ix_equipment_units_home_location");
        AssertUsesIndex(await ExplainAsync(count), "ix_equipment_units_home_location");
    }

    [Fact]
    public async Task Lambert_93_bbox_on_geography_points_uses_the_gist_index()
    {
        var query = Query(FeatureLayers.Equipment, "860000,6400000,880000,6420000", "http://www.opengis.net/def/crs/EPSG/0/2154");
        var (_, page) = FeatureSql.Items(query, new LonLatBox(4.9, 44.7, 5.2, 44.9));

        AssertUsesIndex(await ExplainAsync(page), "ix_equipment_units_home_location");
    }

    [Fact]
    public async Task Bbox_on_commune_boundaries_uses_the_gist_index()
    {
        var (_, page) = FeatureSql.Items(Query(FeatureLayers.Communes, "4.95,44.72,5.05,44.8"));

        AssertUsesIndex(await ExplainAsync(page, disableSeqScan: true), "ix_communes_boundary");
    }

    [Fact]
    public async Task Tiles_use_the_gist_index()
    {
        var units = TileSql.Tile(FeatureLayers.Equipment, WebMercatorTile.Containing(4.9912, 44.7606, 14));
        var communes = TileSql.Tile(FeatureLayers.Communes, WebMercatorTile.Containing(4.9912, 44.7606, 12));

        AssertUsesIndex(await ExplainAsync(units), "ix_equipment_units_home_location");
        AssertUsesIndex(await ExplainAsync(communes, disableSeqScan: true), "ix_communes_boundary");
    }

    [Fact]
    public async Task Geography_cover_keeps_points_a_plain_envelope_would_miss()
    {
        // A wide box across the Greenwich meridian: its south side's great circle bulges north of 44.69°.
        var box = new LonLatBox(-10, 44.69, 10, 50);
        var plain = string.Create(CultureInfo.InvariantCulture, $"POLYGON((-10 44.69,10 44.69,10 50,-10 50,-10 44.69))");

        var withCover = await _database.ScalarAsync<bool>($"SELECT 'POINT(5 44.7)'::geography && ST_GeogFromText('{box.ToGeographyCoverWkt()}')");
        var withPlain = await _database.ScalarAsync<bool>($"SELECT 'POINT(5 44.7)'::geography && ST_GeogFromText('{plain}')");

        Assert.True(withCover);
        Assert.False(withPlain);
    }
}
