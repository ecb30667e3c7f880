using System.Diagnostics;

namespace ValDrome.Tests.Ogc;

public sealed record GdalResult(int ExitCode, string Output, string Errors);

/// <summary>Runs a GDAL command-line tool (Debian gdal-bin) with a time limit; killed, tree and all, past it.</summary>
public static class Gdal
{
    public static async Task<GdalResult> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No proxy, no cache between runs, and GDAL's HTTP answers as they are.
        start.Environment["GDAL_HTTP_TIMEOUT"] = "30";
        start.Environment["CPL_VSIL_CURL_USE_CACHE"] = "NO";
        start.Environment["GDAL_DISABLE_READDIR_ON_OPEN"] = "EMPTY_DIR";
        start.Environment.Remove("http_proxy");
        start.Environment.Remove("HTTP_PROXY");

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', arguments)} ran for more than 90 s.");
        }

        return new GdalResult(process.ExitCode, await output, await errors);
    }
}
