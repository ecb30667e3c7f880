using System.Diagnostics;
using System.Globalization;
using ImageMagick;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NetTopologySuite.Geometries;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Seed;
using ValDrome.Domain.Communes;
using ValDrome.Web.Pages.Equipment;

namespace ValDrome.Bench.Photos;

/// <summary>
/// Issue 11's photo targets: a 12-megapixel phone JPEG made into its two sizes (time, and the
/// process's extra resident memory, ImageMagick's native buffers included), then the catalogue's
/// first page with 1,000 units that all have a photo (time to first byte through the site in
/// process). Creates its own database on the cluster of <c>ConnectionStrings__ValDrome</c> and
/// drops it at the end.
/// </summary>
public static class PhotoBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var runs = args is ["--runs", var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 5;
        Console.WriteLine($"HEIC coder present: {PhotoResizer.ReadsHeic}; {Environment.ProcessorCount} cores");
        MeasureResize(runs);
        await MeasureCatalogueAsync(runs * 40);
        return 0;
    }

    /// <summary>4032 × 3024 (an iPhone's 12 MP), noisy like a real photo so that it weighs what one does, turned by EXIF.</summary>
    private static byte[] PhonePhoto()
    {
        using var image = new MagickImage("gradient:#6b8e23-#87ceeb", 4032, 3024);
        image.AddNoise(NoiseType.Gaussian, 0.6);
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.Orientation, (ushort)6);
        exif.SetValue(ExifTag.GPSLatitude, [new Rational(44), new Rational(45), new Rational(12.5)]);
        image.SetProfile(exif);
        image.Orientation = Orientation.RightTop;
        image.Quality = 92;
        image.Format = MagickFormat.Jpeg;
        return image.ToByteArray();
    }

    private static void MeasureResize(int runs)
    {
        var photo = PhonePhoto();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"12 MP JPEG: {photo.Length / 1024d / 1024:0.0} MB"));
        PhotoResizer.Resize(photo, "bench"); // warm-up: JIT, ImageMagick's first load
        var times = new List<double>();
        var extra = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var baseline = ResetPeakResident();
            var start = Stopwatch.GetTimestamp();
            var sizes = PhotoResizer.Resize(photo, "bench");
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            extra.Add((PeakResident() - baseline) / 1024d / 1024);
            if (i == 0)
            {
                Console.WriteLine($"sizes: large {sizes.LargeWidth}×{sizes.LargeHeight} ({sizes.Large.Length / 1024} KB), thumbnail {sizes.ThumbnailWidth}×{sizes.ThumbnailHeight} ({sizes.Thumbnail.Length / 1024} KB)");
            }
        }

        times.Sort();
        extra.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"resize, {runs} runs: median {times[runs / 2]:0} ms, worst {times[^1]:0} ms (target < 1000 ms); extra resident memory median {extra[runs / 2]:0} MB, worst {extra[^1]:0} MB (target < 300 MB)"));
    }

    /// <summary>Resets the process's peak resident set (Linux: clear_refs 5) and returns the current one, in bytes.</summary>
    private static long ResetPeakResident()
    {
        File.WriteAllText("/proc/self/clear_refs", "5");
        return Status("VmRSS:");
    }

    private static long PeakResident() => Status("VmHWM:");

    private static long Status(string field) =>
        long.Parse(File.ReadLines("/proc/self/status").Single(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;

    private static async Task MeasureCatalogueAsync(int requests)
    {
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__ValDrome")
            ?? "Host=127.0.0.1;Port=55432;Database=valdrome;Username=valdrome");
        var name = $"valdrome_bench_photo_{Guid.NewGuid():N}"[..32];
        await ExecuteAsync(server.ConnectionString, $"CREATE DATABASE \"{name}\"");
        var database = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
        try
        {
            var units = await SeedAsync(database);
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "ValDrome.sln")))
            {
                root = root.Parent;
            }

            Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_VALDROME_WEB",
                Path.Combine(root?.FullName ?? throw new InvalidOperationException("Run from the repository."), "src", "Web"));
            await using var site = new Site(database);
            using var client = site.CreateClient();
            for (var i = 0; i < 50; i++)
            {
                using var warm = await client.GetAsync("/materiel");
                var html = await warm.Content.ReadAsStringAsync();
                if (!warm.IsSuccessStatusCode || !html.Contains("loading=\"lazy\"", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"The catalogue did not answer with thumbnails ({(int)warm.StatusCode}).");
                }
            }

            var firstByte = new double[requests];
            var whole = new double[requests];
            for (var i = 0; i < requests; i++)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync("/materiel", HttpCompletionOption.ResponseHeadersRead);
                await using var body = await response.Content.ReadAsStreamAsync();
                var buffer = new byte[1];
                _ = await body.ReadAsync(buffer);
                firstByte[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                await body.CopyToAsync(Stream.Null);
                whole[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            Array.Sort(firstByte);
            Array.Sort(whole);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"catalogue /materiel, {units} units with a photo, {requests} requests: first byte p50 {firstByte[requests / 2]:0.0} ms, p95 {firstByte[(int)(requests * 0.95)]:0.0} ms (target < 50 ms); whole page p50 {whole[requests / 2]:0.0} ms"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server.ConnectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }

    /// <summary>The territory, the Development seed, then units up to 1,000, every one with a photo.</summary>
    private static async Task<int> SeedAsync(string database)
    {
        var options = new DbContextOptionsBuilder<ValDromeDb>();
        DomainServiceCollectionExtensions.Configure(options, database);
        await using var db = new ValDromeDb(options.Options);
        await db.Database.MigrateAsync();
        await TerritoryImport.ImportAsync(db, Path.Combine(AppContext.BaseDirectory, "data", "communes.geojson"));
        await DevelopmentSeed.SeedAsync(db);
        var categories = await db.EquipmentCategories.ToListAsync();
        var communes = await db.Communes.ToListAsync();
        var existing = await db.EquipmentUnits.CountAsync();
        for (var i = existing; i < 1000; i++)
        {
            var owner = communes[i % communes.Count];
            db.EquipmentUnits.Add(new EquipmentUnit($"BENCH-{i:0000}", $"Matériel d'essai {i}", categories[i % categories.Count], owner,
                (Point)owner.ReferencePoint.Copy(), 20m + (i % 50), TransportNeed.Van));
        }

        await db.SaveChangesAsync();
        using var template = new MagickImage("gradient:#556b2f-#f5deb3", 2000, 1500);
        template.Format = MagickFormat.Jpeg;
        var sizes = PhotoResizer.Resize(template.ToByteArray(), "bench");
        foreach (var unit in await db.EquipmentUnits.ToListAsync())
        {
            db.UnitPhotos.Add(new UnitPhoto(unit, 0, sizes, "bench", DateTimeOffset.UtcNow));
        }

        await db.SaveChangesAsync();
        await ExecuteAsync(database, "VACUUM ANALYZE");
        return await db.EquipmentUnits.CountAsync();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The whole site in process, in Production mode.</summary>
    private sealed class Site(string database) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:ValDrome", database);
            builder.UseSetting("ValDrome:PublicUrl", "https://valdrome.example");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }
}
