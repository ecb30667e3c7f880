using System.Collections.Concurrent;

namespace ValDrome.Domain.Changes;

/// <summary>
/// A version number per table, bumped after every committed change: at once for a change made
/// through <see cref="ValDromeDb"/> in this process, and when the database's notification arrives
/// for a change made anywhere else (another node, psql; see docs/decisions/0005 and 0022).
/// Readers that cache what they computed from some tables (vector tiles) key their entries by
/// <see cref="Of(IEnumerable{string})"/> of those tables, read <em>before</em> they query, so an
/// entry filled while a change commits is never served under the newer version.
/// </summary>
public sealed class DataVersions
{
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);
    private long _epoch;
    private long _lastBump;

    /// <summary>
    /// When the last bump began, in <see cref="Environment.TickCount64"/> milliseconds: written
    /// before the versions move, so a reader that sees a new version also sees this (replica reads
    /// wait until the replica has replayed past it, ADR 22).
    /// </summary>
    public long LastBumpTicks => Volatile.Read(ref _lastBump);

    /// <summary>Raised after a bump, with the tables that changed (every table known so far after <see cref="BumpAll"/>).</summary>
    public event Action<IReadOnlyCollection<string>>? Changed;

    public long Of(string table) => Interlocked.Read(ref _epoch) + (_versions.TryGetValue(table, out var version) ? version : 0);

    /// <summary>The combined version of several tables: it changes whenever one of them does (each only grows).</summary>
    public long Of(IEnumerable<string> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        return Interlocked.Read(ref _epoch) + tables.Sum(t => _versions.TryGetValue(t, out var version) ? version : 0);
    }

    /// <summary>The combined version of every table <paramref name="include"/> keeps, known so far or not: for a cache of pages that may read any of them.</summary>
    public long Sum(Func<string, bool> include)
    {
        ArgumentNullException.ThrowIfNull(include);
        var sum = Interlocked.Read(ref _epoch);
        foreach (var (table, version) in _versions)
        {
            sum += include(table) ? version : 0;
        }

        return sum;
    }

    public void Bump(IReadOnlyCollection<string> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (tables.Count == 0)
        {
            return;
        }

        Volatile.Write(ref _lastBump, Environment.TickCount64);
        foreach (var table in tables)
        {
            _versions.AddOrUpdate(table, 1, (_, version) => version + 1);
        }

        Changed?.Invoke(tables);
    }

    /// <summary>
    /// Every version moves at once: what was cached before is never served again. For when changes
    /// may have gone unseen (the listener lost its connection and the notifications with it).
    /// </summary>
    public void BumpAll()
    {
        Volatile.Write(ref _lastBump, Environment.TickCount64);
        Interlocked.Increment(ref _epoch);
        Changed?.Invoke([.. _versions.Keys]);
    }
}
