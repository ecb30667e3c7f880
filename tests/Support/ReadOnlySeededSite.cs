using System.Globalization;
using System.Text;
using Npgsql;

namespace ValDrome.Tests.Support;

/// <summary>
/// One seeded site for every class of the <see cref="SharedReadOnlySeededSite"/>, created once
/// instead of once per class. Its tests may only read: at the end it checks that the database
/// still holds what it held at the start, and fails the run otherwise.
/// </summary>
public sealed class ReadOnlySeededSite : IAsyncLifetime
{
    private readonly SeededSite _site = new();
    private DatabaseFingerprint? _start;

    public TestDatabase Database => _site.Database;

    public ValDromeApp App => _site.App;

    public async Task InitializeAsync()
    {
        await _site.InitializeAsync();
        // Started before the fingerprint: the start creates the job tables and registers the recurring jobs.
        _ = App.Services;
        _start = await DatabaseFingerprint.TakeAsync(Database);
    }

    public async Task DisposeAsync()
    {
        try
        {
            await App.DisposeAsync();
            var changed = _start is null ? [] : (await DatabaseFingerprint.TakeAsync(Database)).ChangedSince(_start);
            if (changed.Count > 0)
            {
                throw new InvalidOperationException(
                    $"A test of the collection « {SharedReadOnlySeededSite.Name} » wrote to its shared database ({string.Join(", ", changed)}). "
                    + "Tests that write need a fixture of their own (SeededSite or MarketSite), or their results depend on the order the classes run in.");
            }
        }
        finally
        {
            await _site.DisposeAsync();
        }
    }
}

/// <summary>
/// READ-ONLY: the classes of this collection share one seeded database. A test that writes
/// (a POST that succeeds, a save through the DbContext, SQL, a job run, a clock or setting change on
/// the shared site) belongs in a class with its own fixture; the fixture fails the run if the data changed.
/// Signing in is allowed: it writes only sessions and the last sign-in, which the check leaves out.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedReadOnlySeededSite : ICollectionFixture<ReadOnlySeededSite>
{
    public const string Name = "read-only seeded site";
}

/// <summary>
/// What a database holds, table by table: its row count and a hash of its rows. Cheap on the
/// seeded catalogue (a few thousand rows); it proves that no test of a shared fixture wrote.
/// </summary>
public sealed class DatabaseFingerprint
{
    /// <summary>Tables that reading writes to (sessions, the key ring) or that never change (PostGIS's, the migrations').</summary>
    private static readonly string[] Untracked = ["user_sessions", "data_protection_keys", "__EFMigrationsHistory", "spatial_ref_sys"];

    private readonly Dictionary<string, string> _tables;

    private DatabaseFingerprint(Dictionary<string, string> tables) => _tables = tables;

    public static async Task<DatabaseFingerprint> TakeAsync(TestDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var names = new List<string>();
        await using (var list = new NpgsqlCommand(
            """
            SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables
            WHERE table_type = 'BASE TABLE'
              AND ((table_schema = 'public' AND NOT table_name = ANY(@untracked)) OR (table_schema = 'hangfire' AND table_name = 'job'))
            ORDER BY 1
            """, connection))
        {
            list.Parameters.AddWithValue("untracked", Untracked);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        // Signing in stamps the user's row: that one column is left out.
        var sql = new StringBuilder();
        foreach (var name in names)
        {
            sql.Append(sql.Length == 0 ? "" : " UNION ALL ").Append(CultureInfo.InvariantCulture,
                $"SELECT '{name}', count(*) || ' rows ' || coalesce(md5(string_agg(h, '' ORDER BY h)), '') FROM (SELECT md5((to_jsonb(t) - 'last_sign_in_at')::text) AS h FROM {name} t) r");
        }

        var tables = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var hash = new NpgsqlCommand(sql.ToString(), connection);
        await using (var rows = await hash.ExecuteReaderAsync())
        {
            while (await rows.ReadAsync())
            {
                tables[rows.GetString(0)] = rows.GetString(1);
            }
        }

        return new DatabaseFingerprint(tables);
    }

    /// <summary>The tables whose rows differ from <paramref name="before"/>, with their row counts then and now.</summary>
    public IReadOnlyList<string> ChangedSince(DatabaseFingerprint before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return [.. _tables.Keys.Union(before._tables.Keys).Order(StringComparer.Ordinal)
            .Where(t => before._tables.GetValueOrDefault(t) != _tables.GetValueOrDefault(t))
            .Select(t => $"{t}: {Rows(before._tables.GetValueOrDefault(t))} → {Rows(_tables.GetValueOrDefault(t))}")];
    }

    private static string Rows(string? entry) => entry is null ? "absent" : entry[..entry.IndexOf(" rows", StringComparison.Ordinal)] + " rows";
}
