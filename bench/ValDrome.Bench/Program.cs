using ValDrome.Bench.Gis;

namespace ValDrome.Bench;

/// <summary>
/// dotnet run -c Release --project bench/ValDrome.Bench -- &lt;verb&gt; [options]. An explicit class rather
/// than top-level statements: those would declare a global <c>Program</c> clashing with the site's.
/// </summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args) => args switch
    {
        ["ogc", .. var rest] => await GisBenchmark.RunAsync(rest),
        _ => Usage(),
    };

    private static int Usage()
    {
        Console.Error.WriteLine("usage: ValDrome.Bench ogc [--iterations N]");
        return 2;
    }
}
