using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ValDrome.Geo.Tours;
using ValDrome.Geo.Tours.Benchmarks;

namespace ValDrome.Bench;

/// <summary>
/// Plans Li &amp; Lim instances with the production planner and, in the same run, with OR-Tools'
/// out-of-the-box search; checks every plan with the independent checker; one JSON line per
/// instance, compared with best-known.json when it sits next to the instance file, then one line
/// per instance family (lc1, lr1, lrc1, lc2, lr2, lrc2) and a Markdown table of the families.
/// </summary>
internal static class LiLimBenchmark
{
    /// <summary>
    /// The planner's defaults on both cores (see bench/README.md, ADR 33 and 34): one thread in
    /// phases (a first plan by guided local search, routes emptied by guided ejection search, the
    /// distance by our ruin and recreate), the other OR-Tools' ruin and recreate on the
    /// hierarchical objective until the routes are emptied, then our ruin and recreate too; both
    /// share their best plan. Ruins of 20 stops on average (10 tasks for ours) rather than 10, and
    /// annealing from three average arcs to three hundredths: chosen on the tune set (bench/README.md).
    /// </summary>
    public static readonly TourPlannerOptions LiLimOptions = new()
    {
        TimeLimit = TimeSpan.FromSeconds(10),
        Tuning = new() { Threads = 2, DistanceMetaheuristic = SearchMetaheuristic.RuinAndRecreate, RuinSize = 20, InitialTemperature = 3, FinalTemperature = 0.03 },
    };

    /// <summary>
    /// What OR-Tools' examples do: parallel cheapest insertion, then guided local search on the
    /// hierarchical objective, one thread, no phases, no route emptying.
    /// </summary>
    private static readonly SearchTuning OutOfTheBox = new() { Threads = 1, Phased = false, ReduceVehicles = false };

    /// <summary>Where the 56 instances of the 100-task set are, from the repository's root.</summary>
    private const string DefaultFolder = "../shared/data/li-lim";

    /// <summary>Merged instances are named lr102+lr104: the plus sign stays readable.</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Families = ["lc1", "lr1", "lrc1", "lc2", "lr2", "lrc2", "merged"];

    public static int Run(string[] args)
    {
        try
        {
            return RunOrThrow(args);
        }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            // A file the reader refuses, or a bad argument: one line, never a stack trace.
            Console.Error.WriteLine($"li-lim: {e.Message}");
            return 2;
        }
    }

    private static int RunOrThrow(string[] args)
    {
        var files = new List<string>();
        var options = LiLimOptions;
        string? folder = null;
        var families = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var instances = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        int? parity = null; // 1: the tune set (odd numbers), 0: the judge set (even numbers)
        var baseline = true;
        var log = false;
        var merged = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--all":
                    folder ??= DefaultFolder;
                    break;
                case "--folder":
                    folder = Value();
                    break;
                case "--families":
                    families.UnionWith(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--instances":
                    instances.UnionWith(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--tune-set":
                    parity = 1;
                    break;
                case "--judge-set":
                    parity = 0;
                    break;
                case "--merged":
                    merged.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--no-baseline":
                    baseline = false;
                    break;
                case "--log":
                    log = true;
                    break;
                case "--seconds":
                    options = options with { TimeLimit = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture)) };
                    break;
                case "--threads":
                    options = options with { Tuning = options.Tuning with { Threads = int.Parse(Value(), CultureInfo.InvariantCulture) } };
                    break;
                case "--setting":
                    options = Settings.Apply(options, Value());
                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new ArgumentException($"unknown argument « {args[i]} ».");
                    }

                    files.Add(args[i]);
                    break;
            }
        }

        if (folder is not null)
        {
            if (!Directory.Exists(folder))
            {
                throw new IOException($"no folder {Path.GetFullPath(folder)} (run from the repository's root, or give --folder).");
            }

            files.AddRange(Directory.GetFiles(folder, "*.txt").Order(StringComparer.Ordinal));
        }

        var unknownFamily = families.FirstOrDefault(f => !Families.Contains(f, StringComparer.OrdinalIgnoreCase));
        if (unknownFamily is not null)
        {
            throw new ArgumentException($"unknown family « {unknownFamily} » (families: {string.Join(", ", Families)}).");
        }

        files = [.. files.Where(f => Selected(Path.GetFileNameWithoutExtension(f), families, instances, parity))];
        var sources = files.Select(f => (Instance: (Func<LiLimInstance>)(() => LiLimFile.Read(f)), Best: (Func<string, (int Vehicles, double Distance)?>)(n => BestKnown(f, n)))).ToList();
        foreach (var pair in merged)
        {
            sources.Add(MergedInstances.Source(pair, folder ?? DefaultFolder));
        }

        if (sources.Count == 0)
        {
            Console.Error.WriteLine("li-lim: no instance selected: name instance files, or --all (with --families, --instances, --tune-set or --judge-set), or --merged.");
            return 2;
        }

        using var loggers = LoggerFactory.Create(b => b
            .AddSimpleConsole(c => c.SingleLine = true)
            .AddFilter(level => log && level >= LogLevel.Debug));
        var planner = new TourPlanner(options, loggers.CreateLogger<TourPlanner>());
        var reference = new TourPlanner(options with { Tuning = options.Tuning with { Threads = OutOfTheBox.Threads, Phased = OutOfTheBox.Phased, ReduceVehicles = OutOfTheBox.ReduceVehicles } });
        var results = new List<Result>();
        var allFeasible = true;
        foreach (var source in sources)
        {
            var instance = source.Instance();
            var best = source.Best(instance.Name);
            var ours = Solve(planner, instance);
            var theirs = baseline ? Solve(reference, instance) : null;
            allFeasible &= ours.Feasible && (theirs?.Feasible ?? true);
            results.Add(new Result(instance.Name, best, ours, theirs));
            var line = new Dictionary<string, object?>
            {
                ["instance"] = instance.Name,
                ["vehicles"] = ours.Vehicles,
                ["distance"] = Math.Round(ours.Distance, 2),
                ["seconds"] = Math.Round(ours.Seconds, 2),
                ["feasible"] = ours.Feasible,
                ["best_known_vehicles"] = best?.Vehicles,
                ["best_known_distance"] = best?.Distance,
                ["gap_percent"] = Gap(ours, best),
                ["dropped"] = ours.Dropped,
            };
            if (theirs is not null)
            {
                line["baseline_vehicles"] = theirs.Vehicles;
                line["baseline_distance"] = Math.Round(theirs.Distance, 2);
                line["baseline_feasible"] = theirs.Feasible;
                line["baseline_gap_percent"] = Gap(theirs, best);
            }

            Console.WriteLine(JsonSerializer.Serialize(line, Json));
        }

        Summarise(results, baseline);
        return allFeasible ? 0 : 1;
    }

    /// <summary>
    /// The tune set is the instances numbered odd (lc101, lc103…), the judge set those numbered
    /// even: settings chosen on one are judged on the other, and both hold every family.
    /// </summary>
    private static bool Selected(string name, HashSet<string> families, HashSet<string> instances, int? parity) =>
        (instances.Count == 0 || instances.Contains(name))
        && (families.Count == 0 || families.Contains(Family(name)))
        && (parity is null || (int.TryParse(name.AsSpan(name.Length - 2), CultureInfo.InvariantCulture, out var n) && n % 2 == parity));

    /// <summary>lrc205 → lrc2: the letters and the first digit.</summary>
    private static string Family(string name)
    {
        var letters = name.TakeWhile(char.IsLetter).Count();
        return name.Length > letters ? name[..(letters + 1)] : name;
    }

    private static Outcome Solve(TourPlanner planner, LiLimInstance instance)
    {
        var clock = Stopwatch.StartNew();
        var plan = planner.Plan(instance.Problem);
        var seconds = clock.Elapsed.TotalSeconds;
        var violations = TourPlanChecker.Check(instance.Problem, plan);
        foreach (var violation in violations)
        {
            Console.Error.WriteLine($"{instance.Name}: {violation}");
        }

        return new Outcome(plan.VehiclesUsed, plan.Metres, seconds, violations.Count == 0 && plan.Dropped.Count == 0, plan.Dropped.Count);
    }

    private static double? Gap(Outcome outcome, (int Vehicles, double Distance)? best) =>
        best is null ? null : Math.Round(100 * (outcome.Distance - best.Value.Distance) / best.Value.Distance, 2) + 0.0;

    /// <summary>Per family: how many instances reach the best-known vehicle count, the extra vehicles, the median and worst gap.</summary>
    private static void Summarise(List<Result> results, bool baseline)
    {
        var known = results.Where(r => r.Best is not null).ToList();
        if (known.Count == 0)
        {
            return;
        }

        var groups = known.GroupBy(r => r.Name.Contains('+', StringComparison.Ordinal) ? "merged" : Family(r.Name)).OrderBy(g => Array.IndexOf(Families, g.Key)).Select(g => (g.Key, Results: g.ToList())).ToList();
        groups.Add(("all", known));
        var table = new List<string>
        {
            baseline
                ? "| family | instances | ValDrome: at best-known vehicles | extra vehicles | median gap | worst gap | out of the box: at best-known vehicles | extra vehicles | median gap | worst gap |"
                : "| family | instances | ValDrome: at best-known vehicles | extra vehicles | median gap | worst gap |",
            baseline ? "|---|---|---|---|---|---|---|---|---|---|" : "|---|---|---|---|---|---|",
        };
        foreach (var (family, group) in groups)
        {
            var ours = Figures(group, r => r.Ours);
            var line = new Dictionary<string, object?> { ["family"] = family, ["instances"] = group.Count, ["at_best_known_vehicles"] = ours.AtBest, ["extra_vehicles"] = ours.Extra, ["median_gap_percent"] = ours.Median, ["worst_gap_percent"] = ours.Worst };
            var row = $"| {family} | {group.Count} | {ours.AtBest} | {ours.Extra} | {ours.Median:0.00} % | {ours.Worst:0.00} % |";
            if (baseline)
            {
                var theirs = Figures(group, r => r.Baseline!);
                line["baseline_at_best_known_vehicles"] = theirs.AtBest;
                line["baseline_extra_vehicles"] = theirs.Extra;
                line["baseline_median_gap_percent"] = theirs.Median;
                line["baseline_worst_gap_percent"] = theirs.Worst;
                row += $" {theirs.AtBest} | {theirs.Extra} | {theirs.Median:0.00} % | {theirs.Worst:0.00} % |";
            }

            Console.WriteLine(JsonSerializer.Serialize(line, Json));
            table.Add(row);
        }

        Console.WriteLine();
        table.ForEach(Console.WriteLine);
    }

    private static (int AtBest, int Extra, double Median, double Worst) Figures(List<Result> group, Func<Result, Outcome> pick)
    {
        var gaps = group.Select(r => Gap(pick(r), r.Best)!.Value).Order().ToArray();
        var median = gaps.Length % 2 == 1 ? gaps[gaps.Length / 2] : (gaps[(gaps.Length / 2) - 1] + gaps[gaps.Length / 2]) / 2;
        return (
            group.Count(r => pick(r).Vehicles <= r.Best!.Value.Vehicles),
            group.Sum(r => Math.Max(0, pick(r).Vehicles - r.Best!.Value.Vehicles)),
            Math.Round(median, 2),
            gaps[^1]);
    }

    private sealed record Outcome(int Vehicles, double Distance, double Seconds, bool Feasible, int Dropped);

    private sealed record Result(string Name, (int Vehicles, double Distance)? Best, Outcome Ours, Outcome? Baseline);

    internal static (int Vehicles, double Distance)? BestKnown(string file, string name)
    {
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, "best-known.json");
        if (!File.Exists(path))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.TryGetProperty(name, out var entry)
            ? (entry.GetProperty("vehicles").GetInt32(), entry.GetProperty("best_known_distance").GetDouble())
            : null;
    }
}

/// <summary><c>--setting name=value</c>: the planner's search knobs, to compare settings from the command line.</summary>
internal static class Settings
{
    public static TourPlannerOptions Apply(TourPlannerOptions options, string setting)
    {
        var parts = setting.Split('=', 2);
        if (parts.Length != 2)
        {
            throw new ArgumentException($"--setting expects name=value, not « {setting} ».");
        }

        var value = parts[1];
        var tuning = options.Tuning;
        return parts[0] switch
        {
            "first" => options with { Tuning = tuning with { FirstPlan = Enum.Parse<FirstPlanHeuristic>(value, true) } },
            "second" => options with { Tuning = tuning with { SecondFirstPlan = Enum.Parse<FirstPlanHeuristic>(value, true) } },
            "meta" => options with { Tuning = tuning with { Metaheuristic = Enum.Parse<SearchMetaheuristic>(value, true) } },
            "reducemeta" => options with { Tuning = tuning with { ReductionMetaheuristic = Enum.Parse<SearchMetaheuristic>(value, true) } },
            "meta2" => options with { Tuning = tuning with { SecondMetaheuristic = Enum.Parse<SearchMetaheuristic>(value, true) } },
            "final" => options with { Tuning = tuning with { DistanceMetaheuristic = Enum.Parse<SearchMetaheuristic>(value, true) } },
            "lambda" => options with { GuidedLocalSearchLambda = double.Parse(value, CultureInfo.InvariantCulture) },
            "phased" => options with { Tuning = tuning with { Phased = bool.Parse(value) } },
            "reduce" => options with { Tuning = tuning with { ReduceVehicles = bool.Parse(value) } },
            "phase1" => options with { Tuning = tuning with { FirstPhaseShare = double.Parse(value, CultureInfo.InvariantCulture) } },
            "phase2" => options with { Tuning = tuning with { ReductionPhaseShare = double.Parse(value, CultureInfo.InvariantCulture) } },
            "ejection" => options with { Tuning = tuning with { EjectionSearch = bool.Parse(value) } },
            "perturb" => options with { Tuning = tuning with { Perturbations = int.Parse(value, CultureInfo.InvariantCulture) } },
            "ruin" => options with { Tuning = tuning with { RuinSize = int.Parse(value, CultureInfo.InvariantCulture) } },
            "t0" => options with { Tuning = tuning with { InitialTemperature = double.Parse(value, CultureInfo.InvariantCulture) } },
            "t1" => options with { Tuning = tuning with { FinalTemperature = double.Parse(value, CultureInfo.InvariantCulture) } },
            "improve" => options with { Tuning = tuning with { ImproveAfterRecreate = bool.Parse(value) } },
            "exact" => options with { ExactOneVehicle = bool.Parse(value) },
            "labels" => options with { MaxLabels = int.Parse(value, CultureInfo.InvariantCulture) },
            "beam" => options with { LabellingBeam = int.Parse(value, CultureInfo.InvariantCulture) },
            "share" => options with { LabellingShare = double.Parse(value, CultureInfo.InvariantCulture) },
            "log" => options with { Tuning = tuning with { OrToolsLog = bool.Parse(value) } },
            _ => throw new ArgumentException($"Unknown setting « {parts[0]} »."),
        };
    }
}
