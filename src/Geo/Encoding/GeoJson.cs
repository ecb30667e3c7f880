using System.Text.Json;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace ValDrome.Geo.Encoding;

/// <summary>
/// Writes RFC 7946 GeoJSON: WGS84 lon/lat, exterior rings counter-clockwise and holes clockwise
/// (whatever the stored orientation), coordinates rounded to a fixed number of decimals.
/// </summary>
public static class GeoJson
{
    /// <summary>Six decimals of a degree is about 0.1 m: finer than any of our data.</summary>
    public const int DefaultDecimals = 6;

    public const string MediaType = "application/geo+json";

    /// <summary>A geometry as GeoJSON text, for embedding in a page.</summary>
    public static string Serialize(Geometry geometry, int decimals = DefaultDecimals)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteGeometry(writer, geometry, decimals);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void WriteFeature<TProperties>(
        Utf8JsonWriter writer,
        long id,
        Geometry? geometry,
        TProperties properties,
        JsonSerializerOptions options,
        int decimals = DefaultDecimals)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteNumber("id", id);
        writer.WritePropertyName("geometry");
        if (geometry is null || geometry.IsEmpty)
        {
            writer.WriteNullValue();
        }
        else
        {
            WriteGeometry(writer, geometry, decimals);
        }

        writer.WritePropertyName("properties");
        JsonSerializer.Serialize(writer, properties, options);
        writer.WriteEndObject();
    }

    /// <summary>
    /// A feature whose geometry is already GeoJSON text (encoded by PostGIS, for example) and whose
    /// properties the caller writes itself (a dynamic set of columns).
    /// </summary>
    public static void WriteFeature(Utf8JsonWriter writer, long id, string? geometryJson, Action<Utf8JsonWriter> writeProperties)
    {
        StartFeature(writer, id, writeProperties);
        if (string.IsNullOrEmpty(geometryJson))
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(geometryJson, skipInputValidation: true);
        }

        EndFeature(writer, writeProperties);
    }

    /// <summary>
    /// A feature whose geometry is already GeoJSON as UTF-8 bytes (as read from PostGIS), copied
    /// into the output as they are; empty means no geometry.
    /// </summary>
    public static void WriteFeature(Utf8JsonWriter writer, long id, ReadOnlySpan<byte> geometryJsonUtf8, Action<Utf8JsonWriter> writeProperties)
    {
        StartFeature(writer, id, writeProperties);
        if (geometryJsonUtf8.IsEmpty)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(geometryJsonUtf8, skipInputValidation: true);
        }

        EndFeature(writer, writeProperties);
    }

    /// <summary>A feature up to its geometry's value, which the caller writes next.</summary>
    private static void StartFeature(Utf8JsonWriter writer, long id, Action<Utf8JsonWriter> writeProperties)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(writeProperties);
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteNumber("id", id);
        writer.WritePropertyName("geometry");
    }

    private static void EndFeature(Utf8JsonWriter writer, Action<Utf8JsonWriter> writeProperties)
    {
        writer.WriteStartObject("properties");
        writeProperties(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteGeometry(Utf8JsonWriter writer, Geometry geometry, int decimals = DefaultDecimals)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(geometry);
        writer.WriteStartObject();
        writer.WriteString("type", geometry.GeometryType);
        if (geometry is GeometryCollection and not (MultiPoint or MultiLineString or MultiPolygon))
        {
            writer.WriteStartArray("geometries");
            for (var i = 0; i < geometry.NumGeometries; i++)
            {
                WriteGeometry(writer, geometry.GetGeometryN(i), decimals);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            return;
        }

        writer.WritePropertyName("coordinates");
        switch (geometry)
        {
            case Point point:
                WritePosition(writer, point.Coordinate, decimals);
                break;
            case LineString line:
                WritePositions(writer, line.CoordinateSequence, reverse: false, decimals);
                break;
            case Polygon polygon:
                WritePolygon(writer, polygon, decimals);
                break;
            case MultiPoint or MultiLineString or MultiPolygon:
                writer.WriteStartArray();
                for (var i = 0; i < geometry.NumGeometries; i++)
                {
                    switch (geometry.GetGeometryN(i))
                    {
                        case Point p:
                            WritePosition(writer, p.Coordinate, decimals);
                            break;
                        case LineString l:
                            WritePositions(writer, l.CoordinateSequence, reverse: false, decimals);
                            break;
                        case Polygon pg:
                            WritePolygon(writer, pg, decimals);
                            break;
                    }
                }

                writer.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"Geometry type {geometry.GeometryType} cannot be written as GeoJSON.");
        }

        writer.WriteEndObject();
    }

    private static void WritePolygon(Utf8JsonWriter writer, Polygon polygon, int decimals)
    {
        writer.WriteStartArray();
        var shell = polygon.Shell.CoordinateSequence;
        WritePositions(writer, shell, reverse: !Orientation.IsCCW(shell), decimals);
        foreach (var hole in polygon.Holes)
        {
            WritePositions(writer, hole.CoordinateSequence, reverse: Orientation.IsCCW(hole.CoordinateSequence), decimals);
        }

        writer.WriteEndArray();
    }

    private static void WritePositions(Utf8JsonWriter writer, CoordinateSequence sequence, bool reverse, int decimals)
    {
        writer.WriteStartArray();
        for (var i = 0; i < sequence.Count; i++)
        {
            WritePosition(writer, sequence.GetCoordinate(reverse ? sequence.Count - 1 - i : i), decimals);
        }

        writer.WriteEndArray();
    }

    private static void WritePosition(Utf8JsonWriter writer, Coordinate coordinate, int decimals)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(Math.Round(coordinate.X, decimals));
        writer.WriteNumberValue(Math.Round(coordinate.Y, decimals));
        writer.WriteEndArray();
    }
}
