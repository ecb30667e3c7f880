using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ValDrome.Web.Ogc;

/// <summary>Settings of the GIS layer (section <c>ValDrome:Gis</c>); the benchmark turns the caches off to measure the work itself.</summary>
public sealed class GisOptions
{
    public bool CacheResponses { get; set; } = true;

    /// <summary>Memory for cached tiles and pages, in MiB.</summary>
    public int CacheMegabytes { get; set; } = 64;

    /// <summary>
    /// The longest an entry lives: a backstop for changes the data versions cannot see (made by
    /// another process or outside EF, see ADR 0005).
    /// </summary>
    public TimeSpan CacheLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The most connections the GIS layer's own pool opens (0: Npgsql's default, 100). Past it,
    /// requests wait in the pool's queue, in order, rather than all running in PostgreSQL at once
    /// (measured as a variant of <c>bench gis-mapserver</c>, ADR 30).
    /// </summary>
    public int Connections { get; set; }

    /// <summary>
    /// Npgsql's <c>Max Auto Prepare</c> for the GIS layer's pool (0: off): its statements, the
    /// same text on every request, are parsed and planned once per connection. 20 since the quiet
    /// run of <c>bench gis-mapserver</c> (ADR 30): twice the throughput, half the p99.
    /// </summary>
    public int AutoPrepare { get; set; } = 20;
}

/// <summary>
/// A ready representation: its bytes, their gzip form (made on the first request that accepts it),
/// its strong ETag and its own headers (Link, Content-Crs).
/// </summary>
internal sealed record CachedBody(byte[] Body, Lazy<byte[]>? Gzip, string ETag, string ContentType, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A bounded in-memory cache of tiles and item pages. Keys carry the data version of the layer's
/// tables, read before the query ran, so an entry never outlives the data it was made from
/// (ADR 0005); stale entries are never asked for again and age out.
/// </summary>
internal sealed class GisCache(IOptions<GisOptions> options) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions
    {
        SizeLimit = (long)options.Value.CacheMegabytes * 1024 * 1024,
        CompactionPercentage = 0.25,
    });

    private readonly GisOptions _options = options.Value;

    public bool Enabled => _options.CacheResponses;

    public bool TryGet(string key, out CachedBody body)
    {
        body = null!;
        return _options.CacheResponses && _cache.TryGetValue(key, out body!);
    }

    public void Set(string key, CachedBody body)
    {
        if (!_options.CacheResponses)
        {
            return;
        }

        using var entry = _cache.CreateEntry(key);
        entry.Value = body;
        entry.Size = (body.Body.Length * (body.Gzip is null ? 1 : 2)) + key.Length + 64;
        entry.AbsoluteExpirationRelativeToNow = _options.CacheLifetime;
    }

    public void Dispose() => _cache.Dispose();
}
