namespace ValDrome.Web.Security;

/// <summary>
/// Headers on every response, pages, static files, GIS layer and errors alike (ADR 12). The
/// policy allows no inline script but the map page's own, named by their hashes (ADR 31): page scripts are files under wwwroot/js and read their data
/// from data- attributes or JSON islands. Only the Hangfire dashboard, whose pages carry inline
/// scripts we do not write, gets a looser policy on its own path.
/// </summary>
public static class SecurityHeaders
{
    public const string DashboardPath = "/jobs";

    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https://tile.openstreetmap.org; "
        + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The dashboard's own scripts and styles are inline; it is for admins only and shows no user text as HTML.</summary>
    public const string DashboardContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The site's policy allowing these inline scripts and styles, named by their hashes
    /// (<c>'sha256-…'</c>), and no other: the map page carries its own files (ADR 31).
    /// </summary>
    public static string ContentSecurityPolicyAllowing(IEnumerable<string> scriptHashes, IEnumerable<string> styleHashes) =>
        ContentSecurityPolicy
            .Replace("script-src 'self';", $"script-src 'self' {string.Join(' ', scriptHashes)};", StringComparison.Ordinal)
            .Replace("style-src 'self';", $"style-src 'self' {string.Join(' ', styleHashes)};", StringComparison.Ordinal);

    /// <summary>No page asks for the position or any device: every feature is off.</summary>
    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // When the headers leave, not now: the exception handler clears the response's headers before the error page.
            context.Response.OnStarting(() =>
            {
                Apply(context);
                return Task.CompletedTask;
            });
            return next(context);
        });

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(DashboardPath, StringComparison.OrdinalIgnoreCase)
            ? DashboardContentSecurityPolicy
            : Pages.Map.MapAssets.IsPage(context.Request.Path)
                ? Pages.Map.MapAssets.For(context.RequestServices.GetRequiredService<IWebHostEnvironment>()).ContentSecurityPolicy
                : ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = PermissionsPolicy;
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }
}
