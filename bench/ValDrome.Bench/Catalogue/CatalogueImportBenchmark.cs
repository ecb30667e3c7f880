using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValDrome.Domain;
using ValDrome.Domain.Communes;
using ValDrome.Domain.Seed;
using ValDrome.Web.Pages.Equipment;

using static ValDrome.Bench.BenchTools;

namespace ValDrome.Bench.Catalogue;

/// <summary>
/// <c>catalogue-import</c>: a 500-line catalogue CSV (Windows-1252, French numbers, a third of the
/// units at the mairie, a third at the depot, a third at points checked in PostGIS) decoded, checked
/// and written, as the import page does between its preview and its confirmation. Each run imports
/// new codes; a last run imports the same file again (500 updates). Creates its own database on the
/// cluster of <c>ConnectionStrings__ValDrome</c> and drops it at the end. See bench/README.md.
/// </summary>
public static class CatalogueImportBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var lines = args is ["--lines", var l, ..] ? int.Parse(l, CultureInfo.InvariantCulture) : 500;
        var runs = args.SkipWhile(a => a != "--runs").Skip(1).FirstOrDefault() is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 3;
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__ValDrome")
            ?? "Host=127.0.0.1;Port=55432;Database=valdrome;Username=valdrome");
        var name = $"valdrome_bench_csv_{Guid.NewGuid():N}"[..32];
        await ExecuteAsync(server.ConnectionString, $"CREATE DATABASE \"{name}\"");
        var database = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
        try
        {
            await using (var db = CreateDb(database))
            {
                await db.Database.MigrateAsync();
                await TerritoryImport.ImportAsync(db, Path.Combine(AppContext.BaseDirectory, "data", "communes.geojson"));
                await DevelopmentSeed.SeedAsync(db);
            }

            Console.WriteLine($"Machine: {Environment.ProcessorCount} cores; load average {LoadAverage()}");
            Console.WriteLine($"{"run",-24} {"bytes",8} {"check ms",9} {"write ms",9} {"total ms",9}");
            string? last = null;
            for (var run = 1; run <= runs; run++)
            {
                last = await MeasureAsync(database, $"import {run} ({lines} new)", Csv(lines, $"B{run}"));
            }

            await MeasureAsync(database, $"again ({lines} updates)", last!);
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server.ConnectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }

    private static async Task<string> MeasureAsync(string database, string label, string text)
    {
        var bytes = Encoding.GetEncoding(1252).GetBytes(text);
        await using var db = CreateDb(database);
        var commune = await db.Communes.SingleAsync(c => c.Insee == "26144");
        var clock = Stopwatch.StartNew();
        var decoded = CatalogueCsv.Decode(bytes);
        var check = await CatalogueImport.CheckAsync(db, decoded, commune, CancellationToken.None);
        var checkedAt = clock.Elapsed;
        if (!check.IsValid)
        {
            throw new InvalidOperationException("The generated file is refused: " + string.Join("\n", check.Problems.Take(5).Select(p => p.Text)));
        }

        if (!await CatalogueImport.ApplyAsync(db, check.Rows, commune, CancellationToken.None))
        {
            throw new InvalidOperationException("The import was not written.");
        }

        var total = clock.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-24} {bytes.Length,8} {checkedAt.TotalMilliseconds,9:0} {(total - checkedAt).TotalMilliseconds,9:0} {total.TotalMilliseconds,9:0}"));
        return text;
    }

    /// <summary>A file as a commune's spreadsheet would hold it, with points spread over the commune of Grane.</summary>
    private static string Csv(int lines, string prefix)
    {
        var csv = new StringBuilder(string.Join(';', CatalogueCsv.Columns)).Append("\r\n");
        var categories = new[] { "Barnum", "Remorque", "Mini-pelle", "Podium" };
        for (var i = 1; i <= lines; i++)
        {
            var place = (i % 3) switch
            {
                0 => "mairie;;",
                1 => DevelopmentSeed.DepotName + ";;",
                _ => string.Create(CultureInfo.InvariantCulture, $"point;{44.715 + (i % 17) * 0.001:0.0000};{4.890 + (i % 13) * 0.001:0.0000}").Replace('.', ','),
            };
            csv.Append(CultureInfo.InvariantCulture, $"{prefix}-{i:0000};Barnum « réception » n°{i};{categories[i % categories.Length]};Tente pliante, sangles et lests fournis;{i % 90},50;150;Montage à deux;;fourgon;{(i % 5 == 0 ? "7" : "")};non;non;oui;;{place};Grane\r\n");
        }

        return csv.ToString();
    }

    private static ValDromeDb CreateDb(string connectionString)
    {
        var options = new DbContextOptionsBuilder<ValDromeDb>();
        DomainServiceCollectionExtensions.Configure(options, connectionString);
        return new ValDromeDb(options.Options);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
