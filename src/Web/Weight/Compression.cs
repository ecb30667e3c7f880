using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace ValDrome.Web.Weight;

/// <summary>
/// Compressed answers for a rural line. Static files come precompressed from the build
/// (<c>MapStaticAssets</c>); this compresses what is made per request: the map's GeoJSON, and HTML.
/// HTML only for visitors without a session (BREACH): a signed-in page can hold a secret that
/// comes back on every visit (the calendar feed's address on /prets) next to text the visitor typed
/// (a search), which is what a compression-length attack needs. Anonymous pages hold no secret but
/// the antiforgery token, which is encrypted afresh on every page and so never repeats.
/// </summary>
public static class Compression
{
    /// <summary>Public map data: the same for everyone, no secret to guess.</summary>
    public static readonly string[] DataTypes = ["application/geo+json"];

    public static readonly string[] AnonymousTypes = ["text/html", .. DataTypes];

    public static IApplicationBuilder UseCompression(this IApplicationBuilder app, string sessionCookie)
    {
        ArgumentNullException.ThrowIfNull(app);
        var anonymous = Provider(app.ApplicationServices, AnonymousTypes);
        var signedIn = Provider(app.ApplicationServices, DataTypes);
        app.UseWhen(context => !HasSession(context, sessionCookie), branch => branch.UseMiddleware<ResponseCompressionMiddleware>(anonymous));
        app.UseWhen(context => HasSession(context, sessionCookie), branch => branch.UseMiddleware<ResponseCompressionMiddleware>(signedIn));
        return app;
    }

    /// <summary>Whether this visitor's pages go uncompressed: the map page then keeps its files apart (ADR 31).</summary>
    internal static bool HasSession(HttpContext context, string sessionCookie) =>
        context.Request.Cookies.ContainsKey(sessionCookie) || context.Request.Headers.Authorization.Count > 0;

    private static ResponseCompressionProvider Provider(IServiceProvider services, string[] types)
    {
        var options = new ResponseCompressionOptions { EnableForHttps = true, MimeTypes = types };
        options.Providers.Add(new BrotliCompressionProvider(Options.Create(new BrotliCompressionProviderOptions { Level = CompressionLevel.Fastest })));
        options.Providers.Add(new GzipCompressionProvider(Options.Create(new GzipCompressionProviderOptions { Level = CompressionLevel.Fastest })));
        return new ResponseCompressionProvider(services, Options.Create(options));
    }
}
