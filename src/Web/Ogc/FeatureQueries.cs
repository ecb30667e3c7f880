using Npgsql;
using ValDrome.Geo.Spatial;

namespace ValDrome.Web.Ogc;

/// <summary>
/// One feature as read: its id, its geometry as GeoJSON in the requested CRS (UTF-8 bytes, as
/// PostGIS wrote them, copied as they are into the page), the selected property values in order.
/// </summary>
public sealed record FeatureRow(long Id, byte[]? GeometryJson, object?[] Values);

public sealed record FeaturePage(IReadOnlyList<FeatureRow> Features, long NumberMatched);

/// <summary>A layer's extent: its lon/lat box (null when empty) and, for a layer with a time, its first and last instants.</summary>
public sealed record LayerExtent(LonLatBox? Box, DateTime? Start, DateTime? End, bool OpenEnd);

/// <summary>
/// Runs <see cref="FeatureSql"/> on the GIS layer's own data source (see <see cref="OgcEndpoints.DataSourceKey"/>):
/// these reads are plain SQL, and a DbContext per request cost a third of a millisecond for nothing.
/// </summary>
internal static class FeatureQueries
{
    public static async Task<FeaturePage> ReadItemsAsync(NpgsqlConnection connection, ItemsQuery query, CancellationToken cancellationToken, GisScope? scope = null)
    {
        LonLatBox? bounds = null;
        if (query.Bbox is { Crs.IsGeographic: false } projected)
        {
            bounds = await ReadProjectedBoundsAsync(connection, projected, cancellationToken);
        }

        var (count, page) = FeatureSql.Items(query, bounds, scope);
        await using var batch = CreateBatch(connection, count, page);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var matched = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var rows = new List<FeatureRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(ReadRow(reader, query.Properties.Count));
        }

        return new FeaturePage(rows, matched);
    }

    public static async Task<FeatureRow?> ReadItemAsync(
        NpgsqlConnection connection, FeatureLayer layer, long id, IReadOnlyList<LayerProperty> properties, OgcCrs crs, GisScope scope, CancellationToken cancellationToken)
    {
        await using var batch = CreateBatch(connection, FeatureSql.Item(layer, id, properties, crs, scope));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRow(reader, properties.Count) : null;
    }

    public static async Task<IReadOnlyList<LayerExtent>> ReadExtentsAsync(
        NpgsqlConnection connection, IReadOnlyList<FeatureLayer> layers, CancellationToken cancellationToken, GisScope? scope = null)
    {
        await using var batch = CreateBatch(connection, [.. layers.Select(layer => FeatureSql.Extent(layer, scope))]);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var extents = new List<LayerExtent>();
        do
        {
            await reader.ReadAsync(cancellationToken);
            var box = reader.IsDBNull(0) ? (LonLatBox?)null
                : new LonLatBox(reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3));
            extents.Add(new LayerExtent(
                box,
                reader.IsDBNull(4) ? null : reader.GetDateTime(4),
                reader.IsDBNull(5) ? null : reader.GetDateTime(5),
                !reader.IsDBNull(6) && reader.GetBoolean(6)));
        }
        while (await reader.NextResultAsync(cancellationToken));
        return extents;
    }

    private static async Task<LonLatBox> ReadProjectedBoundsAsync(NpgsqlConnection connection, BboxFilter bbox, CancellationToken cancellationToken)
    {
        await using var batch = CreateBatch(connection, FeatureSql.ProjectedBounds(bbox));
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var box = new LonLatBox(
                Math.Max(-180, reader.GetDouble(0)), Math.Max(-90, reader.GetDouble(1)),
                Math.Min(180, reader.GetDouble(2)), Math.Min(90, reader.GetDouble(3)));

            // A micro-degree of margin (10 cm): the densified sides are within it of the true curves.
            return box.Expand(1e-6);
        }
        catch (PostgresException exception) when (exception.SqlState.StartsWith("22", StringComparison.Ordinal) || exception.SqlState == "XX000")
        {
            throw new OgcRequestException("« bbox » ne peut pas être converti en longitude/latitude.", exception);
        }
    }

    public static NpgsqlBatch CreateBatch(NpgsqlConnection connection, params SqlCommand[] commands)
    {
        var batch = new NpgsqlBatch(connection);
        foreach (var command in commands)
        {
            var batchCommand = new NpgsqlBatchCommand(command.Text);
            foreach (var value in command.Parameters)
            {
                batchCommand.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            batch.BatchCommands.Add(batchCommand);
        }

        return batch;
    }

    private static FeatureRow ReadRow(NpgsqlDataReader reader, int propertyCount)
    {
        var values = new object?[propertyCount];
        for (var i = 0; i < propertyCount; i++)
        {
            values[i] = reader.IsDBNull(i + 2) ? null : reader.GetValue(i + 2);
        }

        // UTF-8 bytes, not a string: a .NET string takes twice the GeoJSON's bytes and is transcoded
        // back to UTF-8 for the page; the geometries were most of a page's garbage (ADR 30).
        return new FeatureRow(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1), values);
    }
}
