using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace ValDrome.Web.Ogc;

/// <summary>A link of the API's documents, and of the HTTP <c>Link</c> header.</summary>
public sealed record OgcLink(string Href, string Rel, string Type, string? Title = null);

/// <summary>Writing responses: whole bodies with a strong ETag (304 on a match), CORS, problems.</summary>
internal static class OgcResponse
{
    public const string Json = "application/json";
    public const string GeoJson = "application/geo+json";
    public const string Html = "text/html";
    public const string OpenApi = "application/vnd.oai.openapi+json;version=3.0";
    public const string JsonSchema = "application/schema+json";
    public const string Problem = "application/problem+json";

    private static readonly Dictionary<string, string> EmptyHeaders = [];

    /// <summary>What a browser page on another site may read (CORS).</summary>
    public static void AllowAnyOrigin(HttpResponse response)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlExposeHeaders = "ETag, Link, Content-Crs, Content-Encoding";
    }

    public static byte[] WriteJson(Action<Utf8JsonWriter> write)
    {
        using var buffer = new RentedBuffer(16 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static CachedBody Prepare(byte[] body, string contentType, bool gzip = false, IReadOnlyDictionary<string, string>? headers = null)
    {
        var compressed = gzip && body.Length > 0 ? new Lazy<byte[]>(() => Compress(body)) : null;

        // Strong validator: the first 128 bits of the body's SHA-256, so equal tags mean equal bytes.
        var hash = Convert.ToBase64String(SHA256.HashData(body).AsSpan(0, 16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new CachedBody(body, compressed, $"\"{hash}\"", contentType, headers);
    }

    /// <summary>
    /// Sends the body, or 304 when <c>If-None-Match</c> names its ETag. The gzip form (a distinct
    /// representation, hence its own ETag) goes to clients that accept it.
    /// </summary>
    public static async Task SendAsync(HttpContext context, CachedBody body, int status = StatusCodes.Status200OK)
    {
        var request = context.Request;
        var response = context.Response;
        var gzip = body.Gzip is not null && AcceptsGzip(request);
        var etag = gzip ? body.ETag.Insert(body.ETag.Length - 1, "-gzip") : body.ETag;
        if (body.Gzip is not null)
        {
            response.Headers.Append(HeaderNames.Vary, "Accept-Encoding");
        }

        foreach (var (name, value) in body.Headers ?? EmptyHeaders)
        {
            response.Headers[name] = value;
        }

        if (status == StatusCodes.Status200OK)
        {
            response.Headers.ETag = etag;
            response.Headers.CacheControl = "no-cache";
            if (Matches(request, etag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
        }

        response.StatusCode = status;
        response.ContentType = body.ContentType;
        var bytes = gzip ? body.Gzip!.Value : body.Body;
        if (gzip)
        {
            response.Headers.ContentEncoding = "gzip";
        }

        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    public static string LinkHeader(IEnumerable<OgcLink> links) =>
        string.Join(", ", links.Select(l => $"<{l.Href}>; rel=\"{l.Rel}\"; type=\"{l.Type}\""));

    public static void WriteLinks(Utf8JsonWriter writer, IEnumerable<OgcLink> links)
    {
        writer.WriteStartArray("links");
        foreach (var link in links)
        {
            writer.WriteStartObject();
            writer.WriteString("href", link.Href);
            writer.WriteString("rel", link.Rel);
            writer.WriteString("type", link.Type);
            if (link.Title is not null)
            {
                writer.WriteString("title", link.Title);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>An RFC 9457 problem, in French.</summary>
    public static Task SendProblemAsync(HttpContext context, int status, string title, string detail)
    {
        var body = WriteJson(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "about:blank");
            writer.WriteString("title", title);
            writer.WriteNumber("status", status);
            writer.WriteString("detail", detail);
            writer.WriteString("instance", context.Request.Path + context.Request.QueryString);
            writer.WriteEndObject();
        });
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = Problem;
        context.Response.StatusCode = status;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static byte[] Compress(byte[] body)
    {
        using var output = new MemoryStream();
        using (var zip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zip.Write(body);
        }

        return output.ToArray();
    }

    private static bool AcceptsGzip(HttpRequest request)
    {
        if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptEncoding, out var encodings))
        {
            return false;
        }

        return encodings.Any(e => (string.Equals(e.Value.Value, "gzip", StringComparison.OrdinalIgnoreCase) || e.Value.Value == "*")
            && (e.Quality ?? 1) > 0);
    }

    private static bool Matches(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0)
        {
            return false;
        }

        if (!EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return false;
        }

        // If-None-Match uses the weak comparison (RFC 9110 13.1.2).
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Value == etag);
    }
}
