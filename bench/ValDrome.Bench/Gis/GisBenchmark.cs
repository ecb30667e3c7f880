using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using Npgsql;
using ValDrome.Domain;
using ValDrome.Domain.Communes;
using ValDrome.Domain.Seed;
using ValDrome.Geo.Spatial;
using ValDrome.Web.Ogc;

namespace ValDrome.Bench.Gis;

/// <summary>
/// The GIS layer's cost over its SQL: <c>/ogc/collections/communes/items?limit=36</c> and a z12
/// tile served by the site in process (TestServer, caches off) against the same SQL run directly
/// with Npgsql (a data source like the site's), then cached answers. Creates its own
/// database on the cluster of <c>ConnectionStrings__ValDrome</c> and drops it at the end.
/// </summary>
public static class GisBenchmark
{
    private static readonly WebMercatorTile Tile = WebMercatorTile.Containing(4.9912, 44.7606, 12);

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var iterations = args is ["--iterations", var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 1000;
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__ValDrome")
            ?? "Host=127.0.0.1;Port=55432;Database=valdrome;Username=valdrome");
        var name = $"valdrome_bench_gis_{Guid.NewGuid():N}"[..32];
        await ExecuteAsync(server.ConnectionString, $"CREATE DATABASE \"{name}\"");
        var database = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
        try
        {
            await SeedAsync(database);
            await MeasureAsync(database, iterations);
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server.ConnectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }

    private static async Task MeasureAsync(string database, int iterations)
    {
        const string itemsUrl = "/ogc/collections/communes/items?limit=36";
        var tileUrl = $"/tiles/communes/{Tile.Z}/{Tile.X}/{Tile.Y}.pbf";
        var query = ItemsQuery.Parse(FeatureLayers.Communes, new QueryCollection(new Dictionary<string, StringValues> { ["limit"] = "36" }));

        await using var dataSource = NpgsqlDataSource.Create(database);

        // The factory finds the site's content root through this variable outside a test project.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ValDrome.sln")))
        {
            root = root.Parent;
        }

        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_VALDROME_WEB",
            Path.Combine(root?.FullName ?? throw new InvalidOperationException("Run from the repository."), "src", "Web"));
        await using var uncached = new Site(database, cache: false);
        await using var cached = new Site(database, cache: true);
        using var uncachedClient = uncached.CreateClient();
        using var cachedClient = cached.CreateClient();

        Console.WriteLine($"GIS layer benchmark: {iterations} iterations a case, after {Math.Max(500, iterations)} warm-up runs of every case");
        Console.WriteLine($"and {Math.Max(10, iterations / 10)} more before each case;");
        Console.WriteLine("each site/SQL pair runs interleaved, so both sides see the same machine load.");
        Console.WriteLine($"{"case",-56} {"p50 ms",8} {"p95 ms",8}");

        Task<bool> ItemsSql() => WithConnection(dataSource, async connection =>
            (await FeatureQueries.ReadItemsAsync(connection, query, CancellationToken.None)).Features.Count == 36);
        async Task<bool> ItemsSite()
        {
            using var response = await uncachedClient.GetAsync(itemsUrl);
            return response.IsSuccessStatusCode && (await response.Content.ReadAsByteArrayAsync()).Length > 10_000;
        }

        Task<bool> TileSql() => WithConnection(dataSource, async connection =>
        {
            await using var batch = FeatureQueries.CreateBatch(connection, ValDrome.Web.Tiles.TileSql.Tile(FeatureLayers.Communes, Tile));
            return await batch.ExecuteScalarAsync() is byte[] { Length: > 0 };
        });
        async Task<bool> TileSite(HttpClient client)
        {
            using var response = await client.GetAsync(tileUrl);
            return response.IsSuccessStatusCode && (await response.Content.ReadAsByteArrayAsync()).Length > 0;
        }

        // Steady state first: the site's path has many more methods for the tiered JIT to
        // promote than the direct one, and on a loaded machine that takes thousands of calls.
        var warmUp = Math.Max(500, iterations);
        for (var i = 0; i < warmUp; i++)
        {
            if (!(await ItemsSql() && await ItemsSite() && await TileSql() && await TileSite(uncachedClient) && await TileSite(cachedClient)))
            {
                throw new InvalidOperationException("A warm-up run failed.");
            }
        }

        var (itemsSql, itemsSite) = await ComparePairAsync(
            "communes items (36), SQL direct with Npgsql", ItemsSql, "communes items (36), through the site", ItemsSite, iterations);
        var (tileSql, tileSite) = await ComparePairAsync(
            $"z12 tile {Tile.X}/{Tile.Y} communes, SQL direct", TileSql, $"z12 tile {Tile.X}/{Tile.Y} communes, through the site", () => TileSite(uncachedClient), iterations);
        var (tileCached, _) = await ComparePairAsync("z12 tile, cached, through the site", () => TileSite(cachedClient), null, null, iterations);
        var (itemsCached, _) = await ComparePairAsync("communes items (36), cached, through the site", async () =>
        {
            using var response = await cachedClient.GetAsync(itemsUrl);
            return response.IsSuccessStatusCode;
        }, null, null, iterations);
        FeaturePage page;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            page = await FeatureQueries.ReadItemsAsync(connection, query, CancellationToken.None);
        }

        await ComparePairAsync("breakdown: GeoJSON + SHA-256 ETag of the page, in memory", () => Task.FromResult(
            OgcResponse.Prepare(OgcResponse.WriteJson(writer => OgcDocuments.Items(writer, query, page, [], DateTimeOffset.UtcNow)), OgcResponse.GeoJson)
                .Body.Length > 10_000), null, null, iterations);
        await ComparePairAsync("breakdown: HTTP floor, /ogc/conformance (no SQL)", async () =>
        {
            using var response = await uncachedClient.GetAsync("/ogc/conformance");
            return response.IsSuccessStatusCode;
        }, null, null, iterations);

        Console.WriteLine();
        Console.WriteLine($"overhead at p50: items {Overhead(itemsSite, itemsSql)}, tile {Overhead(tileSite, tileSql)} (target under 25 %)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cached tile p50 {tileCached.P50:0.000} ms, p95 {tileCached.P95:0.000} ms (target under 1 ms); cached items p50 {itemsCached.P50:0.000} ms"));
    }

    private static async Task<bool> WithConnection(NpgsqlDataSource dataSource, Func<NpgsqlConnection, Task<bool>> run)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await run(connection);
    }

    private static string Overhead(Timing site, Timing sql) =>
        string.Create(CultureInfo.InvariantCulture, $"{(site.P50 / sql.P50 - 1) * 100:+0.0;-0.0} % ({site.P50:0.000} vs {sql.P50:0.000} ms)");

    private sealed record Timing(double P50, double P95);

    /// <summary>Times <paramref name="a"/> and, when given, <paramref name="b"/> alternately.</summary>
    private static async Task<(Timing A, Timing B)> ComparePairAsync(
        string labelA, Func<Task<bool>> a, string? labelB, Func<Task<bool>>? b, int iterations)
    {
        for (var i = 0; i < Math.Max(10, iterations / 10); i++)
        {
            if (!await a() || (b is not null && !await b()))
            {
                throw new InvalidOperationException($"{labelA}: a warm-up run failed.");
            }
        }

        var samplesA = new double[iterations];
        var samplesB = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            samplesA[i] = await TimeOnceAsync(labelA, a);
            if (b is not null)
            {
                samplesB[i] = await TimeOnceAsync(labelB!, b);
            }
        }

        var timingA = Report(labelA, samplesA);
        var timingB = b is null ? timingA : Report(labelB!, samplesB);
        return (timingA, timingB);
    }

    private static async Task<double> TimeOnceAsync(string label, Func<Task<bool>> run)
    {
        var start = Stopwatch.GetTimestamp();
        var ok = await run();
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return ok ? elapsed : throw new InvalidOperationException($"{label}: a run failed.");
    }

    private static Timing Report(string label, double[] samples)
    {
        Array.Sort(samples);
        var timing = new Timing(samples[samples.Length / 2], samples[(int)(samples.Length * 0.95)]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label,-56} {timing.P50,8:0.000} {timing.P95,8:0.000}"));
        return timing;
    }

    private static async Task SeedAsync(string database)
    {
        var options = new DbContextOptionsBuilder<ValDromeDb>();
        DomainServiceCollectionExtensions.Configure(options, database);
        await using var db = new ValDromeDb(options.Options);
        await db.Database.MigrateAsync();
        await TerritoryImport.ImportAsync(db, Path.Combine(AppContext.BaseDirectory, "data", "communes.geojson"));
        await DevelopmentSeed.SeedAsync(db);
        await ExecuteAsync(database, "VACUUM ANALYZE");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The whole site in process, in Production mode (no developer pages), caches on or off.</summary>
    private sealed class Site(string database, bool cache) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:ValDrome", database);
            builder.UseSetting("ValDrome:Gis:CacheResponses", cache ? "true" : "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }
}
