using ValDrome.Bench.Gis;
using ValDrome.Bench.Marketplace;
using ValDrome.Bench.Photos;

namespace ValDrome.Bench;

/// <summary>
/// dotnet run -c Release --project bench/ValDrome.Bench -- &lt;verb&gt; [options]; none of them runs in
/// script/test. An explicit class rather than top-level statements: those would declare a global
/// <c>Program</c> clashing with the site's.
/// </summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args) => args switch
    {
        ["li-lim", .. var rest] => LiLimBenchmark.Run(rest),
        ["tours-real", .. var rest] => await RealDaysBenchmark.RunAsync(rest),
        ["ogc", .. var rest] => await GisBenchmark.RunAsync(rest),
        ["nearest", .. var rest] => await MarketplaceBenchmark.RunAsync(rest),
        ["catalogue-import", .. var rest] => await Catalogue.CatalogueImportBenchmark.RunAsync(rest),
        ["carte-3g", .. var rest] => await MapOnSlowLineBenchmark.RunAsync(rest),
        ["photos", .. var rest] => await PhotoBenchmark.RunAsync(rest),
        ["pages", .. var rest] => await Pages.PagesBenchmark.RunAsync(rest),
        ["gis-mapserver", .. var rest] => await MapServerBenchmark.RunAsync(rest),
        ["services", .. var rest] => await Services.ServicesBenchmark.RunAsync(rest),
        _ => Usage(),
    };

    private static int Usage()
    {
        Console.Error.WriteLine("""
            usage: ValDrome.Bench li-lim FILE... | --all [--folder DIR] [--families lc1,lr2,...] [--instances NAME,...] [--tune-set|--judge-set]
                          [--seconds S] [--threads N] [--setting NAME=VALUE]... [--no-baseline] [--log]
                   ValDrome.Bench tours-real [--days N] [--seconds S] [--reference-seconds S] [--threads N] [--vehicle truck|van] [--setting NAME=VALUE]...
                   ValDrome.Bench ogc [--iterations N]
                   ValDrome.Bench nearest [--rebuild] [--runs N] [--radius-km R] [--naive-runs N] [--http-runs N] [--explain]
                   ValDrome.Bench catalogue-import [--lines N] [--runs N]
                   ValDrome.Bench carte-3g [--url http://localhost:5080] [--runs N] [--waterfall] [--path /carte] [--without-script]
                   ValDrome.Bench photos [--runs N]
                   ValDrome.Bench pages [--seconds S] [--warm-up S] [--threads N] [--connections N]
                   ValDrome.Bench gis-mapserver [--seconds S] [--warm-up S] [--rounds N] [--threads N] [--connections N] [--processes N]
                          [--variant LABEL:NAME=VALUE[,NAME=VALUE]...]... [--counters DIR]
                   ValDrome.Bench services [--agents N] [--bookings N] [--communes N] [--runs N] [--http-runs N] [--explain] [--keep]
            """);
        return 2;
    }
}
