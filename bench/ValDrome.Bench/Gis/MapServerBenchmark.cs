using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Npgsql;
using ValDrome.Bench.Pages;
using ValDrome.Web.Ogc;

namespace ValDrome.Bench.Gis;

/// <summary>
/// The GIS layer next to MapServer 8 (issue 14 § 1): the site's Release build as its own process in
/// Production with the GIS caches off, and MapServer as FastCGI processes behind nginx, both on
/// loopback, reading the same rows of a database of the bench's own through the same SQL
/// expressions (<see cref="MapServerMapfile"/>). Each pair of requests is driven by <c>wrk</c> in
/// turn, the two servers' order swapped every round, so both see the same machine. More site
/// configurations (<c>--variant</c>) join the same rounds.
/// </summary>
public static class MapServerBenchmark
{
    private const string Alias = "valdrome";
    private const string MapServerLabel = "MapServer";

    public static async Task<int> RunAsync(string[] args)
    {
        MapServerSettings settings;
        try
        {
            settings = MapServerSettings.Parse(args);
        }
        catch (ArgumentException exception)
        {
            Console.Error.WriteLine(exception.Message);
            return 2;
        }

        var web = Path.Combine(PagesBenchmark.RepositoryRoot(), "src", "Web", "bin", PagesBenchmark.BuildConfiguration, "net10.0", "ValDrome.Web.dll");
        if (!File.Exists(web))
        {
            Console.Error.WriteLine($"gis-mapserver: {web} is missing; build the bench (which builds the site) first.");
            return 2;
        }

        await EnsureInstalledAsync();
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__ValDrome")
            ?? "Host=127.0.0.1;Port=55432;Database=valdrome;Username=valdrome");
        var name = $"valdrome_bench_ms_{Guid.NewGuid():N}"[..32];
        await PagesBenchmark.ExecuteAsync(server.ConnectionString, $"CREATE DATABASE \"{name}\"");
        var databaseBuilder = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name };
        var database = databaseBuilder.ConnectionString;
        var work = Directory.CreateTempSubdirectory("valdrome-mapserver-");
        var processes = new List<Process>();
        try
        {
            await PagesBenchmark.RunToEndAsync(PagesBenchmark.Site(web, database, "Development", port: null, "setup"), "the set-up step");
            foreach (var layer in MapServerMapfile.Layers)
            {
                await PagesBenchmark.ExecuteAsync(database, MapServerMapfile.CreateView(layer));
            }

            await PagesBenchmark.ExecuteAsync(database, "VACUUM ANALYZE");
            var mapServer = StartMapServer(work.FullName, databaseBuilder, settings.Processes, processes);
            var sites = new List<Server>();
            foreach (var variant in (SiteVariant[])[new(MapServerSettings.DefaultLabel, new Dictionary<string, string>()), .. settings.Variants])
            {
                // One at a time: several sites starting together on a loaded machine missed the minute they are given.
                var site = StartSite(web, database, variant, processes);
                using var client = new HttpClient { BaseAddress = site.BaseUrl };
                await PagesBenchmark.WaitReadyAsync(client, site.Process!);
                sites.Add(site);
            }

            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.All });

            var cases = await CasesAsync(database);
            var servers = (Server[])[.. sites, mapServer];
            await CheckAsync(http, cases, servers);
            return await MeasureAsync(cases, servers, settings);
        }
        finally
        {
            foreach (var process in Enumerable.Reverse(processes))
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }

                process.Dispose();
            }

            StopFastCgi(work.FullName);
            NpgsqlConnection.ClearAllPools();
            await PagesBenchmark.ExecuteAsync(server.ConnectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            work.Delete(recursive: true);
        }
    }

    /// <summary>A server under test: its label, its address and the path prefix of its collections.</summary>
    private sealed record Server(string Label, Uri BaseUrl, string Collections, Process? Process = null);

    /// <summary>A request asked of every server: the same collection, limit and bbox.</summary>
    private sealed record Case(string Label, string Collection, string Query);

    private sealed record Measure(Case Case, Server Server, int Round, PagesBenchmark.Result Result);

    private static Server StartSite(string web, string database, SiteVariant variant, List<Process> processes)
    {
        var port = PagesBenchmark.FreePort();
        var start = PagesBenchmark.Site(web, database, "Production", port);
        // The work itself, as the issue measured it: no cached page or tile (ADR 5).
        start.Environment["ValDrome__Gis__CacheResponses"] = "false";
        foreach (var (key, value) in variant.Environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"The site {variant.Label} did not start.");
        processes.Add(process);
        return new Server(variant.Label, new Uri($"http://127.0.0.1:{port}"), OgcEndpoints.Prefix + "/collections", process);
    }

    /// <summary>
    /// MapServer's <c>mapserv</c> as FastCGI processes (spawn-fcgi) on a socket, nginx in front on a
    /// free loopback port, gzip at nginx's level 1 as the site's Fastest.
    /// </summary>
    private static Server StartMapServer(string work, NpgsqlConnectionStringBuilder database, int count, List<Process> processes)
    {
        var mapfile = Path.Combine(work, "valdrome.map");
        File.WriteAllText(mapfile, MapServerMapfile.Map(database));
        var templates = Directory.Exists("/usr/share/mapserver/ogcapi/templates/html-plain") ? "/usr/share/mapserver/ogcapi/templates/html-plain" : null;
        var config = Path.Combine(work, "mapserver.conf");
        File.WriteAllText(config, MapServerMapfile.Config(Alias, mapfile, templates));

        var socket = Path.Combine(work, "mapserv.sock");
        var spawn = new ProcessStartInfo("spawn-fcgi") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-s", socket, "-F", count.ToString(CultureInfo.InvariantCulture), "-P", Path.Combine(work, "mapserv.pid"), "--", MapServ })
        {
            spawn.ArgumentList.Add(arg);
        }

        spawn.Environment["MAPSERVER_CONFIG_FILE"] = config;
        using (var spawned = Process.Start(spawn) ?? throw new InvalidOperationException("spawn-fcgi did not start."))
        {
            spawned.WaitForExit();
            if (spawned.ExitCode != 0)
            {
                throw new InvalidOperationException($"spawn-fcgi failed: {spawned.StandardError.ReadToEnd()}");
            }
        }

        var port = PagesBenchmark.FreePort();
        Directory.CreateDirectory(Path.Combine(work, "nginx"));
        var nginxConfig = Path.Combine(work, "nginx.conf");
        File.WriteAllText(nginxConfig, $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            worker_processes 1;
            pid {{work}}/nginx.pid;
            error_log {{work}}/nginx-error.log warn;
            daemon off;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{work}}/nginx/body;
                proxy_temp_path {{work}}/nginx/proxy;
                fastcgi_temp_path {{work}}/nginx/fastcgi;
                uwsgi_temp_path {{work}}/nginx/uwsgi;
                scgi_temp_path {{work}}/nginx/scgi;
                gzip on;
                gzip_comp_level 1;
                gzip_types application/geo+json application/json;
                fastcgi_buffers 64 16k;
                server {
                    listen 127.0.0.1:{{port}};
                    location /mapserv/ {
                        fastcgi_split_path_info ^(/mapserv)(/.*)$;
                        include /etc/nginx/fastcgi_params;
                        fastcgi_param PATH_INFO $fastcgi_path_info;
                        fastcgi_pass unix:{{socket}};
                    }
                }
            }
            """);
        var nginx = new ProcessStartInfo("nginx") { UseShellExecute = false };
        foreach (var arg in new[] { "-c", nginxConfig, "-p", work + "/" })
        {
            nginx.ArgumentList.Add(arg);
        }

        processes.Add(Process.Start(nginx) ?? throw new InvalidOperationException("nginx did not start."));
        return new Server(MapServerLabel, new Uri($"http://127.0.0.1:{port}"), $"/mapserv/{Alias}/ogcapi/collections");
    }

    private const string MapServ = "/usr/lib/cgi-bin/mapserv";

    private static readonly string[] CommandDirectories = ["/usr/bin", "/usr/sbin", "/usr/local/bin"];

    /// <summary>spawn-fcgi forks the processes and leaves: they are stopped by the ids it wrote.</summary>
    private static void StopFastCgi(string work)
    {
        var pids = Path.Combine(work, "mapserv.pid");
        if (!File.Exists(pids))
        {
            return;
        }

        foreach (var line in File.ReadAllLines(pids))
        {
            if (int.TryParse(line, CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
        }
    }

    /// <summary>What is missing is installed from Debian, as script/cluster installs nginx.</summary>
    private static async Task EnsureInstalledAsync()
    {
        var missing = new List<string>();
        if (!File.Exists(MapServ))
        {
            missing.Add("cgi-mapserver");
        }

        foreach (var (command, package) in new[] { ("spawn-fcgi", "spawn-fcgi"), ("nginx", "nginx-light"), ("wrk", "wrk") })
        {
            if (!CommandDirectories.Any(d => File.Exists(Path.Combine(d, command))))
            {
                missing.Add(package);
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        Console.WriteLine($"Installing {string.Join(", ", missing)} (Debian)");
        var root = Environment.UserName == "root" ? [] : (string[])["sudo"];
        await PagesBenchmark.RunToEndAsync(Command([.. root, "apt-get", "update", "-qq"]), "apt-get update");
        await PagesBenchmark.RunToEndAsync(Command([.. root, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "--no-install-recommends", .. missing]), "apt-get install");
    }

    private static ProcessStartInfo Command(string[] words)
    {
        var start = new ProcessStartInfo(words[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in words.Skip(1))
        {
            start.ArgumentList.Add(word);
        }

        return start;
    }

    /// <summary>Every collection whole, then the features in a box around the middle of the territory (a quarter of its extent).</summary>
    private static async Task<IReadOnlyList<Case>> CasesAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(boundary) AS e FROM communes) s", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (x1, y1, x2, y2) = (reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3));
        var (w, h) = ((x2 - x1) / 4, (y2 - y1) / 4);
        var bbox = string.Create(CultureInfo.InvariantCulture, $"{x1 + (1.5 * w):0.####},{y1 + (1.5 * h):0.####},{x2 - (1.5 * w):0.####},{y2 - (1.5 * h):0.####}");
        return
        [
            new("communes, all", FeatureLayers.Communes.Id, "f=json&limit=1000"),
            new("equipment, all", FeatureLayers.Equipment.Id, "f=json&limit=1000"),
            new("communes, bbox", FeatureLayers.Communes.Id, $"f=json&limit=1000&bbox={bbox}"),
            new("equipment, bbox", FeatureLayers.Equipment.Id, $"f=json&limit=1000&bbox={bbox}"),
        ];
    }

    private static Uri Address(Server server, Case c) => new(server.BaseUrl, $"{server.Collections}/{c.Collection}/items?{c.Query}");

    /// <summary>Every server answers every case with a 200 and the same number of features, or nothing is measured.</summary>
    private static async Task CheckAsync(HttpClient http, IReadOnlyList<Case> cases, IReadOnlyList<Server> servers)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(Address(servers[^1], cases[0]));
                response.EnsureSuccessStatusCode();
                break;
            }
            catch (HttpRequestException) when (attempt < 40)
            {
                // nginx not listening yet.
                await Task.Delay(250);
            }
        }

        foreach (var c in cases)
        {
            var counts = new List<string>();
            foreach (var server in servers)
            {
                using var response = await http.GetAsync(Address(server, c));
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{server.Label} answered {(int)response.StatusCode} to {Address(server, c)}:\n{body[..Math.Min(body.Length, 2000)]}");
                }

                using var document = JsonDocument.Parse(body);
                counts.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{server.Label} {document.RootElement.GetProperty("features").GetArrayLength()} features, {body.Length / 1024.0:0.0} KiB"));
            }

            Console.WriteLine($"{c.Label}: {string.Join("; ", counts)}");
            if (counts.Select(t => t.Split(' ')[1]).Distinct().Count() != 1)
            {
                throw new InvalidOperationException($"{c.Label}: the servers disagree on the features.");
            }
        }
    }

    private static async Task<int> MeasureAsync(IReadOnlyList<Case> cases, IReadOnlyList<Server> servers, MapServerSettings settings)
    {
        var wrk = new PagesBenchmark.Settings(settings.Seconds, settings.WarmUpSeconds, settings.Threads, settings.Connections, 0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrk -t{settings.Threads} -c{settings.Connections} -d{settings.Seconds}s --latency, Accept-Encoding: gzip; {settings.Rounds} rounds after {settings.WarmUpSeconds} s of each; MapServer: {settings.Processes} FastCGI processes behind nginx; {Environment.ProcessorCount} cores; load average {BenchTools.LoadAverage()}; {DateTime.Now:yyyy-MM-dd HH:mm}"));
        foreach (var c in cases)
        {
            foreach (var server in servers)
            {
                await WrkAsync(c, server, wrk, settings.WarmUpSeconds);
            }
        }

        var counters = StartCounters(servers, settings.CountersDirectory);
        var measures = new List<Measure>();
        try
        {
            for (var round = 1; round <= settings.Rounds; round++)
            {
                foreach (var c in cases)
                {
                    // Each round the other way round: neither side always runs right after the other.
                    foreach (var server in round % 2 == 1 ? servers : servers.Reverse())
                    {
                        var result = await WrkAsync(c, server, wrk, settings.Seconds);
                        measures.Add(new Measure(c, server, round, result));
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"round {round} {c.Label,-16} {server.Label,-12} {result.RequestsPerSecond,8:0} req/s  p50 {result.P50Ms,7:0.00} ms  p99 {result.P99Ms,7:0.00} ms  errors {result.Errors}  load {BenchTools.LoadAverage()}"));
                    }
                }
            }
        }
        finally
        {
            await StopCountersAsync(counters);
        }

        Console.WriteLine();
        Console.WriteLine($"Median of {settings.Rounds} rounds (p99: median, and its range over the rounds):");
        Console.WriteLine();
        Console.WriteLine("| request | server | requests/s | p50 ms | p99 ms | p99 range ms | p99 under MapServer's, rounds | errors |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        var worse = 0;
        foreach (var c in cases)
        {
            var mapServerP99 = Median(measures.Where(m => m.Case == c && m.Server.Label == MapServerLabel).Select(m => m.Result.P99Ms));
            foreach (var server in servers)
            {
                var runs = measures.Where(m => m.Case == c && m.Server == server).Select(m => m.Result).ToList();
                var p99 = Median(runs.Select(r => r.P99Ms));
                worse += server.Label == MapServerSettings.DefaultLabel && p99 >= mapServerP99 ? 1 : 0;

                // Paired by round (both measured minutes apart at most): a round the machine was busier for one side shows as one lost round, not a shifted median.
                var under = server.Label == MapServerLabel ? "" : string.Create(CultureInfo.InvariantCulture,
                    $"{Enumerable.Range(1, settings.Rounds).Count(round => P99(measures, c, server, round) < P99(measures, c, servers[^1], round))} of {settings.Rounds}");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {c.Label} | {server.Label} | {Median(runs.Select(r => r.RequestsPerSecond)):0} | {Median(runs.Select(r => r.P50Ms)):0.00} | {p99:0.00} | {runs.Min(r => r.P99Ms):0.00}–{runs.Max(r => r.P99Ms):0.00} | {under} | {runs.Sum(r => r.Errors)} |"));
            }
        }

        if (settings.CountersDirectory is { } directory)
        {
            PrintCounters(directory, servers, measures);
        }

        Console.WriteLine();
        Console.WriteLine(worse == 0
            ? "ValDrome's median p99 is under MapServer's on every request"
            : $"ValDrome's median p99 is not under MapServer's on {worse} request(s)");
        return worse == 0 ? 0 : 1;
    }

    private static double P99(List<Measure> measures, Case c, Server server, int round) =>
        measures.Single(m => m.Case == c && m.Server == server && m.Round == round).Result.P99Ms;

    /// <summary>
    /// Stops every dotnet-counters together, with one deadline. SIGINT makes it flush its file, but
    /// it then ends its EventPipe session in each site, which on a loaded machine took more than the
    /// 10 s each one was given in turn (2026-12-02 02:36: a TimeoutException ended the quiet run after
    /// its last round, before its table). Past the deadline it is killed: its last seconds are lost,
    /// the rounds are not.
    /// </summary>
    private static async Task StopCountersAsync(List<Process> counters)
    {
        var running = counters.Where(p => !p.HasExited).ToList();
        foreach (var process in running)
        {
            using var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await interrupt.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var process in running)
        {
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"dotnet-counters (process {process.Id}) did not stop within 30 s of its interrupt: killed.");
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }

        foreach (var process in counters)
        {
            process.Dispose();
        }
    }

    private static Task<PagesBenchmark.Result> WrkAsync(Case c, Server server, PagesBenchmark.Settings wrk, int seconds) =>
        PagesBenchmark.WrkAsync(new PagesBenchmark.Case($"{c.Label} ({server.Label})", Address(server, c).PathAndQuery), server.BaseUrl, wrk, seconds);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>
    /// What dotnet-counters saw during the measured rounds, per request each site served: the
    /// garbage made, the collections and their pauses, the longest second of pauses, the thread
    /// pool's queue and the lock contentions. Unlike the latencies, these hardly move with the
    /// machine's load, so configurations compare across runs too.
    /// </summary>
    private static void PrintCounters(string directory, IReadOnlyList<Server> servers, List<Measure> measures)
    {
        Console.WriteLine();
        Console.WriteLine("dotnet-counters over the measured rounds, per request served:");
        Console.WriteLine();
        Console.WriteLine("| site | requests | KiB allocated / request | GCs / 1,000 requests (gen0, gen1, gen2) | GC pause ms / 1,000 requests | ms per GC | longest GC pause in one second, ms | thread pool queue, max | lock contentions / 1,000 requests |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var server in servers.Where(s => s.Process is not null))
        {
            var file = Path.Combine(directory, server.Label + ".csv");
            if (!File.Exists(file))
            {
                continue;
            }

            var sums = new Dictionary<string, double>(StringComparer.Ordinal);
            var maxima = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                // Timestamp,Provider,Counter Name,Counter Type,Mean/Increment: the name is what lies between.
                var fields = line.Split(',');
                if (fields.Length < 5 || !double.TryParse(fields[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    continue;
                }

                var name = string.Join(',', fields[2..^2]);
                sums[name] = sums.GetValueOrDefault(name) + value;
                maxima[name] = Math.Max(maxima.GetValueOrDefault(name), value);
            }

            var requests = measures.Where(m => m.Server == server).Sum(m => m.Result.Requests);
            double Sum(string name) => sums.GetValueOrDefault(name);
            double PerThousand(double value) => requests == 0 ? 0 : value * 1000 / requests;
            var gen0 = Sum("dotnet.gc.collections ({collection} / 1 sec)[gc.heap.generation=gen0]");
            var gen1 = Sum("dotnet.gc.collections ({collection} / 1 sec)[gc.heap.generation=gen1]");
            var gen2 = Sum("dotnet.gc.collections ({collection} / 1 sec)[gc.heap.generation=gen2]");
            var pause = Sum("dotnet.gc.pause.time (s / 1 sec)") * 1000;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {server.Label} | {requests} | {(requests == 0 ? 0 : Sum("dotnet.gc.heap.total_allocated (By / 1 sec)") / 1024 / requests):0.0} | {PerThousand(gen0 + gen1 + gen2):0.0} ({PerThousand(gen0):0.0}, {PerThousand(gen1):0.0}, {PerThousand(gen2):0.00}) | {PerThousand(pause):0.0} | {(gen0 + gen1 + gen2 == 0 ? 0 : pause / (gen0 + gen1 + gen2)):0.0} | {maxima.GetValueOrDefault("dotnet.gc.pause.time (s / 1 sec)") * 1000:0} | {maxima.GetValueOrDefault("dotnet.thread_pool.queue.length ({work_item} / 1 sec)"):0} | {PerThousand(Sum("dotnet.monitor.lock_contentions ({contention} / 1 sec)")):0.0} |"));
        }
    }

    /// <summary>dotnet-counters on every site process: GC, thread pool, locks, Kestrel and Npgsql's pool, once a second.</summary>
    private static List<Process> StartCounters(IReadOnlyList<Server> servers, string? directory)
    {
        var started = new List<Process>();
        if (directory is null)
        {
            return started;
        }

        Directory.CreateDirectory(directory);
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-counters");
        foreach (var server in servers.Where(s => s.Process is not null))
        {
            var start = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[]
            {
                "collect", "-p", server.Process!.Id.ToString(CultureInfo.InvariantCulture), "--format", "csv", "--refresh-interval", "1",
                "-o", Path.Combine(Path.GetFullPath(directory), server.Label + ".csv"),
                "--counters", "System.Runtime,Microsoft.AspNetCore.Hosting,Microsoft-AspNetCore-Server-Kestrel,Npgsql",
            })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet-counters did not start.");

            // Its console output is drained as it comes: a pipe nobody reads fills up and blocks the writer.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) =>
            {
                if (!string.IsNullOrWhiteSpace(e.Data))
                {
                    Console.Error.WriteLine($"dotnet-counters ({server.Label}): {e.Data}");
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            started.Add(process);
        }

        return started;
    }
}
