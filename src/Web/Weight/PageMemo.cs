using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using ValDrome.Domain.Changes;

namespace ValDrome.Web.Weight;

/// <summary>
/// What a signed-in page computed from the data (the proposals for a commune, a kind and some days;
/// a page of the catalogue), kept in memory under the data version of every watched table and
/// today's date, read before the computation (ADR 28), as the public pages are kept whole. A
/// signed-in page is still made for its visitor (name, menu, antiforgery tokens); only its queries
/// are spared until something they read changes. Values must be immutable.
/// </summary>
public sealed class PageMemo(DataVersions versions, TimeProvider time, IOptions<PageCacheOptions> options) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 20_000, CompactionPercentage = 0.25 });

    public async Task<T> GetAsync<T>(string key, Func<CancellationToken, Task<T>> make, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(make);
        var settings = options.Value;
        if (!settings.CacheResponses)
        {
            return await make(cancellationToken);
        }

        var versioned = key + "|" + PageCache.DataStamp(versions, time);
        if (_cache.TryGetValue(versioned, out T? kept) && kept is not null)
        {
            return kept;
        }

        var made = await make(cancellationToken);
        using var entry = _cache.CreateEntry(versioned);
        entry.Value = made;
        entry.Size = 1;
        entry.AbsoluteExpirationRelativeToNow = settings.CacheLifetime;
        return made;
    }

    public void Dispose() => _cache.Dispose();
}
