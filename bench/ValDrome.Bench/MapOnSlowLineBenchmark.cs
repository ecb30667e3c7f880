using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace ValDrome.Bench;

/// <summary>
/// How long a phone on a slow rural line waits for /carte (issue 12): Debian's Chromium at 390 px,
/// network and CPU throttled through the DevTools protocol (Lighthouse's « slow 3G »: 562.5 ms
/// round trip, 1.47 Mbit/s down, 675 kbit/s up, CPU 4× slower), empty cache each run. Two times:
/// the page's own picture of the map painted (<c>#map svg.first-view</c>, communes and units drawn,
/// each a link: usable), and the interactive map's own signal, <c>#map[data-ready='true']</c>.
/// Run against a site already serving (script/server): <c>carte-3g --url http://localhost:5080 [--runs N] [--waterfall] [--path /carte] [--without-script]</c>
/// (<c>--without-script</c> refuses the map's script: the first view alone).
/// With <c>--waterfall</c>, the first run also prints every request: when it started and ended after
/// the navigation, the bytes over the wire, its content-encoding and what asked for it.
/// </summary>
public static class MapOnSlowLineBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = Option(args, "--url") ?? "http://localhost:5080";
        var path = Option(args, "--path") ?? "/carte";
        var runs = int.Parse(Option(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var waterfall = args.Contains("--waterfall");
        // The page alone, its map's script refused: what the first view costs by itself.
        var withoutScript = args.Contains("--without-script");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("VALDROME_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
        });

        var seconds = new List<double>();
        var firstViews = new List<double>();
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
            // The page's own picture of the map (ADR 31) is timed by the page itself, at the first
            // animation frame whose layout gives it a box: that frame is painted right after. A
            // poll from here would run on the throttled main thread too, late.
            await page.AddInitScriptAsync(FirstViewProbe);
            if (withoutScript)
            {
                await page.RouteAsync("**/carte/carte.*.js", route => route.AbortAsync());
            }

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
            await cdp.SendAsync("Performance.enable");
            var requests = new Requests();
            cdp.Event("Network.requestWillBeSent").OnEvent += (_, e) => requests.Started(e);
            cdp.Event("Network.responseReceived").OnEvent += (_, e) => requests.Answered(e);
            cdp.Event("Network.loadingFinished").OnEvent += (_, e) => requests.Finished(e, failed: false);
            cdp.Event("Network.loadingFailed").OnEvent += (_, e) => requests.Finished(e, failed: true);

            var trace = run == 0 ? Option(args, "--trace") : null;
            var traceEvents = new List<string>();
            var traceDone = new TaskCompletionSource();
            if (trace is not null)
            {
                cdp.Event("Tracing.dataCollected").OnEvent += (_, e) =>
                {
                    lock (traceEvents)
                    {
                        traceEvents.AddRange(e!.Value.GetProperty("value").EnumerateArray().Select(v => v.GetRawText()));
                    }
                };
                cdp.Event("Tracing.tracingComplete").OnEvent += (_, _) => traceDone.TrySetResult();
                await cdp.SendAsync("Tracing.start", new Dictionary<string, object>
                {
                    ["transferMode"] = "ReportEvents",
                    ["traceConfig"] = new Dictionary<string, object> { ["includedCategories"] = TraceCategories },
                });
            }

            await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
            // Waited for through the DevTools protocol, not Playwright's locators: those inject
            // Playwright's own script into the page, which cost the throttled main thread 0.27 s
            // (a trace, 2026-12-02) that a phone never spends.
            await WaitInPageAsync(cdp, withoutScript ? "window.__firstViewFrame !== undefined" : "window.__mapReady !== undefined");
            var firstView = await InPageAsync(cdp, "window.__firstViewFrame ?? null") is { ValueKind: JsonValueKind.Number } frame ? frame.GetDouble() : double.NaN;
            var ready = await InPageAsync(cdp, "window.__mapReady ?? null") is { ValueKind: JsonValueKind.Number } mark ? mark.GetDouble() : double.NaN;
            if (trace is not null)
            {
                await cdp.SendAsync("Tracing.end");
                await traceDone.Task.WaitAsync(TimeSpan.FromSeconds(30));
                await File.WriteAllTextAsync(trace, "[" + string.Join(",\n", traceEvents) + "]");
            }

            // The page's own clock starts with the navigation, as the waterfall's times do.
            var pageSeconds = (await InPageAsync(cdp, "performance.now()"))!.Value.GetDouble() / 1000;
            var bytes = requests.Bytes;
            seconds.Add(ready);
            firstViews.Add(double.IsNaN(firstView) ? ready : firstView);
            if (withoutScript)
            {
                seconds.RemoveAt(seconds.Count - 1);
            }

            kib.Add(bytes / 1024);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run + 1}: {(double.IsNaN(firstView) ? "no first view" : $"first view painted at {firstView:0.00} s")}, interactive map ready at {ready:0.00} s, {bytes / 1024:0} KiB over the wire in {requests.Count} requests"));
            if (waterfall && run == 0)
            {
                requests.Print(Console.Out, pageSeconds);
                await PrintMainThreadAsync(cdp);
            }
        }

        seconds.Sort();
        firstViews.Sort();
        seconds.RemoveAll(double.IsNaN);
        var interactive = seconds.Count == 0 ? "not run" : string.Create(CultureInfo.InvariantCulture, $"median {seconds[seconds.Count / 2]:0.00} s");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{path} on slow 3G, 390 px, CPU 4×: usable (first view: communes and units drawn, each a link) median {firstViews[firstViews.Count / 2]:0.00} s (target: under 2 s); interactive map (Leaflet: zoom, filter, popups) {interactive}; {kib.Average():0} KiB transferred"));
        return 0;
    }

    /// <summary>Evaluates an expression in the page through the protocol (no script of Playwright's in the page).</summary>
    private static async Task<JsonElement?> InPageAsync(ICDPSession cdp, string expression)
    {
        var answer = await cdp.SendAsync("Runtime.evaluate", new Dictionary<string, object> { ["expression"] = expression, ["returnByValue"] = true });
        return answer is { } json && json.GetProperty("result").TryGetProperty("value", out var value) ? value : null;
    }

    private static async Task WaitInPageAsync(ICDPSession cdp, string condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await InPageAsync(cdp, condition) is not { ValueKind: JsonValueKind.True })
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Still not true after 60 s: {condition}");
            }

            await Task.Delay(50);
        }
    }

    private static readonly string[] TraceCategories = ["devtools.timeline", "blink", "loading", "v8.execute", "disabled-by-default-devtools.timeline"];

    private const string FirstViewProbe = """
        (() => {
            const look = () => {
                const picture = document.querySelector('#map svg.first-view');
                if (picture) {
                    const box = picture.getBoundingClientRect();
                    if (box.width > 0 && box.height > 0) {
                        window.__firstViewFrame = performance.now() / 1000;
                        return;
                    }
                }
                if (!document.querySelector('#map[data-ready]')) {
                    requestAnimationFrame(look);
                }
            };
            requestAnimationFrame(look);
            // The interactive map's own signal, seen in the task that gives it.
            new MutationObserver((changes, observer) => {
                if (document.querySelector("#map[data-ready='true']")) {
                    window.__mapReady = performance.now() / 1000;
                    observer.disconnect();
                }
            }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
        })();
        """;

    /// <summary>Where the page's main thread spent its time up to now (throttled, so inflated by the machine's load too; the counts are not).</summary>
    private static async Task PrintMainThreadAsync(ICDPSession cdp)
    {
        var metrics = await cdp.SendAsync("Performance.getMetrics");
        if (metrics is not { } json)
        {
            return;
        }

        var values = json.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
        double Value(string name) => values.TryGetValue(name, out var value) ? value : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  main thread: tasks {Value("TaskDuration"):0.00} s, script {Value("ScriptDuration"):0.00} s, style {Value("RecalcStyleDuration"):0.00} s ({Value("RecalcStyleCount"):0} recalcs), layout {Value("LayoutDuration"):0.00} s ({Value("LayoutCount"):0} layouts), {Value("Nodes"):0} DOM nodes"));
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>What the DevTools protocol says of each request of one page load (its events arrive on another thread).</summary>
    private sealed class Requests
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, Request> _byId = [];
        private readonly List<Request> _inOrder = [];
        private double? _navigation;

        public double Bytes
        {
            get
            {
                lock (_gate)
                {
                    return _inOrder.Sum(r => r.Bytes);
                }
            }
        }

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _inOrder.Count;
                }
            }
        }

        public void Started(JsonElement? e)
        {
            if (e is not { } json)
            {
                return;
            }

            var id = json.GetProperty("requestId").GetString()!;
            var timestamp = json.GetProperty("timestamp").GetDouble();
            var request = json.GetProperty("request");
            lock (_gate)
            {
                _navigation ??= timestamp;
                if (_byId.ContainsKey(id))
                {
                    return; // a redirect reuses its id: keep the first start
                }

                var entry = new Request(
                    request.GetProperty("url").GetString()!,
                    json.TryGetProperty("type", out var type) ? type.GetString() ?? "" : "",
                    request.TryGetProperty("initialPriority", out var priority) ? priority.GetString() ?? "" : "",
                    Initiator(json.GetProperty("initiator")),
                    timestamp);
                _byId[id] = entry;
                _inOrder.Add(entry);
            }
        }

        public void Answered(JsonElement? e)
        {
            if (e is not { } json || !Find(json, out var entry))
            {
                return;
            }

            var response = json.GetProperty("response");
            lock (_gate)
            {
                entry.Status = response.TryGetProperty("status", out var status) ? status.GetInt32() : 0;
                entry.Protocol = response.TryGetProperty("protocol", out var protocol) ? protocol.GetString() ?? "" : "";
                entry.Headers = json.GetProperty("timestamp").GetDouble();
                if (response.TryGetProperty("headers", out var headers))
                {
                    foreach (var header in headers.EnumerateObject())
                    {
                        if (header.Name.Equals("content-encoding", StringComparison.OrdinalIgnoreCase))
                        {
                            entry.Encoding = header.Value.GetString() ?? "";
                        }
                        else if (header.Name.Equals("content-length", StringComparison.OrdinalIgnoreCase))
                        {
                            entry.ContentLength = header.Value.GetString() ?? "";
                        }
                    }
                }
            }
        }

        public void Finished(JsonElement? e, bool failed)
        {
            if (e is not { } json || !Find(json, out var entry))
            {
                return;
            }

            lock (_gate)
            {
                entry.End = json.GetProperty("timestamp").GetDouble();
                entry.Failed = failed;
                if (!failed && json.TryGetProperty("encodedDataLength", out var length))
                {
                    entry.Bytes = length.GetDouble();
                }
            }
        }

        private bool Find(JsonElement json, out Request entry)
        {
            lock (_gate)
            {
                return _byId.TryGetValue(json.GetProperty("requestId").GetString()!, out entry!);
            }
        }

        private static string Initiator(JsonElement initiator)
        {
            var type = initiator.GetProperty("type").GetString() ?? "";
            string? from = null;
            if (initiator.TryGetProperty("url", out var url))
            {
                from = url.GetString();
            }
            else if (initiator.TryGetProperty("stack", out var stack) && stack.TryGetProperty("callFrames", out var frames) && frames.GetArrayLength() > 0)
            {
                from = frames[0].GetProperty("url").GetString();
            }

            return string.IsNullOrEmpty(from) ? type : $"{type} {Short(from)}";
        }

        private static string Short(string url) =>
            url.StartsWith("data:", StringComparison.Ordinal) ? url[..Math.Min(url.Length, 24)] + "…"
            : Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.PathAndQuery : url;

        public void Print(TextWriter output, double pageSeconds)
        {
            lock (_gate)
            {
                var origin = _navigation ?? 0;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  waterfall of run 1 (seconds after navigation; map ready at {pageSeconds:0.00} s by the page's clock)"));
                output.WriteLine("  start  headers  end    bytes  encoding  prio      type        status  url  <=  initiator");
                foreach (var r in _inOrder.OrderBy(r => r.Start))
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {r.Start - origin,5:0.00}  {(r.Headers is { } h ? (h - origin).ToString("0.00", CultureInfo.InvariantCulture) : "-"),7}  {(r.End is { } end ? (end - origin).ToString("0.00", CultureInfo.InvariantCulture) : "-"),5}  {r.Bytes,7:0}  {(r.Encoding == "" ? "-" : r.Encoding),-8}  {r.Priority,-8}  {r.Type,-10}  {(r.Failed ? "failed" : r.Status.ToString(CultureInfo.InvariantCulture)),6}  {Short(r.Url)}{(r.ContentLength == "" ? "" : $" (length {r.ContentLength})")}  <=  {r.Initiator}"));
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {_inOrder.Count} requests, {_inOrder.Sum(r => r.Bytes) / 1024:0.0} KiB over the wire; protocols: {string.Join(", ", _inOrder.Select(r => r.Protocol).Where(p => p != "").Distinct())}"));
            }
        }
    }

    private sealed class Request(string url, string type, string priority, string initiator, double start)
    {
        public string Url { get; } = url;
        public string Type { get; } = type;
        public string Priority { get; } = priority;
        public string Initiator { get; } = initiator;
        public double Start { get; } = start;
        public double? Headers { get; set; }
        public double? End { get; set; }
        public double Bytes { get; set; }
        public int Status { get; set; }
        public string Protocol { get; set; } = "";
        public string Encoding { get; set; } = "";
        public string ContentLength { get; set; } = "";
        public bool Failed { get; set; }
    }
}
