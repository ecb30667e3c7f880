using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;
using ValDrome.Geo.Encoding;
using ValDrome.Web.Ogc;

namespace ValDrome.Tests.Ogc;

/// <summary>
/// Items pages copy the geometries' GeoJSON as the UTF-8 bytes PostGIS wrote (ADR 30) instead of
/// reading them as strings: the pages must come out byte for byte as they did from the strings.
/// </summary>
[Collection(SharedGisSite.Name)]
public sealed class Utf8GeometryTests(GisSite site)
{
    private static readonly DateTimeOffset TimeStamp = new(2026, 12, 2, 4, 30, 0, TimeSpan.Zero);

    public static TheoryData<string, string> Requests => new()
    {
        { "communes", "" },
        { "equipements", "" },
        { "communes", "bbox=4.6,44.5,5.4,45.2" },
        { "equipements", "bbox=4.6,44.5,5.4,45.2" },
        { "communes", "crs=http://www.opengis.net/def/crs/EPSG/0/2154" },
        { "equipements", "crs=http://www.opengis.net/def/crs/EPSG/0/4326" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Geometries_read_as_bytes_write_the_page_the_strings_wrote(string collection, string parameters)
    {
        var layer = collection == FeatureLayers.Communes.Id ? FeatureLayers.Communes : FeatureLayers.Equipment;
        var query = ItemsQuery.Parse(layer, new QueryCollection(QueryHelpers.ParseQuery(parameters)));
        await using var connection = new NpgsqlConnection(site.Database.ConnectionString);
        await connection.OpenAsync();

        var page = await FeatureQueries.ReadItemsAsync(connection, query, CancellationToken.None);
        var strings = await ReadGeometriesAsStringsAsync(connection, query);
        var written = OgcResponse.WriteJson(writer => OgcDocuments.Items(writer, query, page, [], TimeStamp));
        var asBefore = OgcResponse.WriteJson(writer => ItemsFromStrings(writer, query, page, strings));

        Assert.NotEmpty(page.Features);
        Assert.All(page.Features, f => Assert.NotNull(f.GeometryJson));
        Assert.Equal(asBefore, written);
        using var document = JsonDocument.Parse(written);
        Assert.Equal(page.Features.Count, document.RootElement.GetProperty("features").GetArrayLength());
    }

    [Fact]
    public void A_missing_geometry_is_written_null_from_bytes_as_from_a_string()
    {
        var fromBytes = OgcResponse.WriteJson(writer => GeoJson.WriteFeature(writer, 7, ReadOnlySpan<byte>.Empty, w => w.WriteString("nom", "Étoile-sur-Rhône")));
        var fromString = OgcResponse.WriteJson(writer => GeoJson.WriteFeature(writer, 7, (string?)null, w => w.WriteString("nom", "Étoile-sur-Rhône")));

        Assert.Equal(fromString, fromBytes);
        Assert.Contains("\"geometry\":null", System.Text.Encoding.UTF8.GetString(fromBytes), StringComparison.Ordinal);
    }

    /// <summary>The page's own SQL, its geometry column turned back into text and read as a .NET string, as it was read before.</summary>
    private static async Task<IReadOnlyList<string?>> ReadGeometriesAsStringsAsync(NpgsqlConnection connection, ItemsQuery query)
    {
        var (_, sql) = FeatureSql.Items(query);
        await using var batch = FeatureQueries.CreateBatch(connection, new SqlCommand($"SELECT convert_from(p.g, 'UTF8') FROM ({sql.Text}) AS p(id, g)", sql.Parameters));
        await using var reader = await batch.ExecuteReaderAsync();
        var geometries = new List<string?>();
        while (await reader.ReadAsync())
        {
            geometries.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
        }

        return geometries;
    }

    /// <summary>The items document as it was written before ADR 30's amendment: each geometry from its string.</summary>
    private static void ItemsFromStrings(Utf8JsonWriter writer, ItemsQuery query, FeaturePage page, IReadOnlyList<string?> geometries)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteNumber("numberMatched", page.NumberMatched);
        writer.WriteNumber("numberReturned", page.Features.Count);
        writer.WriteString("timeStamp", OgcDocuments.TimeStamp(TimeStamp));
        OgcResponse.WriteLinks(writer, []);
        writer.WriteStartArray("features");
        for (var i = 0; i < page.Features.Count; i++)
        {
            var feature = page.Features[i];
            GeoJson.WriteFeature(writer, feature.Id, geometries[i], w =>
            {
                for (var p = 0; p < query.Properties.Count; p++)
                {
                    w.WritePropertyName(query.Properties[p].Name);
                    OgcDocuments.WriteValue(w, feature.Values[p]);
                }
            });
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
