using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValDrome.Domain;

namespace ValDrome.Bench.Marketplace;

/// <summary>What the bench database holds, and how long it took to make.</summary>
internal sealed record DataSetState(bool GeneratedNow, double GenerationSeconds, DateTimeOffset CompletedAt, int Communes, int Units, long Bookings);

/// <summary>
/// The bench's own database (<see cref="DatabaseName"/>, next to the configured one): made once by
/// the real EF migrations and <c>DataSet.sql</c>, then kept. A marker row written last tells a
/// complete data set from an interrupted one, which is dropped and made again.
/// </summary>
internal static class BenchDataSet
{
    public const string DatabaseName = "valdrome_bench";

    /// <summary>Bump when DataSet.sql changes what it makes: older data sets are then regenerated.</summary>
    private const int Version = 1;

    public static string ConnectionStringFor(string serverConnectionString, string database)
    {
        var builder = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = database };
        return builder.ConnectionString;
    }

    public static async Task<DataSetState> EnsureAsync(string serverConnectionString, bool rebuild, CancellationToken cancellationToken)
    {
        var benchConnectionString = ConnectionStringFor(serverConnectionString, DatabaseName);
        if (!rebuild && await ReadMarkerAsync(serverConnectionString, benchConnectionString, cancellationToken) is { } kept)
        {
            // A schema change since the data set was made (a new migration) is applied to it as is.
            await using var db = CreateDb(benchConnectionString);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                Console.WriteLine($"Applying {pending.Count} new migration(s) to the kept data set: {string.Join(", ", pending)}");
                db.Database.SetCommandTimeout(TimeSpan.Zero);
                await db.Database.MigrateAsync(cancellationToken);
                await db.Database.ExecuteSqlRawAsync("VACUUM (ANALYZE)", cancellationToken);
            }

            return kept;
        }

        return await GenerateAsync(serverConnectionString, benchConnectionString, cancellationToken);
    }

    public static ValDromeDb CreateDb(string connectionString)
    {
        var options = new DbContextOptionsBuilder<ValDromeDb>();
        DomainServiceCollectionExtensions.Configure(options, connectionString);
        return new ValDromeDb(options.Options);
    }

    private static async Task<DataSetState?> ReadMarkerAsync(string serverConnectionString, string benchConnectionString, CancellationToken cancellationToken)
    {
        await using (var server = new NpgsqlConnection(ConnectionStringFor(serverConnectionString, "postgres")))
        {
            await server.OpenAsync(cancellationToken);
            await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", server);
            exists.Parameters.Add(new NpgsqlParameter { Value = DatabaseName });
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return null;
            }
        }

        await using var connection = new NpgsqlConnection(benchConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT generation_seconds, completed_at, communes, units, bookings FROM bench_dataset WHERE version = $1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Version });
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new DataSetState(false, reader.GetDouble(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt64(4))
                : null;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }
    }

    private static async Task<DataSetState> GenerateAsync(string serverConnectionString, string benchConnectionString, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Generating the data set in database {DatabaseName} (several minutes; it is kept for the next runs)…");
        var started = Stopwatch.GetTimestamp();
        NpgsqlConnection.ClearAllPools();
        await using (var server = new NpgsqlConnection(ConnectionStringFor(serverConnectionString, "postgres")))
        {
            await server.OpenAsync(cancellationToken);
            foreach (var sql in new[] { $"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)", $"CREATE DATABASE {DatabaseName}" })
            {
                await using var command = new NpgsqlCommand(sql, server);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var db = CreateDb(benchConnectionString))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        Console.WriteLine($"  {"schema (EF migrations)",-78} {Latency.Since(started) / 1000,7:0.0} s");

        // One connection for every step: the temporary tables and setseed live in its session.
        await using var connection = new NpgsqlConnection(benchConnectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var (name, sql) in Steps())
        {
            var stepStarted = Stopwatch.GetTimestamp();
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync(cancellationToken);
            Console.WriteLine($"  {name,-78} {Latency.Since(stepStarted) / 1000,7:0.0} s");
        }

        var seconds = Latency.Since(started) / 1000;
        // Written last: its presence says the data set is complete.
        await using (var marker = new NpgsqlCommand("""
            CREATE TABLE bench_dataset (
                version integer PRIMARY KEY, completed_at timestamptz NOT NULL, generation_seconds double precision NOT NULL,
                communes integer NOT NULL, units integer NOT NULL, bookings bigint NOT NULL)
            """, connection))
        {
            await marker.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var marker = new NpgsqlCommand("""
            INSERT INTO bench_dataset
            SELECT $1, now(), $2, (SELECT count(*) FROM communes), (SELECT count(*) FROM equipment_units), (SELECT count(*) FROM unit_bookings)
            """, connection))
        {
            marker.Parameters.Add(new NpgsqlParameter { Value = Version });
            marker.Parameters.Add(new NpgsqlParameter { Value = seconds });
            await marker.ExecuteNonQueryAsync(cancellationToken);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Data set generated in {seconds:0.0} s."));
        return await ReadMarkerAsync(serverConnectionString, benchConnectionString, cancellationToken) is { } state
            ? state with { GeneratedNow = true }
            : throw new InvalidOperationException("The data set marker was not written.");
    }

    /// <summary>The "-- step: name" blocks of DataSet.sql, in order.</summary>
    private static List<(string Name, string Sql)> Steps()
    {
        using var stream = typeof(BenchDataSet).Assembly.GetManifestResourceStream("ValDrome.Bench.Marketplace.DataSet.sql")
            ?? throw new InvalidOperationException("DataSet.sql is not embedded.");
        using var reader = new StreamReader(stream);
        var steps = new List<(string, string)>();
        string? name = null;
        var sql = new System.Text.StringBuilder();
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith("-- step: ", StringComparison.Ordinal))
            {
                if (name is not null)
                {
                    steps.Add((name, sql.ToString()));
                }

                name = line["-- step: ".Length..];
                sql.Clear();
            }
            else if (name is not null)
            {
                sql.AppendLine(line);
            }
        }

        if (name is not null)
        {
            steps.Add((name, sql.ToString()));
        }

        return steps;
    }
}
