using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;
using ValDrome.Web.Security;

namespace ValDrome.Web.Pages.Map;

/// <summary>
/// The map page's own scripts and styles (ADR 31), made once from the site's own files:
/// <list type="bullet">
/// <item>one script (Leaflet, its cluster plug-in and map.js) and one stylesheet (theirs and
/// map.css), named by their content, compressed once (Brotli, gzip) and cached for a year. Every
/// visitor gets the script as a file: a file that size is compiled on a background thread as it
/// downloads, a script in the page on the main thread, the scarce part on a slow phone;</item>
/// <item>for a visitor without a session, whose page is compressed and kept in the public output
/// cache, the styles (the layout's site.css and phone.css, then the map's) and the layout's two
/// small scripts as text the page carries: on a slow line each file is a round trip after the
/// page's own (562 ms on « slow 3G »), and these six shared the line with the map's script. The
/// page's Content-Security-Policy names each of these texts by its hash, and no other inline text
/// runs. A signed-in visitor's page is not compressed (BREACH, <see cref="Weight.Compression"/>):
/// it links the cached files.</item>
/// </list>
/// </summary>
internal sealed class MapAssets
{
    public const string PagePath = "/carte";

    /// <summary>Leaflet's stylesheet finds its images next to it: the bundle is served from the same folder.</summary>
    private const string StyleFolder = "/lib/leaflet/";

    private const string ScriptFolder = "/carte/";

    private static readonly string[] ScriptSources = ["lib/leaflet/leaflet.js", "lib/leaflet.markercluster/leaflet.markercluster.js", "js/map.js"];

    private static readonly string[] StyleSources = ["lib/leaflet/leaflet.css", "lib/leaflet.markercluster/MarkerCluster.css", "css/map.css"];

    private static readonly string[] LayoutStyleSources = ["css/site.css", "css/phone.css"];

    private static readonly ConcurrentDictionary<string, Lazy<MapAssets>> BySite = new(StringComparer.Ordinal);

    private MapAssets(IFileProvider files)
    {
        Script = Bundle.Make(files, ScriptSources, ScriptFolder + "carte", ".js", "text/javascript");
        Style = Bundle.Make(files, StyleSources, StyleFolder + "carte", ".css", "text/css");
        Layout = new InlineLayoutAssets(
            // Leaflet's stylesheet names its images relative to itself (/lib/leaflet/): the page is elsewhere.
            Text(files, [.. LayoutStyleSources, .. StyleSources], "</style").Replace("url(images/", "url(" + StyleFolder + "images/", StringComparison.Ordinal),
            Text(files, ["js/page-actions.js"], "</script"),
            Text(files, ["js/menu.js"], "</script"));
        ContentSecurityPolicy = SecurityHeaders.ContentSecurityPolicyAllowing(
            [Hash(Layout.PageActions), Hash(Layout.Menu)], [Hash(Layout.Style)]);
    }

    public Bundle Script { get; }

    public Bundle Style { get; }

    /// <summary>What the layout carries in place of its own files when the page carries its scripts.</summary>
    public InlineLayoutAssets Layout { get; }

    /// <summary>The site's policy, allowing the texts the page carries and no other inline one.</summary>
    public string ContentSecurityPolicy { get; }

    /// <summary>The assets of a site's web root, made on first use and then kept (a change to map.js needs a restart).</summary>
    public static MapAssets For(IWebHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return BySite.GetOrAdd(environment.WebRootPath ?? environment.ContentRootPath,
            _ => new Lazy<MapAssets>(() => new MapAssets(environment.WebRootFileProvider))).Value;
    }

    /// <summary>The map page, with or without a final slash, in any case (routing ignores both).</summary>
    public static bool IsPage(PathString path) =>
        string.Equals(path.Value?.TrimEnd('/'), PagePath, StringComparison.OrdinalIgnoreCase);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var environment = endpoints.ServiceProvider.GetRequiredService<IWebHostEnvironment>();
        endpoints.MapGet(ScriptFolder + "carte.{version}.js", (HttpContext context, string version) => For(environment).Script.Serve(context, version));
        endpoints.MapGet(StyleFolder + "carte.{version}.css", (HttpContext context, string version) => For(environment).Style.Serve(context, version));
    }

    private static string Text(IFileProvider files, string[] sources, string closingTag)
    {
        var joined = new StringBuilder();
        foreach (var source in sources)
        {
            var file = files.GetFileInfo(source);
            if (!file.Exists)
            {
                throw new InvalidOperationException($"{source} is missing from the web root: run script/bootstrap (LibMan restores Leaflet).");
            }

            using var reader = new StreamReader(file.CreateReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            joined.Append(reader.ReadToEnd());

            // A file without a final line break must not run into the next one.
            joined.Append('\n');
        }

        // The browser hashes the text as its HTML parser gives it, line breaks made \n.
        var text = joined.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (text.Contains(closingTag, StringComparison.OrdinalIgnoreCase) || text.Contains("<!--", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{string.Join(", ", sources)} cannot be carried in the page: the text contains {closingTag} or <!--.");
        }

        return text;
    }

    private static string Hash(string text) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}'";

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

/// <summary>The layout's own files as text, for the page that carries them (ADR 31).</summary>
internal sealed record InlineLayoutAssets(string Style, string PageActions, string Menu)
{
    public const string Key = "InlineLayoutAssets";
}
