using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;

using static ValDrome.Bench.BenchTools;

namespace ValDrome.Bench.Pages;

/// <summary>
/// The pages people use most under load (issue 14 § 1): the site's Release build runs as its own
/// process in Production on a database of its own (the set-up step's demo data), and <c>wrk</c>
/// (Debian) drives each page in turn with the same threads and connections, <c>/connexion</c> (a
/// Razor page with no query) first and last as the yardstick. A page passes when its p99 is at
/// most the target and its throughput at least half of <c>/connexion</c>'s in the same run.
/// </summary>
public static partial class PagesBenchmark
{
    private const string AgentPassword = "ValDrome-2026";

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var settings = Settings.Parse(args);
        var root = RepositoryRoot();
        var web = Path.Combine(root, "src", "Web", "bin", BuildConfiguration, "net10.0", "ValDrome.Web.dll");
        if (!File.Exists(web))
        {
            Console.Error.WriteLine($"pages: {web} is missing; build the bench (which builds the site) first.");
            return 2;
        }

        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__ValDrome")
            ?? "Host=127.0.0.1;Port=55432;Database=valdrome;Username=valdrome");
        var name = $"valdrome_bench_pages_{Guid.NewGuid():N}"[..32];
        await ExecuteAsync(server.ConnectionString, $"CREATE DATABASE \"{name}\"");
        var database = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
        Process? site = null;
        try
        {
            await RunToEndAsync(Site(web, database, "Development", port: null, "setup"), "the set-up step");
            await ExecuteAsync(database, "VACUUM ANALYZE");
            var port = FreePort();
            site = Process.Start(Site(web, database, "Production", port)) ?? throw new InvalidOperationException("The site did not start.");
            var baseUrl = new Uri($"http://127.0.0.1:{port}");
            using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseUrl };
            await WaitReadyAsync(http, site);
            var cases = await CasesAsync(http, database);
            return await MeasureAsync(cases, baseUrl, settings);
        }
        finally
        {
            if (site is { HasExited: false })
            {
                site.Kill(entireProcessTree: true);
                await site.WaitForExitAsync();
            }

            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server.ConnectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }

#if DEBUG
    internal const string BuildConfiguration = "Debug";
#else
    internal const string BuildConfiguration = "Release";
#endif

    internal sealed record Settings(int Seconds, int WarmUpSeconds, int Threads, int Connections, double TargetP99Ms)
    {
        public static Settings Parse(string[] args)
        {
            var settings = new Settings(10, 3, 2, 32, 50);
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                settings = args[i] switch
                {
                    "--seconds" => settings with { Seconds = value },
                    "--warm-up" => settings with { WarmUpSeconds = value },
                    "--threads" => settings with { Threads = value },
                    "--connections" => settings with { Connections = value },
                    _ => throw new ArgumentException($"pages: unknown option {args[i]}"),
                };
            }

            return settings;
        }
    }

    /// <summary>One page to drive: its label, its path, and the session cookie when it is read signed in.</summary>
    internal sealed record Case(string Label, string Path, string? Cookie = null, bool Yardstick = false);

    internal sealed record Result(Case Case, double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors);

    private static async Task<IReadOnlyList<Case>> CasesAsync(HttpClient http, string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var unitId = await ScalarAsync<int>(connection, "SELECT min(id) FROM equipment_units");
        var insee = await ScalarAsync<string>(connection,
            "SELECT c.insee FROM communes c JOIN equipment_units u ON u.owner_commune_id = c.id GROUP BY c.insee ORDER BY count(*) DESC, c.insee LIMIT 1");
        var category = await ScalarAsync<string>(connection,
            "SELECT k.code FROM equipment_categories k JOIN equipment_units u ON u.category_id = k.id GROUP BY k.code ORDER BY count(*) DESC, k.code LIMIT 1");
        // An agent of a commune that owns none of that category: every proposal is someone else's unit.
        var borrower = await ScalarAsync<string>(connection, $"""
            SELECT c.insee FROM communes c
            WHERE NOT EXISTS (SELECT 1 FROM equipment_units u JOIN equipment_categories k ON k.id = u.category_id
                              WHERE u.owner_commune_id = c.id AND k.code = '{category}')
            ORDER BY c.population DESC LIMIT 1
            """);
        var cookie = await SignInAsync(http, $"mairie-{borrower}");

        // Proposals for three days a month ahead, Tuesday to Thursday.
        var first = DateOnly.FromDateTime(DateTime.Today).AddDays(28);
        first = first.AddDays(((int)DayOfWeek.Tuesday - (int)first.DayOfWeek + 7) % 7);
        var proposals = string.Create(CultureInfo.InvariantCulture, $"/prets/demander?categorie={category}&du={first:yyyy-MM-dd}&au={first.AddDays(2):yyyy-MM-dd}");
        Case[] cases =
        [
            new("/connexion (yardstick)", "/connexion", Yardstick: true),
            new("/", "/"),
            new("/materiel", "/materiel"),
            new($"/materiel/{unitId}", $"/materiel/{unitId}"),
            new("/carte", "/carte"),
            new("/carte/communes.geojson", "/carte/communes.geojson"),
            new("/carte/materiel.geojson", "/carte/materiel.geojson"),
            new($"/communes/{insee}", $"/communes/{insee}"),
            new($"proposals, signed in ({category}, 3 days)", proposals, cookie),
            new("/materiel, signed in", "/materiel", cookie),
            new("/connexion (yardstick, again)", "/connexion", Yardstick: true),
        ];

        // Every case answers 200 before it is measured (a redirect to /connexion would measure nothing).
        foreach (var c in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, c.Path);
            if (c.Cookie is not null)
            {
                request.Headers.Add("Cookie", c.Cookie);
            }

            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{c.Path} answered {(int)response.StatusCode} before the run.");
            }

            if (c.Path == proposals && !(await response.Content.ReadAsStringAsync()).Contains("<form method=\"post\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The proposals page proposed nothing: the run would not measure the search.");
            }
        }

        return cases;
    }

    private static async Task<int> MeasureAsync(IReadOnlyList<Case> cases, Uri baseUrl, Settings settings)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrk -t{settings.Threads} -c{settings.Connections} -d{settings.Seconds}s --latency, after a round of {settings.WarmUpSeconds} s per page; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Trim()}; {DateTime.Now:yyyy-MM-dd HH:mm}"));
        // A first round brings every page through the JIT's tiers and fills the pools and caches.
        foreach (var c in cases)
        {
            await WrkAsync(c, baseUrl, settings, settings.WarmUpSeconds);
        }

        var results = new List<Result>();
        foreach (var c in cases)
        {
            var result = await WrkAsync(c, baseUrl, settings, settings.Seconds);
            results.Add(result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.Label,-44} {result.RequestsPerSecond,9:0} req/s  p50 {result.P50Ms,7:0.00} ms  p99 {result.P99Ms,7:0.00} ms  errors {result.Errors}"));
        }

        // The better of its two runs: the stricter yardstick.
        var yardstick = results.Where(r => r.Case.Yardstick).Max(r => r.RequestsPerSecond);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| page | requests/s | p50 ms | p99 ms | throughput / /connexion ({yardstick:0}/s, the better of its two runs) | target (p99 ≤ {settings.TargetP99Ms:0} ms, ≥ 0.5) |"));
        Console.WriteLine("|---|---|---|---|---|---|");
        var failures = 0;
        foreach (var r in results)
        {
            var ratio = r.RequestsPerSecond / yardstick;
            var met = r.Errors == 0 && r.P99Ms <= settings.TargetP99Ms && ratio >= 0.5;
            failures += r.Case.Yardstick || met ? 0 : 1;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Case.Label} | {r.RequestsPerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {ratio:0.00} | {(r.Case.Yardstick ? "—" : met ? "met" : "**not met**")} |"));
        }

        Console.WriteLine();
        Console.WriteLine(failures == 0 ? "every page met the target" : $"{failures} page(s) missed the target");
        return failures == 0 ? 0 : 1;
    }

    internal static async Task<Result> WrkAsync(Case c, Uri baseUrl, Settings settings, int seconds)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { $"-t{settings.Threads}", $"-c{settings.Connections}", $"-d{seconds}s", "--latency", "-H", "Accept-Encoding: gzip" })
        {
            start.ArgumentList.Add(arg);
        }

        if (c.Cookie is not null)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add("Cookie: " + c.Cookie);
        }

        start.ArgumentList.Add(new Uri(baseUrl, c.Path).ToString());
        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (apt install wrk).");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        if (wrk.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed on {c.Path}: {await wrk.StandardError.ReadToEndAsync()}");
        }

        var errors = NonSuccess().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        errors += SocketErrors().Matches(output).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        return new Result(
            c,
            double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            Percentile(output, "50%"),
            Percentile(output, "99%"),
            long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            errors);
    }

    /// <summary>A latency of wrk's distribution (<c>99%   12.34ms</c>), in milliseconds.</summary>
    private static double Percentile(string output, string label)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(label)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            throw new InvalidOperationException($"No {label} latency in wrk's output:\n{output}");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    private static async Task<string> SignInAsync(HttpClient http, string userName)
    {
        using var page = await http.GetAsync(new Uri("/connexion", UriKind.Relative));
        var token = Token().Match(await page.Content.ReadAsStringAsync());
        if (!token.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on /connexion ({(int)page.StatusCode}).");
        }

        using var post = new HttpRequestMessage(HttpMethod.Post, "/connexion")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Form.UserName"] = userName,
                ["Form.Password"] = AgentPassword,
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            }),
        };
        post.Headers.Add("Cookie", Cookies(page));
        using var signedIn = await http.SendAsync(post);
        var cookie = Cookies(signedIn);
        if (signedIn.StatusCode != HttpStatusCode.Redirect || !cookie.Contains("valdrome=", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Signing in as {userName} failed ({(int)signedIn.StatusCode}).");
        }

        return cookie;
    }

    private static string Cookies(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : []);

    internal static ProcessStartInfo Site(string web, string database, string environment, int? port, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(RepositoryRoot(), "src", "Web"),
            UseShellExecute = false,
            RedirectStandardOutput = port is null,
            RedirectStandardError = port is null,
        };
        start.ArgumentList.Add(web);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["ConnectionStrings__ValDrome"] = database;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["AllowedHosts"] = "*";
        if (port is { } p)
        {
            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{p}";
            start.Environment["ValDrome__PublicUrl"] = $"http://127.0.0.1:{p}";
            start.Environment["ValDrome__Mail__PickupDirectory"] = Path.Combine(Path.GetTempPath(), "valdrome-bench-pages-mail");
            // One node of a one-node deployment: it runs the jobs too.
            start.Environment["ValDrome__Jobs__RunServer"] = "true";
        }

        return start;
    }

    internal static async Task RunToEndAsync(ProcessStartInfo start, string what)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{what} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed ({process.ExitCode}):\n{await output}\n{await error}");
        }
    }

    internal static async Task WaitReadyAsync(HttpClient http, Process site)
    {
        for (var i = 0; i < 240; i++)
        {
            if (site.HasExited)
            {
                throw new InvalidOperationException($"The site stopped at start ({site.ExitCode}).");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/sante/pret", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException("The site was not ready within a minute.");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ValDrome.sln")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException("Run the bench from the repository.");
    }

    internal static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [GeneratedRegex(@"name=""__RequestVerificationToken"" type=""hidden"" value=""([^""]+)""")]
    private static partial Regex Token();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"(?:connect|read|write|timeout) (\d+)")]
    private static partial Regex SocketErrors();
}
