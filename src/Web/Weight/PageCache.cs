using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Changes;

namespace ValDrome.Web.Weight;

/// <summary>Settings of the public pages' cache (section <c>ValDrome:Pages</c>).</summary>
public sealed class PageCacheOptions
{
    public const string Section = "ValDrome:Pages";

    public bool CacheResponses { get; set; } = true;

    /// <summary>Memory for cached pages, in MiB.</summary>
    public int CacheMegabytes { get; set; } = 64;

    /// <summary>The longest a page lives: a backstop, as for the GIS layer (ADR 5).</summary>
    public TimeSpan CacheLifetime { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// The public pages (home, catalogue, a unit, the map and its GeoJSON, the communes) are the same
/// for every visitor without a session, and change only when the data does or the day turns. They
/// are kept whole in memory, under a key that carries the data version of every watched table and
/// today's date, read before the page runs (ADR 5, ADR 28): a write by this node, another node or
/// psql moves the version, and the next visitor gets a fresh page. Signed-in visitors, and anyone
/// carrying a message from the previous page, always get a page made for them.
/// </summary>
public static class PageCache
{
    public const string PolicyName = "public-page";

    public static IServiceCollection AddPageCache(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<PageCacheOptions>(configuration.GetSection(PageCacheOptions.Section));
        services.AddSingleton<PageMemo>();
        services.AddOutputCache();
        services.AddOptions<OutputCacheOptions>().Configure<IOptions<PageCacheOptions>>((cache, pages) =>
        {
            cache.SizeLimit = (long)pages.Value.CacheMegabytes * 1024 * 1024;
            cache.MaximumBodySize = 8 * 1024 * 1024;
            cache.AddPolicy(PolicyName, new PublicPagePolicy());
        });
        return services;
    }

    /// <summary>
    /// What a kept page or memo is valid for: the data version of every table a page may read and
    /// today's date. Read it before the work, so what is made while a change commits is kept under the old stamp.
    /// </summary>
    internal static string DataStamp(DataVersions versions, TimeProvider time) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{versions.Sum(ReadByPages)}|{time.Today().DayNumber}");

    /// <summary>Tables a page never reads and that change on every sign-in: they must not empty the cache.</summary>
    internal static bool ReadByPages(string table) =>
        !table.StartsWith("AspNet", StringComparison.Ordinal)
        && table is not ("user_sessions" or "gis_access_keys" or "data_protection_keys");

    private sealed class PublicPagePolicy : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var http = context.HttpContext;
            var request = http.Request;
            var options = http.RequestServices.GetRequiredService<IOptions<PageCacheOptions>>().Value;
            var anonymous = (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                && !request.Cookies.ContainsKey(WebComposition.SessionCookie)
                && !request.Cookies.ContainsKey(CookieTempDataProvider.CookieName)
                && request.Headers.Authorization.Count == 0;
            context.EnableOutputCaching = options.CacheResponses && anonymous;
            context.AllowCacheLookup = context.EnableOutputCaching;
            context.AllowCacheStorage = context.EnableOutputCaching;
            context.AllowLocking = true;
            if (!context.EnableOutputCaching)
            {
                return ValueTask.CompletedTask;
            }

            context.CacheVaryByRules.QueryKeys = "*";
            context.CacheVaryByRules.VaryByValues["data"] = DataStamp(
                http.RequestServices.GetRequiredService<DataVersions>(), http.RequestServices.GetRequiredService<TimeProvider>());
            context.ResponseExpirationTimeSpan = options.CacheLifetime;
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var response = context.HttpContext.Response;
            // A cookie, or a page that made an antiforgery token (it forbids storing: the token is bound to this visitor), stays this visitor's.
            if (response.StatusCode != StatusCodes.Status200OK
                || response.Headers.SetCookie.Count > 0
                || response.Headers.CacheControl.Any(v => v is not null && v.Contains("no-store", StringComparison.OrdinalIgnoreCase)))
            {
                context.AllowCacheStorage = false;
            }

            return ValueTask.CompletedTask;
        }
    }
}
