using System.Text.Json;
using NetTopologySuite.Geometries;
using ValDrome.Geo.Encoding;

namespace ValDrome.Web.Pages.Map;

/// <summary>A FeatureCollection streamed to the response as it is written.</summary>
internal sealed class GeoJsonResult<TProperties>(IEnumerable<(long Id, Geometry Geometry, TProperties Properties)> features) : IResult
{
    private static readonly JsonSerializerOptions PropertiesOptions = new(JsonSerializerDefaults.Web);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.ContentType = GeoJson.MediaType + "; charset=utf-8";
        await using var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteStartArray("features");
        foreach (var (id, geometry, properties) in features)
        {
            GeoJson.WriteFeature(writer, id, geometry, properties, PropertiesOptions);
            if (writer.BytesPending > 16 * 1024)
            {
                await writer.FlushAsync(httpContext.RequestAborted);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(httpContext.RequestAborted);
    }
}
