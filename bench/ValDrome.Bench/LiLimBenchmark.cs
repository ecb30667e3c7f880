using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ValDrome.Geo.Tours;

namespace ValDrome.Bench;

/// <summary>
/// Plans Li &amp; Lim instances with the production planner and checks every plan with the
/// independent checker; one JSON line per instance, compared with best-known.json when it sits
/// next to the instance file.
/// </summary>
internal static class LiLimBenchmark
{
    /// <summary>
    /// The planner's defaults on both cores (see bench/README.md): one thread in phases with
    /// guided local search (vehicles, emptying routes, distance), the other one ruin-and-recreate
    /// run on the hierarchical objective.
    /// </summary>
    public static readonly TourPlannerOptions LiLimOptions = new() { TimeLimit = TimeSpan.FromSeconds(10), Threads = 2 };

    public static int Run(string[] args)
    {
        var files = new List<string>();
        var options = LiLimOptions;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds":
                    options = options with { TimeLimit = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)) };
                    break;
                case "--threads":
                    options = options with { Threads = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                case "--setting":
                    options = Settings.Apply(options, args[++i]);
                    break;
                default:
                    files.Add(args[i]);
                    break;
            }
        }

        if (files.Count == 0)
        {
            Console.Error.WriteLine("li-lim: name at least one instance file.");
            return 2;
        }

        var planner = new TourPlanner(options);
        var allFeasible = true;
        foreach (var file in files)
        {
            var instance = LiLimFile.Read(file);
            var clock = Stopwatch.StartNew();
            var plan = planner.Plan(instance.Problem);
            var seconds = clock.Elapsed.TotalSeconds;
            var violations = TourPlanChecker.Check(instance.Problem, plan);
            foreach (var violation in violations)
            {
                Console.Error.WriteLine($"{instance.Name}: {violation}");
            }

            var feasible = violations.Count == 0 && plan.Dropped.Count == 0;
            allFeasible &= feasible;
            var best = BestKnown(file, instance.Name);
            var line = new Dictionary<string, object?>
            {
                ["instance"] = instance.Name,
                ["vehicles"] = plan.VehiclesUsed,
                ["distance"] = Math.Round(plan.Metres, 2),
                ["seconds"] = Math.Round(seconds, 2),
                ["feasible"] = feasible,
                ["best_known_vehicles"] = best?.Vehicles,
                ["best_known_distance"] = best?.Distance,
                ["gap_percent"] = best is null ? null : Math.Round(100 * (plan.Metres - best.Value.Distance) / best.Value.Distance, 2) + 0.0,
                ["dropped"] = plan.Dropped.Count,
            };
            Console.WriteLine(JsonSerializer.Serialize(line));
        }

        return allFeasible ? 0 : 1;
    }

    private static (int Vehicles, double Distance)? BestKnown(string file, string name)
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
        return parts[0] switch
        {
            "first" => options with { FirstPlan = Enum.Parse<FirstPlanHeuristic>(value, true) },
            "second" => options with { SecondFirstPlan = Enum.Parse<FirstPlanHeuristic>(value, true) },
            "meta" => options with { Metaheuristic = Enum.Parse<SearchMetaheuristic>(value, true) },
            "meta2" => options with { SecondMetaheuristic = Enum.Parse<SearchMetaheuristic>(value, true) },
            "final" => options with { DistanceMetaheuristic = Enum.Parse<SearchMetaheuristic>(value, true) },
            "lambda" => options with { GuidedLocalSearchLambda = double.Parse(value, CultureInfo.InvariantCulture) },
            "phased" => options with { Phased = bool.Parse(value) },
            "reduce" => options with { ReduceVehicles = bool.Parse(value) },
            "phase1" => options with { FirstPhaseShare = double.Parse(value, CultureInfo.InvariantCulture) },
            "phase2" => options with { ReductionPhaseShare = double.Parse(value, CultureInfo.InvariantCulture) },
            "ruin" => options with { RuinSize = int.Parse(value, CultureInfo.InvariantCulture) },
            "t0" => options with { InitialTemperature = double.Parse(value, CultureInfo.InvariantCulture) },
            "t1" => options with { FinalTemperature = double.Parse(value, CultureInfo.InvariantCulture) },
            "improve" => options with { ImproveAfterRecreate = bool.Parse(value) },
            "exact" => options with { ExactOneVehicle = bool.Parse(value) },
            "labels" => options with { MaxLabels = int.Parse(value, CultureInfo.InvariantCulture) },
            "beam" => options with { LabellingBeam = int.Parse(value, CultureInfo.InvariantCulture) },
            "share" => options with { LabellingShare = double.Parse(value, CultureInfo.InvariantCulture) },
            "log" => options with { LogSearch = bool.Parse(value) },
            _ => throw new ArgumentException($"Unknown setting « {parts[0]} »."),
        };
    }
}
