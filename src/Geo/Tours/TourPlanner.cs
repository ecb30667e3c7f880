using System.Diagnostics;

namespace ValDrome.Geo.Tours;

/// <summary>
/// Plans a day's pickups and deliveries with OR-Tools' routing solver: pickup before delivery on
/// the same vehicle, capacities, time windows, the working day and its lunch break, stops pinned
/// by hand. The objective is hierarchical: as many tasks as possible, then as few vehicles, then
/// the shortest distance. Tasks left out come with their reason in French.
/// </summary>
public sealed class TourPlanner(TourPlannerOptions? options = null)
{
    public TourPlannerOptions Options { get; } = options ?? new TourPlannerOptions();

    public TourPlan Plan(TourProblem problem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var clock = Stopwatch.StartNew();
        var dropped = new List<DroppedTask>();
        var kept = new List<int>();
        for (var t = 0; t < problem.Tasks.Count; t++)
        {
            if (TourSchedule.SoloReason(problem, t) is { } reason)
            {
                dropped.Add(new DroppedTask(t, reason));
            }
            else
            {
                kept.Add(t);
            }
        }

        if (kept.Count == 0)
        {
            return new TourPlan([], dropped, SearchOutcome.Optimal, clock.Elapsed);
        }

        // A pinned task that cannot be done even alone is reported as such; the rest keeps its order.
        var keptSet = kept.ToHashSet();
        var pins = problem.Pinned
            .Select(p => (Pin: p, Stops: p.Stops.Where(s => keptSet.Contains(s.Task)).ToArray()))
            .Where(p => p.Stops.Length > 0)
            .Select(p => new PinnedStops(p.Pin.Vehicle, p.Stops, p.Pin.FromStart))
            .ToArray();
        var data = new RoutingData(problem.WithPinned(pins), kept);
        var deadline = Options.TimeLimit - clock.Elapsed;

        RoutingSolution? best;
        if (Options.Threads >= 2)
        {
            var results = new RoutingSolution?[2];
            Parallel.Invoke(
                () => results[0] = Search(data, Options.FirstPlan, clock, deadline, cancellationToken),
                () => results[1] = Search(data, Options.SecondFirstPlan, clock, deadline, cancellationToken));
            best = results[0] is { } first && !(results[1]?.IsBetterThan(first, data) ?? false) ? first : results[1];
        }
        else
        {
            best = Search(data, Options.FirstPlan, clock, deadline, cancellationToken);
        }

        if (best is null)
        {
            dropped.AddRange(kept.Select(t => new DroppedTask(t, DropReason.PinnedOrderInfeasible)));
            return new TourPlan([], Sorted(dropped), SearchOutcome.NoSolution, clock.Elapsed);
        }

        var routes = new List<PlannedRoute>();
        var served = new HashSet<int>();
        for (var v = 0; v < best.Routes.Length; v++)
        {
            if (best.Routes[v].Length == 0)
            {
                continue;
            }

            var stops = best.Routes[v].Select(data.StopOf).ToArray();
            var (route, failure) = TourSchedule.Build(problem, v, stops, best.Breaks[v]?.Gap);
            routes.Add(route ?? throw new InvalidOperationException($"The solver's route for vehicle {v} does not time out ({failure})."));
            served.UnionWith(stops.Select(s => s.Task));
        }

        dropped.AddRange(kept.Where(t => !served.Contains(t)).Select(t => new DroppedTask(t, DropReason.CrowdedOut)));
        var outcome = best.ProvedOptimal ? SearchOutcome.Optimal
            : best.HitTimeLimit ? SearchOutcome.TimeLimitReached
            : SearchOutcome.LocalOptimum;
        return new TourPlan(routes, Sorted(dropped), outcome, clock.Elapsed);
    }

    private void Trace(string message)
    {
        if (Options.LogSearch)
        {
            Console.Error.WriteLine(message);
        }
    }

    private static List<DroppedTask> Sorted(List<DroppedTask> dropped) => [.. dropped.OrderBy(d => d.Task)];

    /// <summary>
    /// One search thread: vehicles first with a fixed cost per vehicle; then try to empty the
    /// smallest route into the others, again and again; then shorten the distance with the
    /// vehicle count held.
    /// </summary>
    private RoutingSolution? Search(RoutingData data, FirstPlanHeuristic firstPlan, Stopwatch clock, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var budget = deadline - clock.Elapsed;
        TimeSpan Remaining() => deadline - clock.Elapsed;
        var vehicles = data.Problem.Vehicles.Count;
        SearchRun Run(int maxVehicles, bool vehicleCost, TimeSpan limit, int[][]? initial) => new()
        {
            MaxVehicles = maxVehicles,
            VehicleCost = vehicleCost,
            FirstPlan = firstPlan,
            Metaheuristic = Options.Metaheuristic,
            Lambda = Options.GuidedLocalSearchLambda,
            Limit = limit,
            Initial = initial,
            Log = Options.LogSearch,
            RuinSize = Options.RuinSize,
            ImproveAfterRecreate = Options.ImproveAfterRecreate,
        };

        var best = RoutingSearch.Solve(data, Run(vehicles, true, budget * Options.FirstPhaseShare, null), cancellationToken);
        if (best is null)
        {
            return null;
        }

        Trace($" phase1 {best.VehiclesUsed} {best.Metres(data):0.00} served {best.NodesServed} at {clock.Elapsed.TotalSeconds:0.00}");
        if (Options.ReduceVehicles)
        {
            var reductionEnd = clock.Elapsed + (budget * Options.ReductionPhaseShare);
            while (best.VehiclesUsed > 1 && reductionEnd - clock.Elapsed > TimeSpan.FromMilliseconds(20) && !cancellationToken.IsCancellationRequested)
            {
                var smallest = Enumerable.Range(0, vehicles)
                    .Where(v => best.Routes[v].Length > 0)
                    .MinBy(v => best.Routes[v].Length);
                var initial = best.Routes.Select((r, v) => v == smallest ? [] : r).ToArray();
                var run = Run(best.VehiclesUsed - 1, false, reductionEnd - clock.Elapsed, initial) with { StopWhenAllServed = best.NodesServed };
                var attempt = RoutingSearch.Solve(data, run, cancellationToken);
                if (attempt is null || !attempt.IsBetterThan(best, data))
                {
                    break;
                }

                best = attempt;
                Trace($" reduced {best.VehiclesUsed} {best.Metres(data):0.00} served {best.NodesServed} at {clock.Elapsed.TotalSeconds:0.00}");
            }
        }

        var remaining = Remaining();
        if (remaining > TimeSpan.FromMilliseconds(10) && !cancellationToken.IsCancellationRequested)
        {
            var final = RoutingSearch.Solve(
                data, Run(best.VehiclesUsed, false, remaining, best.Routes) with { Metaheuristic = Options.DistanceMetaheuristic }, cancellationToken);
            Trace($" final {final?.VehiclesUsed} {final?.Metres(data):0.00} served {final?.NodesServed} at {clock.Elapsed.TotalSeconds:0.00}");
            if (final is not null && final.IsBetterThan(best, data))
            {
                best = final;
            }
            else if (final is not null)
            {
                best = best with { HitTimeLimit = final.HitTimeLimit };
            }
        }

        return best;
    }
}
