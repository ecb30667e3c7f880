using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValDrome.Domain;
using ValDrome.Domain.Loans;

using static ValDrome.Bench.BenchTools;

namespace ValDrome.Bench.Marketplace;

/// <summary>
/// <c>nearest</c>: the nearest-available query (issue 3) on a national-scale data set the bench
/// makes and keeps: (a) free units nearby, (b) nothing free within the radius, (c) the naive
/// query on the same data, (d) the whole proposals page over HTTP. See bench/README.md.
/// </summary>
public static class MarketplaceBenchmark
{
    private const string Usage =
        "usage: dotnet run -c Release --project bench/ValDrome.Bench -- nearest [--rebuild] [--runs N] [--radius-km R] [--naive-runs N] [--http-runs N] [--explain]";

    private const int Limit = 10;

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
        var loadBefore = LoadAverage();
        var dataSet = await BenchDataSet.EnsureAsync(server, options.Rebuild, cancel.Token);
        var benchConnectionString = BenchDataSet.ConnectionStringFor(server, BenchDataSet.DatabaseName);

        await using var db = BenchDataSet.CreateDb(benchConnectionString);
        await db.Database.OpenConnectionAsync(cancel.Token);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var workload = await Workload.LoadAsync(connection, cancel.Token);
        var versions = await ScalarAsync<string>(connection, "SELECT current_setting('server_version') || ' / PostGIS ' || postgis_lib_version()", cancel.Token);
        var radiusMetres = options.RadiusKm * 1000;

        Console.WriteLine();
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {CpuModel()}, {MemoryGiB()} GiB; PostgreSQL {versions}; load average {loadBefore}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Data set: {dataSet.Communes:N0} communes, {dataSet.Units:N0} units in {workload.Categories.Count} categories, {dataSet.Bookings:N0} bookings; generated in {dataSet.GenerationSeconds:0} s{(dataSet.GeneratedNow ? " (now)" : $" on {dataSet.CompletedAt:yyyy-MM-dd HH:mm}, kept")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Search radius: {options.RadiusKm:0.#} km — the radius caps the search: nothing further is ever proposed, and (b) reads every unit within it."));
        var blockedReach = workload.Regions.Min(r => r.RadiusMetres) - Workload.BlockedOriginSpreadMetres;
        if (radiusMetres > blockedReach)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Warning: the fully booked regions reach {blockedReach / 1000:0} km from the (b) origins; with a larger radius (b) may find units (counted below)."));
        }

        if (options.Explain)
        {
            await ExplainAsync(connection, workload, radiusMetres, cancel.Token);
        }

        await PrepareAsync(connection, PreparedName, cancel.Token);
        var measures = new List<Measure>();
        var sampleA = new List<(AvailabilityQuery Query, IReadOnlyList<AvailableUnit> Found)>();
        var sampleB = new List<(AvailabilityQuery Query, IReadOnlyList<AvailableUnit> Found)>();

        // (a) Free units nearby: any commune, any category, five days; kept when ten were found.
        var a = await TimeCaseAsync(db, connection, () => workload.NextAnywhere(radiusMetres, Limit), options.Runs, cancel.Token);
        var full = a.Find.Where(r => r.Found.Count == Limit).ToList();
        sampleA.AddRange(full.Take(options.NaiveRuns).Select(r => (r.Query, r.Found)));
        measures.Add(new Measure("a", "nearest 10 free units, 5 days, from a random commune: NearestAvailable.FindAsync (EF)",
            Latency.Of([.. full.Select(r => r.Milliseconds)]), 1,
            new() { ["drawn"] = a.Find.Count, ["with_10_free_within_radius"] = full.Count, ["radius_km"] = options.RadiusKm }));
        measures.Add(new Measure("a-sql", "  same kind of request, NearestAvailable.Text prepared, through Npgsql alone (no EF)",
            Latency.Of([.. a.Sql.Where(r => r.Rows == Limit).Select(r => r.Milliseconds)]), 1,
            new() { ["drawn"] = a.Sql.Count, ["with_10_free_within_radius"] = a.Sql.Count(r => r.Rows == Limit), ["radius_km"] = options.RadiusKm }));
        measures.Add(new Measure("a-srv", "  same kind of request, prepared, planning + execution inside PostgreSQL (no round trip)",
            Latency.Of([.. a.Server.Where(r => r.Rows == Limit).Select(r => r.Milliseconds)]), 1,
            new() { ["drawn"] = a.Server.Count, ["with_10_free_within_radius"] = a.Server.Count(r => r.Rows == Limit), ["radius_km"] = options.RadiusKm }));

        // (b) Nothing free within the radius: every unit of the category there is booked or in maintenance.
        var b = await TimeCaseAsync(db, connection, () => workload.NextBlocked(radiusMetres, Limit), options.Runs, cancel.Token);
        sampleB.AddRange(b.Find.Take(options.NaiveRuns).Select(r => (r.Query, r.Found)));
        var candidates = await CandidatesAsync(connection, radiusMetres, cancel.Token);
        measures.Add(new Measure("b", "nothing free within the radius, every candidate read and refused: FindAsync (EF)",
            Latency.Of([.. b.Find.Select(r => r.Milliseconds)]), 10,
            new()
            {
                ["radius_km"] = options.RadiusKm,
                ["queries_that_found_units"] = b.Find.Count(r => r.Found.Count > 0) + b.Sql.Count(r => r.Rows > 0) + b.Server.Count(r => r.Rows > 0),
                ["in_service_units_within_radius_of_region_centres_min"] = candidates.Min(),
                ["in_service_units_within_radius_of_region_centres_median"] = candidates.Order().ElementAt(candidates.Count / 2),
                ["in_service_units_within_radius_of_region_centres_max"] = candidates.Max(),
            }));
        measures.Add(new Measure("b-sql", "  same kind of request, NearestAvailable.Text prepared, through Npgsql alone (no EF)",
            Latency.Of([.. b.Sql.Select(r => r.Milliseconds)]), 10, new() { ["radius_km"] = options.RadiusKm }));
        measures.Add(new Measure("b-srv", "  same kind of request, prepared, planning + execution inside PostgreSQL (no round trip)",
            Latency.Of([.. b.Server.Select(r => r.Milliseconds)]), 10, new() { ["radius_km"] = options.RadiusKm }));

        // (c) The naive query on the same requests, in the same process, on the same connection.
        foreach (var (name, sample, indexed, indexedServer) in new[]
        {
            ("c-a", sampleA, measures.Single(m => m.Id == "a"), measures.Single(m => m.Id == "a-srv")),
            ("c-b", sampleB, measures.Single(m => m.Id == "b"), measures.Single(m => m.Id == "b-srv")),
        })
        {
            var naive = await TimeNaiveAsync(db, connection, sample, cancel.Token);
            var latency = Latency.Of([.. naive.Select(n => n.Milliseconds)]);
            var serverLatency = Latency.Of([.. naive.Select(n => n.ServerMilliseconds)]);
            measures.Add(new Measure(name, $"naive query (distance to every unit, then filter, sort, take 10) on {sample.Count} requests of ({name[2..]})",
                latency, null,
                new()
                {
                    ["same_units"] = naive.Count(n => n.SameUnits),
                    ["same_order"] = naive.Count(n => n.SameOrder),
                    ["requests"] = naive.Count,
                    ["ratio_p50"] = Math.Round(latency.MedianMs / indexed.Latency.MedianMs, 1),
                    ["ratio_p95"] = Math.Round(latency.P95Ms / indexed.Latency.P95Ms, 1),
                }));
            measures.Add(new Measure(name + "-srv", "  the same naive requests, planning + execution inside PostgreSQL (no round trip)",
                serverLatency, null,
                new()
                {
                    ["requests"] = naive.Count,
                    ["ratio_p50"] = Math.Round(serverLatency.MedianMs / indexedServer.Latency.MedianMs, 1),
                    ["ratio_p95"] = Math.Round(serverLatency.P95Ms / indexedServer.Latency.P95Ms, 1),
                }));
        }

        // (d) The proposals page, whole request, signed in as the agent of a blocked region's centre.
        await using (var site = new BenchSite(benchConnectionString, options.RadiusKm))
        {
            var home = workload.Regions[0];
            await site.EnsureAgentAsync(home.CentreCommuneId);
            using var client = await site.SignInAsync();
            var pageA = await TimePageAsync(client, () =>
            {
                var first = workload.NextFirstDay();
                return (workload.NextCategoryOtherThan(home.CategoryId).Code, first);
            }, options.HttpRuns, expectProposals: true, cancel.Token);
            measures.Add(new Measure("d-a", "GET /prets/demander, proposals shown (whole request, in-process server)",
                Latency.Of([.. pageA.Where(r => r.Proposals == Limit).Select(r => r.Milliseconds)]), 20,
                new() { ["requests"] = pageA.Count, ["with_10_proposals"] = pageA.Count(r => r.Proposals == Limit), ["radius_km"] = options.RadiusKm }));
            var pageB = await TimePageAsync(client, () => (home.CategoryCode, workload.NextFirstDayIn(home)), options.HttpRuns, expectProposals: false, cancel.Token);
            measures.Add(new Measure("d-b", "GET /prets/demander, « aucun matériel à moins de R km » (whole request)",
                Latency.Of([.. pageB.Select(r => r.Milliseconds)]), 20,
                new() { ["requests"] = pageB.Count, ["that_found_units"] = pageB.Count(r => r.Proposals > 0), ["radius_km"] = options.RadiusKm }));
        }

        Print(measures, options, LoadAverage());
        return 0;
    }

    /// <summary>
    /// Each iteration times three fresh requests of the same kind, one per way of running the
    /// query: FindAsync (EF), its SQL through Npgsql alone, and PostgreSQL's own planning +
    /// execution time (EXPLAIN ANALYZE, TIMING OFF). Interleaved, so the three see the same load
    /// on a shared machine; other draws each time, so none reads pages another just warmed.
    /// </summary>
    private static async Task<CaseTimes> TimeCaseAsync(
        ValDromeDb db, NpgsqlConnection connection, Func<AvailabilityQuery> next, int runs, CancellationToken cancellationToken)
    {
        var times = new CaseTimes([], [], []);
        var warmUp = Math.Max(50, runs / 10);
        for (var i = -warmUp; i < runs; i++)
        {
            var query = next();
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var found = await NearestAvailable.FindAsync(db, query, cancellationToken);
            var milliseconds = Latency.Since(started);
            var sql = await RunSqlAsync(connection, next(), cancellationToken);
            var server = await RunServerAsync(connection, next(), cancellationToken);
            if (i >= 0)
            {
                times.Find.Add((query, found, milliseconds));
                times.Sql.Add(sql);
                times.Server.Add(server);
            }
        }

        return times;
    }

    /// <summary>The exact SQL of <see cref="NearestAvailable.Text"/>, prepared as FindAsync does, through Npgsql alone, every value read.</summary>
    private static async Task<(int Rows, double Milliseconds)> RunSqlAsync(NpgsqlConnection connection, AvailabilityQuery query, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var command = NearestAvailable.CreateCommand(connection, query);
        await command.PrepareAsync(cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            rows++;
            for (var column = 0; column < reader.FieldCount; column++)
            {
                _ = reader.GetValue(column);
            }
        }

        return (rows, Latency.Since(started));
    }

    /// <summary>
    /// Planning + execution as PostgreSQL reports them (EXPLAIN ANALYZE, TIMING OFF) for an
    /// execution of the prepared statement <see cref="PreparedName"/>, and the rows found.
    /// </summary>
    private static async Task<(int Rows, double Milliseconds)> RunServerAsync(NpgsqlConnection connection, AvailabilityQuery query, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"EXPLAIN (ANALYZE, TIMING OFF, SUMMARY, FORMAT JSON) EXECUTE {PreparedName} ({Literals(query)})", connection);
        var json = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        using var plan = JsonDocument.Parse(json);
        var root = plan.RootElement[0];
        return (root.GetProperty("Plan").GetProperty("Actual Rows").GetInt32(),
            root.GetProperty("Planning Time").GetDouble() + root.GetProperty("Execution Time").GetDouble());
    }

    private static async Task<List<(double Milliseconds, double ServerMilliseconds, bool SameUnits, bool SameOrder)>> TimeNaiveAsync(
        ValDromeDb db, NpgsqlConnection connection, List<(AvailabilityQuery Query, IReadOnlyList<AvailableUnit> Found)> sample, CancellationToken cancellationToken)
    {
        foreach (var (query, _) in sample.Take(3))
        {
            await NaiveQuery.FindAsync(db, query, cancellationToken);
        }

        var results = new List<(double, double, bool, bool)>(sample.Count);
        foreach (var (query, indexed) in sample)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var naive = await NaiveQuery.FindAsync(db, query, cancellationToken);
            var milliseconds = Latency.Since(started);
            var sameOrder = naive.Select(u => u.UnitId).SequenceEqual(indexed.Select(u => u.UnitId));
            var sameUnits = naive.Select(u => u.UnitId).Order().SequenceEqual(indexed.Select(u => u.UnitId).Order());
            if (!sameOrder)
            {
                // Ranks differ only where two units are at the same distance to within the
                // sphere/spheroid difference (the index ranks on the sphere, as before this bench).
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  naive and indexed differ for {query}:"));
                Console.WriteLine("    indexed: " + string.Join(", ", indexed.Select(u => string.Create(CultureInfo.InvariantCulture, $"{u.UnitId}@{u.DistanceMetres:0.0}"))));
                Console.WriteLine("    naive:   " + string.Join(", ", naive.Select(u => string.Create(CultureInfo.InvariantCulture, $"{u.UnitId}@{u.DistanceMetres:0.0}"))));
            }

            // PostgreSQL's own planning + execution of the same naive SQL, to compare with "-srv".
            await using var explain = Command(connection, NaiveQuery.Sql(query), "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY, FORMAT JSON) ");
            using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync(cancellationToken))!);
            var server = plan.RootElement[0].GetProperty("Planning Time").GetDouble() + plan.RootElement[0].GetProperty("Execution Time").GetDouble();
            results.Add((milliseconds, server, sameUnits, sameOrder));
        }

        return results;
    }

    private static async Task<List<(double Milliseconds, int Proposals)>> TimePageAsync(
        HttpClient client, Func<(string Category, DateOnly First)> next, int runs, bool expectProposals, CancellationToken cancellationToken)
    {
        var results = new List<(double, int)>(runs);
        for (var i = -Math.Max(50, runs / 10); i < runs; i++)
        {
            var (category, first) = next();
            var url = string.Create(CultureInfo.InvariantCulture,
                $"/prets/demander?categorie={category}&du={first:yyyy-MM-dd}&au={first.AddDays(Workload.RequestDays - 1):yyyy-MM-dd}&usage=Banc%20d%27essai");
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative), cancellationToken);
            var html = await response.Content.ReadAsStringAsync(cancellationToken);
            var milliseconds = Latency.Since(started);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}.");
            }

            var proposals = Count(html, "data-unit-id=\"");
            if (!expectProposals && proposals == 0 && !html.Contains("Aucun matériel de cette catégorie", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{url} shows neither proposals nor the « aucun matériel » message.");
            }

            if (i >= 0)
            {
                results.Add((milliseconds, proposals));
            }
        }

        return results;
    }

    /// <summary>In-service units of the blocked category within the radius of each region's centre: the rows (b) reads.</summary>
    private static async Task<List<long>> CandidatesAsync(NpgsqlConnection connection, double radiusMetres, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT count(u.id)
            FROM bench_blocked_regions r
            LEFT JOIN equipment_units u ON u.category_id = r.category_id AND u.status = 'InService'
                AND ST_DWithin(u.home_location, r.centre, $1)
            GROUP BY r.category_id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = radiusMetres });
        var counts = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(reader.GetInt64(0));
        }

        return counts;
    }

    /// <summary>EXPLAIN (ANALYZE, BUFFERS) of one (a) request and of (b) at the densest blocked region.</summary>
    private static async Task ExplainAsync(NpgsqlConnection connection, Workload workload, double radiusMetres, CancellationToken cancellationToken)
    {
        var densest = await ScalarAsync<int>(connection, $"""
            SELECT r.category_id FROM bench_blocked_regions r
            JOIN equipment_units u ON u.category_id = r.category_id AND ST_DWithin(u.home_location, r.centre, {radiusMetres.ToString(CultureInfo.InvariantCulture)})
            GROUP BY r.category_id ORDER BY count(*) DESC LIMIT 1
            """, cancellationToken);
        var region = workload.Regions.Single(r => r.CategoryId == densest);
        var centre = workload.Communes.Single(c => c.Id == region.CentreCommuneId);
        var queries = new[]
        {
            ("(a) free nearby", workload.NextAnywhere(radiusMetres, Limit)),
            ("(b) densest blocked region", new AvailabilityQuery(region.CategoryId, centre.Longitude, centre.Latitude,
                region.FirstDay, region.FirstDay.AddDays(Workload.RequestDays - 1), centre.Id, radiusMetres, Limit)),
        };
        foreach (var (name, query) in queries)
        {
            // As FindAsync runs it: prepared. The first five executions get custom plans (the
            // first also loads PostGIS and warms the caches); the seventh shows the plan kept.
            var statement = "nearest_explain_" + name[1];
            await PrepareAsync(connection, statement, cancellationToken);
            for (var run = 0; run < 7; run++)
            {
                await using var command = new NpgsqlCommand($"EXPLAIN (ANALYZE, BUFFERS) EXECUTE {statement} ({Literals(query)})", connection);
                var plan = new List<string>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    plan.Add(reader.GetString(0));
                }

                if (run is 1 or 6)
                {
                    var kind = plan.Any(line => line.Contains("category_id = $1", StringComparison.Ordinal)) ? "generic plan" : "custom plan";
                    Console.WriteLine($"EXPLAIN (ANALYZE, BUFFERS) {name}, execution {run + 1} of the prepared statement ({kind}):");
                    plan.ForEach(line => Console.WriteLine("  " + line));
                }
            }
        }
    }

    private static void Print(List<Measure> measures, Options options, string loadAfter)
    {
        Console.WriteLine();
        Console.WriteLine($"{"",-4} {"measure",-98} {"runs",6} {"median",9} {"p95",9} {"p99",9} {"mean",9}  target p95");
        foreach (var m in measures)
        {
            var l = m.Latency;
            var target = m.TargetP95Ms is { } t ? $"< {t} ms: {(l.P95Ms < t ? "met" : "MISSED")}" : "";
            Console.WriteLine($"{m.Id,-4} {m.Description,-98} {l.Runs,6} {Latency.Format(l.MedianMs),9} {Latency.Format(l.P95Ms),9} {Latency.Format(l.P99Ms),9} {Latency.Format(l.MeanMs),9}  {target}");
        }

        foreach (var m in measures.Where(m => m.Id.StartsWith('c') && !m.Id.EndsWith("-srv", StringComparison.Ordinal)))
        {
            var server = measures.Single(s => s.Id == m.Id + "-srv");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Naive / indexed for ({m.Id[2..]}): through EF {m.Extra["ratio_p50"]}× at p50, {m.Extra["ratio_p95"]}× at p95; inside PostgreSQL {server.Extra["ratio_p50"]}× at p50, {server.Extra["ratio_p95"]}× at p95 (target ≥ 200×); same units: {m.Extra["same_units"]}/{m.Extra["requests"]}, in the same order: {m.Extra["same_order"]}/{m.Extra["requests"]}."));
        }

        Console.WriteLine($"Times in milliseconds; load average at the end {loadAfter}.");
        foreach (var m in measures)
        {
            var line = new Dictionary<string, object?>
            {
                ["bench"] = "nearest",
                ["measure"] = m.Id,
                ["description"] = m.Description,
                ["runs"] = m.Latency.Runs,
                ["median_ms"] = Math.Round(m.Latency.MedianMs, 4),
                ["p95_ms"] = Math.Round(m.Latency.P95Ms, 4),
                ["p99_ms"] = Math.Round(m.Latency.P99Ms, 4),
                ["mean_ms"] = Math.Round(m.Latency.MeanMs, 4),
                ["max_ms"] = Math.Round(m.Latency.MaxMs, 4),
                ["target_p95_ms"] = m.TargetP95Ms,
                ["requested_runs"] = m.Id.StartsWith('d') ? options.HttpRuns : m.Id.StartsWith('c') ? options.NaiveRuns : options.Runs,
            };
            foreach (var (key, value) in m.Extra)
            {
                line[key] = value;
            }

            Console.WriteLine(JsonSerializer.Serialize(line, Json));
        }
    }

    /// <summary>
    /// The server-side prepared statement that the "-srv" measures execute under EXPLAIN: the
    /// same text FindAsync prepares, so PostgreSQL caches its plan by the same rules (custom
    /// plans for the first five executions, then one generic plan when it costs no more).
    /// </summary>
    private const string PreparedName = "nearest_bench";

    private static async Task PrepareAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"PREPARE {name} ({NearestAvailable.ParameterTypes}) AS {NearestAvailable.Text}",
            connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The values of <see cref="NearestAvailable.Arguments"/> as SQL literals, for EXECUTE.</summary>
    private static string Literals(AvailabilityQuery query) => string.Join(", ", NearestAvailable.Arguments(query).Select(value => value switch
    {
        DateOnly day => $"'{day:yyyy-MM-dd}'",
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"No literal for {value}."),
    }));

    /// <summary>The same SQL and parameters EF sends for a FormattableString, as a plain Npgsql command.</summary>
    private static NpgsqlCommand Command(NpgsqlConnection connection, FormattableString sql, string prefix = "")
    {
        var command = new NpgsqlCommand(prefix + string.Format(CultureInfo.InvariantCulture, sql.Format,
            [.. sql.GetArguments().Select((_, i) => (object)$"${i + 1}")]), connection);
        foreach (var argument in sql.GetArguments())
        {
            command.Parameters.Add(new NpgsqlParameter { Value = argument });
        }

        return command;
    }

    private sealed record CaseTimes(
        List<(AvailabilityQuery Query, IReadOnlyList<AvailableUnit> Found, double Milliseconds)> Find,
        List<(int Rows, double Milliseconds)> Sql,
        List<(int Rows, double Milliseconds)> Server);

    private sealed record Measure(string Id, string Description, Latency Latency, double? TargetP95Ms, Dictionary<string, object> Extra);

    private sealed record Options(bool Rebuild, int Runs, double RadiusKm, int NaiveRuns, int HttpRuns, bool Explain)
    {
        public static Options? Parse(string[] args)
        {
            var options = new Options(false, 2000, new MarketplaceOptions().SearchRadiusKm, 30, 0, false);
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--rebuild":
                        options = options with { Rebuild = true };
                        break;
                    case "--explain":
                        options = options with { Explain = true };
                        break;
                    case "--runs" when i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var runs) && runs > 0:
                        options = options with { Runs = runs };
                        break;
                    case "--naive-runs" when i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var naive) && naive > 0:
                        options = options with { NaiveRuns = naive };
                        break;
                    case "--http-runs" when i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var http) && http > 0:
                        options = options with { HttpRuns = http };
                        break;
                    case "--radius-km" when i + 1 < args.Length && double.TryParse(args[++i], CultureInfo.InvariantCulture, out var km) && km > 0:
                        options = options with { RadiusKm = km };
                        break;
                    default:
                        return null;
                }
            }

            return options.HttpRuns == 0 ? options with { HttpRuns = options.Runs } : options;
        }
    }
}
