using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValDrome.Bench.Marketplace;
using ValDrome.Domain;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Services;

using static ValDrome.Bench.BenchTools;

namespace ValDrome.Bench.Services;

/// <summary>
/// <c>services</c>: the urgent replacement's proposals (issue 13) on a département's roster that
/// the bench makes in a database of its own (<c>Roster.sql</c>): (a) any working day from any
/// commune, (b) the training day from its centre, where every nearby secretary is away, each
/// through <see cref="NearestAgents.FindAsync"/> (as the page calls it) and through Npgsql alone,
/// and (c) the page <c>/services/remplacement</c> over HTTP. See bench/README.md.
/// </summary>
public static class ServicesBenchmark
{
    public const string DatabaseName = "valdrome_bench_services";

    private const string Usage =
        "usage: dotnet run -c Release --project bench/ValDrome.Bench -- services [--agents N] [--bookings N] [--communes N] [--runs N] [--http-runs N] [--explain] [--keep]";

    /// <summary>As the page asks.</summary>
    private const int Limit = 5;

    private const double TargetP95Ms = 20;

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (Options.Parse(args) is not { } options)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var server = Environment.GetEnvironmentVariable("ConnectionStrings__ValDrome")
            ?? "Host=127.0.0.1;Port=55432;Database=valdrome;Username=valdrome";
        var connectionString = BenchDataSet.ConnectionStringFor(server, DatabaseName);
        var loadBefore = LoadAverage();
        var generation = await GenerateAsync(server, connectionString, options, cancel.Token);
        try
        {
            return await MeasureAsync(connectionString, options, generation, loadBefore, cancel.Token);
        }
        finally
        {
            if (!options.Keep)
            {
                await DropAsync(server, CancellationToken.None);
            }
        }
    }

    private static async Task<int> MeasureAsync(string connectionString, Options options, double generationSeconds, string loadBefore, CancellationToken cancellationToken)
    {
        await using var db = BenchDataSet.CreateDb(connectionString);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var roster = await Roster.LoadAsync(connection, cancellationToken);
        var versions = await ScalarAsync<string>(connection, "SELECT current_setting('server_version') || ' / PostGIS ' || postgis_lib_version()", cancellationToken);

        Console.WriteLine();
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {CpuModel()}; PostgreSQL {versions}; load average {loadBefore}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Roster: {roster.Communes.Count:N0} communes, {roster.Agents:N0} agents ({roster.Secretaries:N0} secretaries), {roster.Bookings:N0} bookings on {roster.Days.Count} working days from {roster.Days[0]:yyyy-MM-dd}; made in {generationSeconds:0.0} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Training day {roster.BusyDay:yyyy-MM-dd}: {roster.Trained:N0} secretaries within {roster.BusyRadiusMetres / 1000:0} km of commune {roster.BusyCommuneId} are away."));

        if (options.Explain)
        {
            await ExplainAsync(connection, roster, cancellationToken);
        }

        var random = new Random(13);
        var measures = new List<Measure>();
        var quiet = await TimeCaseAsync(db, connection, () => (roster.Communes[random.Next(roster.Communes.Count)], Slot(roster.Days[random.Next(roster.Days.Count)], random)),
            options.Runs, cancellationToken);
        measures.Add(new Measure("a", "5 nearest free secretaries, any working day, any commune: NearestAgents.FindAsync (EF connection)",
            Latency.Of([.. quiet.Find.Select(r => r.Milliseconds)]), TargetP95Ms, new() { ["with_5_found"] = quiet.Find.Count(r => r.Rows == Limit) }));
        measures.Add(new Measure("a-sql", "  same kind of request, NearestAgents.Text through Npgsql alone",
            Latency.Of([.. quiet.Sql.Select(r => r.Milliseconds)]), TargetP95Ms, new() { ["with_5_found"] = quiet.Sql.Count(r => r.Rows == Limit) }));

        var busy = await TimeCaseAsync(db, connection, () => (roster.BusyCommuneId, Slot(roster.BusyDay, random)), options.Runs, cancellationToken);
        measures.Add(new Measure("b", $"the training day from its centre: {roster.Trained} nearest secretaries away, walked past (FindAsync)",
            Latency.Of([.. busy.Find.Select(r => r.Milliseconds)]), TargetP95Ms, new() { ["with_5_found"] = busy.Find.Count(r => r.Rows == Limit), ["secretaries_away"] = roster.Trained }));
        measures.Add(new Measure("b-sql", "  same, through Npgsql alone",
            Latency.Of([.. busy.Sql.Select(r => r.Milliseconds)]), TargetP95Ms, new() { ["with_5_found"] = busy.Sql.Count(r => r.Rows == Limit) }));

        await using (var site = new BenchSite(connectionString, new MarketplaceOptions().SearchRadiusKm))
        {
            var home = roster.BusyCommuneId;
            await site.EnsureAgentAsync(home);
            using var client = await site.SignInAsync();
            var page = await TimePageAsync(client, () => (random.Next(3) == 0 ? roster.BusyDay : roster.Days[random.Next(roster.Days.Count)], Part(random)),
                options.HttpRuns, cancellationToken);
            measures.Add(new Measure("c", "GET /services/remplacement from the training day's centre, any day and part (whole request, in-process server)",
                Latency.Of([.. page.Select(r => r.Milliseconds)]), TargetP95Ms, new() { ["with_5_proposals"] = page.Count(r => r.Proposals == Limit) }));
        }

        Print(measures, options, LoadAverage());
        return 0;
    }

    private static async Task<double> GenerateAsync(string server, string connectionString, Options options, CancellationToken cancellationToken)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Making the roster in database {DatabaseName}: {options.Communes:N0} communes, {options.Agents:N0} agents, {options.Bookings:N0} bookings…"));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await DropAsync(server, cancellationToken);
        await using (var admin = new NpgsqlConnection(BenchDataSet.ConnectionStringFor(server, "postgres")))
        {
            await admin.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", admin);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var db = BenchDataSet.CreateDb(connectionString))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"schema (EF migrations)",-40} {Latency.Since(started) / 1000,7:0.0} s"));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var (name, sql) in RosterScript.Steps(options.Communes, options.Agents, options.Bookings))
        {
            var stepStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync(cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-40} {Latency.Since(stepStarted) / 1000,7:0.0} s"));
        }

        return Latency.Since(started) / 1000;
    }

    private static async Task DropAsync(string server, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(BenchDataSet.ConnectionStringFor(server, "postgres"));
        await admin.OpenAsync(cancellationToken);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync(cancellationToken);
    }

    private static ServiceSlot Slot(DateOnly day, Random random) => Part(random) switch
    {
        "matin" => new ServiceSlot(day, ServiceDays.MorningStart, ServiceDays.MorningEnd),
        "apres-midi" => new ServiceSlot(day, ServiceDays.AfternoonStart, ServiceDays.AfternoonEnd),
        _ => new ServiceSlot(day, ServiceDays.MorningStart, ServiceDays.AfternoonEnd),
    };

    private static string Part(Random random) => random.Next(3) switch
    {
        0 => "matin",
        1 => "apres-midi",
        _ => "journee",
    };

    /// <summary>
    /// Each iteration times two fresh requests of the same kind: FindAsync, then the same SQL
    /// through Npgsql alone. Interleaved, so both see the same load on a shared machine.
    /// </summary>
    private static async Task<CaseTimes> TimeCaseAsync(
        ValDromeDb db, NpgsqlConnection connection, Func<(int Commune, ServiceSlot Slot)> next, int runs, CancellationToken cancellationToken)
    {
        var times = new CaseTimes([], []);
        for (var i = -Math.Max(20, runs / 10); i < runs; i++)
        {
            var (commune, slot) = next();
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var found = await NearestAgents.FindAsync(db, commune, ServiceKind.Secretary, slot, Limit, cancellationToken);
            var milliseconds = Latency.Since(started);

            (commune, slot) = next();
            var sqlStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            await using var command = NearestAgents.CreateCommand(connection, commune, ServiceKind.Secretary, slot, Limit);
            var rows = 0;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows++;
                    for (var column = 0; column < reader.FieldCount; column++)
                    {
                        _ = reader.GetValue(column);
                    }
                }
            }

            var sqlMilliseconds = Latency.Since(sqlStarted);
            if (i >= 0)
            {
                times.Find.Add((found.Count, milliseconds));
                times.Sql.Add((rows, sqlMilliseconds));
            }
        }

        return times;
    }

    private static async Task<List<(double Milliseconds, int Proposals)>> TimePageAsync(
        HttpClient client, Func<(DateOnly Day, string Part)> next, int runs, CancellationToken cancellationToken)
    {
        var results = new List<(double, int)>(runs);
        for (var i = -Math.Max(20, runs / 10); i < runs; i++)
        {
            var (day, part) = next();
            var url = string.Create(CultureInfo.InvariantCulture, $"/services/remplacement?jour={day:yyyy-MM-dd}&creneau={part}");
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative), cancellationToken);
            var html = await response.Content.ReadAsStringAsync(cancellationToken);
            var milliseconds = Latency.Since(started);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}.");
            }

            var proposals = Count(html, "name=\"AgentId\"");
            if (proposals == 0 && !html.Contains("Aucune secrétaire itinérante", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{url} shows neither proposals nor the « aucune secrétaire » message.");
            }

            if (i >= 0)
            {
                results.Add((milliseconds, proposals));
            }
        }

        return results;
    }

    /// <summary>EXPLAIN (ANALYZE, BUFFERS) of a day like any other and of the training day from its centre.</summary>
    private static async Task ExplainAsync(NpgsqlConnection connection, Roster roster, CancellationToken cancellationToken)
    {
        var day = roster.Days[roster.Days.Count / 2];
        foreach (var (name, commune, slot) in new[]
        {
            ("(a) a day like any other", roster.Communes[0], new ServiceSlot(day, ServiceDays.MorningStart, ServiceDays.AfternoonEnd)),
            ("(b) the training day from its centre", roster.BusyCommuneId, new ServiceSlot(roster.BusyDay, ServiceDays.MorningStart, ServiceDays.AfternoonEnd)),
        })
        {
            await using var command = NearestAgents.CreateCommand(connection, commune, ServiceKind.Secretary, slot, Limit, "EXPLAIN (ANALYZE, BUFFERS) ");
            Console.WriteLine($"EXPLAIN (ANALYZE, BUFFERS) {name}:");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                Console.WriteLine("  " + reader.GetString(0));
            }
        }
    }

    private static void Print(List<Measure> measures, Options options, string loadAfter)
    {
        Console.WriteLine();
        Console.WriteLine($"{"",-6} {"measure",-112} {"runs",6} {"p50",9} {"p95",9} {"p99",9}  target p95");
        foreach (var m in measures)
        {
            var l = m.Latency;
            Console.WriteLine($"{m.Id,-6} {m.Description,-112} {l.Runs,6} {Latency.Format(l.MedianMs),9} {Latency.Format(l.P95Ms),9} {Latency.Format(l.P99Ms),9}  ≤ {m.TargetP95Ms} ms: {(l.P95Ms <= m.TargetP95Ms ? "met" : "MISSED")}");
        }

        Console.WriteLine($"Times in milliseconds; load average at the end {loadAfter}.");
        foreach (var m in measures)
        {
            var line = new Dictionary<string, object?>
            {
                ["bench"] = "services",
                ["measure"] = m.Id,
                ["runs"] = m.Latency.Runs,
                ["median_ms"] = Math.Round(m.Latency.MedianMs, 4),
                ["p95_ms"] = Math.Round(m.Latency.P95Ms, 4),
                ["p99_ms"] = Math.Round(m.Latency.P99Ms, 4),
                ["max_ms"] = Math.Round(m.Latency.MaxMs, 4),
                ["target_p95_ms"] = m.TargetP95Ms,
                ["agents"] = options.Agents,
                ["bookings"] = options.Bookings,
            };
            foreach (var (key, value) in m.Extra)
            {
                line[key] = value;
            }

            Console.WriteLine(JsonSerializer.Serialize(line, Json));
        }
    }

    private sealed record CaseTimes(List<(int Rows, double Milliseconds)> Find, List<(int Rows, double Milliseconds)> Sql);

    private sealed record Measure(string Id, string Description, Latency Latency, double TargetP95Ms, Dictionary<string, object> Extra);

    /// <summary>What the generated roster holds, read back from it.</summary>
    private sealed record Roster(
        List<int> Communes, long Agents, long Secretaries, long Bookings, List<DateOnly> Days,
        int BusyCommuneId, DateOnly BusyDay, double BusyRadiusMetres, long Trained)
    {
        public static async Task<Roster> LoadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
        {
            var communes = new List<int>();
            await using (var command = new NpgsqlCommand("SELECT id FROM communes ORDER BY id", connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    communes.Add(reader.GetInt32(0));
                }
            }

            var days = new List<DateOnly>();
            await using (var command = new NpgsqlCommand("SELECT DISTINCT day FROM agent_bookings WHERE reason IS DISTINCT FROM 'Formation départementale' ORDER BY day", connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    days.Add(reader.GetFieldValue<DateOnly>(0));
                }
            }

            await using var facts = new NpgsqlCommand("""
                SELECT (SELECT count(*) FROM service_agents), (SELECT count(*) FROM service_agents WHERE service = 'Secretary'),
                       (SELECT count(*) FROM agent_bookings), b.commune_id, b.day, b.radius_metres,
                       (SELECT count(*) FROM agent_bookings WHERE reason = 'Formation départementale')
                FROM bench_busy b
                """, connection);
            await using var row = await facts.ExecuteReaderAsync(cancellationToken);
            if (!await row.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException("The roster has no training day (bench_busy is empty).");
            }

            return new Roster(communes, row.GetInt64(0), row.GetInt64(1), row.GetInt64(2), days,
                row.GetInt32(3), row.GetFieldValue<DateOnly>(4), row.GetDouble(5), row.GetInt64(6));
        }
    }

    private sealed record Options(int Communes, int Agents, int Bookings, int Runs, int HttpRuns, bool Explain, bool Keep)
    {
        public static Options? Parse(string[] args)
        {
            var options = new Options(360, 2000, 50_000, 2000, 0, false, false);
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--explain":
                        options = options with { Explain = true };
                        break;
                    case "--keep":
                        options = options with { Keep = true };
                        break;
                    case "--communes" when i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var communes) && communes is >= 10 and <= 9999:
                        options = options with { Communes = communes };
                        break;
                    case "--agents" when i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var agents) && agents > 0:
                        options = options with { Agents = agents };
                        break;
                    case "--bookings" when i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var bookings) && bookings >= 0:
                        options = options with { Bookings = bookings };
                        break;
                    case "--runs" when i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var runs) && runs > 0:
                        options = options with { Runs = runs };
                        break;
                    case "--http-runs" when i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var http) && http > 0:
                        options = options with { HttpRuns = http };
                        break;
                    default:
                        return null;
                }
            }

            return options.HttpRuns == 0 ? options with { HttpRuns = Math.Min(options.Runs, 1000) } : options;
        }
    }
}
