using System.Buffers;
using System.Text.Json;
using NetTopologySuite.Geometries;
using ValDrome.Geo.Encoding;

namespace ValDrome.Web.Pages.Map;

/// <summary>A FeatureCollection streamed to the response as it is written, or carried in a page as text.</summary>
internal sealed class GeoJsonResult<TProperties>(IEnumerable<(long Id, Geometry Geometry, TProperties Properties)> features) : IResult
{
    private static readonly JsonSerializerOptions PropertiesOptions = new(JsonSerializerDefaults.Web);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.ContentType = GeoJson.MediaType + "; charset=utf-8";
        var body = httpContext.Response.BodyWriter;
        await using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteStartArray("features");
        foreach (var (id, geometry, properties) in features)
        {
            GeoJson.WriteFeature(writer, id, geometry, properties, PropertiesOptions);
            if (writer.BytesPending > 16 * 1024)
            {
                await writer.FlushAsync(httpContext.RequestAborted);
                await body.FlushAsync(httpContext.RequestAborted);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        // The writer only hands its bytes to the pipe: flushing the pipe is what sends them on,
        // through the page cache's capture (ADR 28) before the request ends.
        await writer.FlushAsync(httpContext.RequestAborted);
        await body.FlushAsync(httpContext.RequestAborted);
    }

    /// <summary>
    /// The very text <see cref="ExecuteAsync"/> sends, to carry in a page (ADR 31). The writer's
    /// default encoder escapes &lt;, &gt; and &amp;, so no value can close the script element holding it.
    /// </summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WriteStartArray("features");
            foreach (var (id, geometry, properties) in features)
            {
                GeoJson.WriteFeature(writer, id, geometry, properties, PropertiesOptions);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
