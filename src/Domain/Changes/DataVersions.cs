using System.Collections.Concurrent;

namespace ValDrome.Domain.Changes;

/// <summary>
/// A version number per table, bumped after every committed change made through
/// <see cref="ValDromeDb"/> in this process (see docs/decisions/0005). Readers that cache what
/// they computed from some tables (vector tiles) key their entries by <see cref="Of(IEnumerable{string})"/> of those
/// tables, read <em>before</em> they query, so an entry filled while a change commits is never
/// served under the newer version.
/// </summary>
public sealed class DataVersions
{
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);

    /// <summary>Raised after a bump, with the tables that changed.</summary>
    public event Action<IReadOnlyCollection<string>>? Changed;

    public long Of(string table) => _versions.TryGetValue(table, out var version) ? version : 0;

    /// <summary>The combined version of several tables: it changes whenever one of them does (each only grows).</summary>
    public long Of(IEnumerable<string> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        return tables.Sum(Of);
    }

    public void Bump(IReadOnlyCollection<string> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (tables.Count == 0)
        {
            return;
        }

        foreach (var table in tables)
        {
            _versions.AddOrUpdate(table, 1, (_, version) => version + 1);
        }

        Changed?.Invoke(tables);
    }
}
