using System.Globalization;
using Microsoft.Playwright;

namespace ValDrome.Bench;

/// <summary>
/// How long a phone on a slow rural line waits for /carte (issue 12): Debian's Chromium at 390 px,
/// network and CPU throttled through the DevTools protocol (Lighthouse's « slow 3G »: 562.5 ms
/// round trip, 1.47 Mbit/s down, 675 kbit/s up, CPU 4× slower), empty cache each run. « Usable »
/// is the map's own signal: <c>#map[data-ready='true']</c>, communes and units drawn.
/// Run against a site already serving (script/server): <c>carte-3g --url http://localhost:5080 [--runs N]</c>.
/// </summary>
public static class MapOnSlowLineBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = Option(args, "--url") ?? "http://localhost:5080";
        var runs = int.Parse(Option(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("VALDROME_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
        });

        var seconds = new List<double>();
        var kib = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = url,
                Locale = "fr-FR",
                ViewportSize = new ViewportSize { Width = 390, Height = 844 },
                IsMobile = true,
                HasTouch = true,
            });
            var page = await context.NewPageAsync();
            var cdp = await context.NewCDPSessionAsync(page);
            await cdp.SendAsync("Network.enable");
            await cdp.SendAsync("Network.setCacheDisabled", new Dictionary<string, object> { ["cacheDisabled"] = true });
            await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
            {
                ["offline"] = false,
                ["latency"] = 562.5,
                ["downloadThroughput"] = 1474.56 * 1024 / 8,
                ["uploadThroughput"] = 675.0 * 1024 / 8,
            });
            await cdp.SendAsync("Emulation.setCPUThrottlingRate", new Dictionary<string, object> { ["rate"] = 4 });
            double bytes = 0;
            cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
            {
                if (e is { } json && json.TryGetProperty("encodedDataLength", out var length))
                {
                    bytes += length.GetDouble();
                }
            };

            var clock = System.Diagnostics.Stopwatch.StartNew();
            await page.GotoAsync("/carte", new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
            await page.Locator("#map[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
            clock.Stop();
            seconds.Add(clock.Elapsed.TotalSeconds);
            kib.Add(bytes / 1024);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run + 1}: map usable after {clock.Elapsed.TotalSeconds:0.00} s, {bytes / 1024:0} KiB over the wire"));
        }

        seconds.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"/carte on slow 3G, 390 px, CPU 4×: median {seconds[seconds.Count / 2]:0.00} s, {kib.Average():0} KiB transferred (target: under 2 s)"));
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
