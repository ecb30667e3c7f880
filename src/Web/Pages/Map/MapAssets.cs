using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace ValDrome.Web.Pages.Map;

/// <summary>
/// The map page's own scripts and styles, each kind as one file (ADR 31). Over HTTP/1.1 a browser
/// opens six connections to a site; /carte asked for eleven files before it could draw, so on a
/// slow line half of them waited a whole round trip for a free connection. Made once from the
/// site's own files (Leaflet, its cluster plug-in, map.js and map.css), named by their content,
/// compressed once (Brotli, gzip) and kept by browsers for a year, as <c>MapStaticAssets</c> does.
/// </summary>
internal sealed class MapAssets
{
    /// <summary>Leaflet's stylesheet finds its images next to it: the bundle is served from the same folder.</summary>
    private const string StyleFolder = "/lib/leaflet/";

    private const string ScriptFolder = "/carte/";

    private static readonly string[] ScriptSources = ["lib/leaflet/leaflet.js", "lib/leaflet.markercluster/leaflet.markercluster.js", "js/map.js"];

    private static readonly string[] StyleSources = ["lib/leaflet/leaflet.css", "lib/leaflet.markercluster/MarkerCluster.css", "css/map.css"];

    private static readonly ConcurrentDictionary<string, Lazy<MapAssets>> BySite = new(StringComparer.Ordinal);

    private MapAssets(Bundle script, Bundle style)
    {
        Script = script;
        Style = style;
    }

    public Bundle Script { get; }

    public Bundle Style { get; }

    /// <summary>The bundles of a site's web root, made on first use and then kept (a change to map.js needs a restart).</summary>
    public static MapAssets For(IWebHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return BySite.GetOrAdd(environment.WebRootPath ?? environment.ContentRootPath, _ => new Lazy<MapAssets>(() => new MapAssets(
            Bundle.Make(environment.WebRootFileProvider, ScriptSources, ScriptFolder + "carte", ".js", "text/javascript"),
            Bundle.Make(environment.WebRootFileProvider, StyleSources, StyleFolder + "carte", ".css", "text/css")))).Value;
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var environment = endpoints.ServiceProvider.GetRequiredService<IWebHostEnvironment>();
        endpoints.MapGet(ScriptFolder + "carte.{version}.js", (HttpContext context, string version) => For(environment).Script.Serve(context, version));
        endpoints.MapGet(StyleFolder + "carte.{version}.css", (HttpContext context, string version) => For(environment).Style.Serve(context, version));
    }

    /// <summary>Files joined in order, under a name that changes with their content.</summary>
    internal sealed class Bundle
    {
        private readonly byte[] _plain;
        private readonly byte[] _brotli;
        private readonly byte[] _gzip;
        private readonly string _contentType;

        private Bundle(string url, string version, byte[] plain, string contentType)
        {
            Url = url;
            Version = version;
            _plain = plain;
            _contentType = contentType;
            _brotli = Compress(plain, output => new BrotliStream(output, CompressionLevel.SmallestSize, leaveOpen: true));
            _gzip = Compress(plain, output => new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true));
        }

        public string Url { get; }

        public string Version { get; }

        public static Bundle Make(IFileProvider files, string[] sources, string stem, string extension, string contentType)
        {
            using var joined = new MemoryStream();
            foreach (var source in sources)
            {
                var file = files.GetFileInfo(source);
                if (!file.Exists)
                {
                    throw new InvalidOperationException($"{source} is missing from the web root: run script/bootstrap (LibMan restores Leaflet).");
                }

                using (var input = file.CreateReadStream())
                {
                    input.CopyTo(joined);
                }

                // A file without a final line break must not run into the next one.
                joined.WriteByte((byte)'\n');
            }

            var plain = joined.ToArray();
            var version = Convert.ToHexStringLower(SHA256.HashData(plain))[..12];
            return new Bundle($"{stem}.{version}{extension}", version, plain, contentType);
        }

        public IResult Serve(HttpContext context, string version)
        {
            if (!string.Equals(version, Version, StringComparison.Ordinal))
            {
                return Results.NotFound();
            }

            var response = context.Response;
            var etag = new EntityTagHeaderValue($"\"{Version}\"");
            response.Headers.CacheControl = "public, max-age=31536000, immutable";
            response.Headers.ETag = etag.ToString();
            response.Headers.Vary = HeaderNames.AcceptEncoding;
            if (context.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Compare(etag, useStrongComparison: false)))
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            var accepted = context.Request.GetTypedHeaders().AcceptEncoding;
            bool Accepts(string coding) => accepted.Any(a => a.Value.Equals(coding, StringComparison.OrdinalIgnoreCase) && a.Quality is not 0d);
            if (Accepts("br"))
            {
                response.Headers.ContentEncoding = "br";
                return Results.Bytes(_brotli, _contentType);
            }

            if (Accepts("gzip"))
            {
                response.Headers.ContentEncoding = "gzip";
                return Results.Bytes(_gzip, _contentType);
            }

            return Results.Bytes(_plain, _contentType);
        }

        private static byte[] Compress(byte[] plain, Func<Stream, Stream> open)
        {
            using var output = new MemoryStream();
            using (var compressor = open(output))
            {
                compressor.Write(plain);
            }

            return output.ToArray();
        }
    }
}
