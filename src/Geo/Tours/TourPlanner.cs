using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ValDrome.Geo.Tours;

/// <summary>
/// Plans a day's pickups and deliveries, and visits (one stop, nothing carried): pickup before
/// delivery on the same vehicle, capacities, time windows, the working day and its lunch break,
/// stops pinned by hand. The objective is hierarchical: as many visits as possible, then as many
/// tasks, then as few vehicles, then the shortest distance.
/// A one-vehicle day is solved exactly (<see cref="OneVehicleLabelling"/>, ADR 10); other days,
/// and those labelling gives up on, are searched by OR-Tools' routing solver, and on days without
/// a lunch break or pins, once a plan serves every task, by our own <see cref="InsertionSearch"/>
/// (routes emptied by guided ejection search, the distance by ruin and recreate, ADR 34). Tasks left out
/// come with their reason in French. The search's progress goes to <paramref name="logger"/> at
/// debug level (nowhere by default).
/// </summary>
public sealed partial class TourPlanner(TourPlannerOptions? options = null, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public TourPlannerOptions Options { get; } = options ?? new TourPlannerOptions();

    /// <summary>
    /// Loads OR-Tools' native library and compiles the search once, on a one-task day: the first
    /// OR-Tools search of a process otherwise spends about 0.2 s of its budget on that. A site
    /// calls this when it starts.
    /// </summary>
    public static void WarmUp()
    {
        TourStop Stop(int location) => new(location, new TimeWindow(0, 36_000), 60);
        var problem = new TourProblem(
            ArrayTravelMatrix.AtSpeed(new double[,] { { 0, 1000, 1000 }, { 1000, 0, 1000 }, { 1000, 1000, 0 } }, 10),
            0, new WorkingDay(0, 36_000), [new Vehicle("warm-up", 1)], [new TransportTask("warm-up", Stop(1), Stop(2), 1)]);
        new TourPlanner(new TourPlannerOptions { ExactOneVehicle = false, TimeLimit = TimeSpan.FromMilliseconds(50) }).Plan(problem);
        new TourPlanner(new TourPlannerOptions { TimeLimit = TimeSpan.FromMilliseconds(50) }).Plan(problem);
    }

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

        var (labelled, optimal) = Options.ExactOneVehicle
            ? OneVehicleLabelling.Solve(data, Options.LabellingBeam, Options.MaxLabels, Options.TimeLimit * Options.LabellingShare, clock, cancellationToken)
            : (null, false);
        if (labelled is not null && _logger.IsEnabled(LogLevel.Debug))
        {
            var metres = labelled.Metres(data);
            LogLabelling(_logger, optimal ? "optimal" : "gave up", labelled.NodesServed, metres, clock.Elapsed.TotalSeconds);
        }

        if (!optimal && labelled is { NodesServed: 0 })
        {
            // Labelling gave up before it closed a single route (its budget gone before it began,
            // on a busy machine): an empty plan is no plan to start from nor to return. OR-Tools
            // builds its own first plan, past the limit if it must (RoutingSearch.Solve).
            labelled = null;
        }

        RoutingSolution? best;
        if (optimal)
        {
            best = labelled;
        }
        else if (labelled is not null)
        {
            // Labelling ran out of budget: OR-Tools improves its best plan with the time left.
            // With no time left for that (a busy machine) and tasks left out, OR-Tools' first plan,
            // built past the limit, may serve more: the better of the two is kept.
            var improved = Shortest(data, labelled, null, clock, Options.TimeLimit, cancellationToken)
                ?? (labelled.Served(data) < data.TotalWeight && !cancellationToken.IsCancellationRequested
                    ? RoutingSearch.Solve(data, Run(data.Problem.Vehicles.Count, true, TimeSpan.Zero, null), cancellationToken)
                    : null);
            best = improved is not null && improved.IsBetterThan(labelled, data) ? improved : labelled;
        }
        else
        {
            // The first thread searches in phases (vehicles, then distance from that plan) or in one
            // run; a second one, when there are two, runs one search on the hierarchical objective
            // for the whole time.
            // Both post their better plans on one board: each phase of the first starts from the
            // best plan either has found.
            var board = new PlanBoard(data);
            (best, _) = OnThreads(
                data,
                () => Options.Tuning.Phased
                    ? InPhases(data, board, clock, cancellationToken)
                    : InOneRun(data, board, Options.Tuning.FirstPlan, Options.Tuning.Metaheuristic, clock, cancellationToken),
                () => SecondThread(data, board, clock, cancellationToken));

            // Never return less than the board holds: every plan on it is a solution of the
            // model. Its plans have no breaks read, so only a day without a lunch break takes one.
            if (data.Problem.Day.Lunch is null && board.Best is { } posted && posted.IsBetterThan(best, data))
            {
                best = posted with { HitTimeLimit = true };
            }
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Labelling: {Outcome}, {Stops} stops, {Metres:0.00} m, at {Seconds:0.00} s")]
    private static partial void LogLabelling(ILogger logger, string outcome, int stops, double metres, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Phase} ({FirstPlan}, {Metaheuristic}): {Vehicles} vehicles, {Metres:0.00} m, {Stops} stops, at {Seconds:0.00} s")]
    private static partial void LogSearch(
        ILogger logger, string phase, FirstPlanHeuristic firstPlan, SearchMetaheuristic metaheuristic, int? vehicles, double? metres, int? stops, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Distance phase (ruin and recreate of our own): {Vehicles} vehicles, {Metres:0.00} m, at {Seconds:0.00} s")]
    private static partial void LogShortening(ILogger logger, int? vehicles, double? metres, double seconds);

    private void Progress(string phase, FirstPlanHeuristic firstPlan, SearchMetaheuristic metaheuristic, RoutingSolution? result, RoutingData data, Stopwatch clock)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var metres = result?.Metres(data);
            LogSearch(_logger, phase, firstPlan, metaheuristic, result?.VehiclesUsed, metres, result?.NodesServed, clock.Elapsed.TotalSeconds);
        }
    }

    private static List<DroppedTask> Sorted(List<DroppedTask> dropped) => [.. dropped.OrderBy(d => d.Task)];

    /// <summary>Runs one search, or both side by side; the better result first.</summary>
    private (RoutingSolution? Best, RoutingSolution? Other) OnThreads(RoutingData data, Func<RoutingSolution?> first, Func<RoutingSolution?> second)
    {
        if (Options.Tuning.Threads < 2)
        {
            return (first(), null);
        }

        var results = new RoutingSolution?[2];
        System.Threading.Tasks.Parallel.Invoke(() => results[0] = first(), () => results[1] = second());
        return results[1] is { } b && b.IsBetterThan(results[0], data) ? (b, results[0]) : (results[0], results[1]);
    }

    private RoutingSolution? InPhases(RoutingData data, PlanBoard board, Stopwatch clock, CancellationToken cancellationToken)
    {
        var reductionEnd = clock.Elapsed + ((Options.TimeLimit - clock.Elapsed) * (Options.Tuning.FirstPhaseShare + Options.Tuning.ReductionPhaseShare));
        var best = FewestVehicles(data, board, clock, reductionEnd, cancellationToken);
        if (best is null)
        {
            return null;
        }

        var shortest = Shortest(data, Better(board.Best, best, data), board, clock, Options.TimeLimit, cancellationToken);
        return shortest is not null && shortest.IsBetterThan(best, data)
            ? shortest
            : best with { HitTimeLimit = best.HitTimeLimit || (shortest?.HitTimeLimit ?? false) };
    }

    /// <summary>The better of two plans, <paramref name="own"/> when equal.</summary>
    private static RoutingSolution Better(RoutingSolution? other, RoutingSolution own, RoutingData data) =>
        other is not null && other.IsBetterThan(own, data) ? other : own;

    private RoutingSolution? InOneRun(
        RoutingData data, PlanBoard board, FirstPlanHeuristic firstPlan, SearchMetaheuristic metaheuristic, Stopwatch clock, CancellationToken cancellationToken)
    {
        var run = Run(data.Problem.Vehicles.Count, true, Options.TimeLimit - clock.Elapsed, null) with
        {
            FirstPlan = firstPlan,
            Metaheuristic = metaheuristic,
            Board = board,
        };
        var result = RoutingSearch.Solve(data, run, cancellationToken);
        Progress("One run", firstPlan, metaheuristic, result, data, clock);

        return result;
    }

    /// <summary>
    /// The second thread: one OR-Tools search on the hierarchical objective. On a day our insertion
    /// search plans (ADR 34), only until the first thread's routes are emptied; then our ruin and
    /// recreate, on its own random sequence, from the best plan either thread has found, so that
    /// two searches shorten the plan with the fewest vehicles.
    /// </summary>
    private RoutingSolution? SecondThread(RoutingData data, PlanBoard board, Stopwatch clock, CancellationToken cancellationToken)
    {
        var tuning = Options.Tuning;
        var ours = tuning.Phased && tuning.ReduceVehicles && Ours(data);
        var until = ours
            ? clock.Elapsed + ((Options.TimeLimit - clock.Elapsed) * (tuning.FirstPhaseShare + tuning.ReductionPhaseShare))
            : Options.TimeLimit;
        var run = Run(data.Problem.Vehicles.Count, true, until - clock.Elapsed, null) with
        {
            FirstPlan = tuning.SecondFirstPlan,
            Metaheuristic = tuning.SecondMetaheuristic,
            Board = board,
        };
        var result = RoutingSearch.Solve(data, run, cancellationToken);
        Progress("One run", tuning.SecondFirstPlan, tuning.SecondMetaheuristic, result, data, clock);
        if (!ours || result is null)
        {
            return result;
        }

        var shorter = InsertionSearch.Shorten(data, Better(board.Best, result, data), board, clock, Options.TimeLimit, Shortening(2), cancellationToken);
        LogShorter(shorter, data, clock);
        return shorter is not null && shorter.IsBetterThan(result, data) ? shorter : result;
    }

    /// <summary>Whether our insertion search plans this day (ADR 34), once a plan serves every task.</summary>
    private bool Ours(RoutingData data) => Options.Tuning.EjectionSearch && InsertionSearch.Applies(data);

    private InsertionSearch.ShorteningSettings Shortening(int seed) =>
        new(Math.Max(1, Options.Tuning.RuinSize / 2), Options.Tuning.InitialTemperature, Options.Tuning.FinalTemperature, 0.01, seed);

    private void LogShorter(RoutingSolution? shorter, RoutingData data, Stopwatch clock)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var metres = shorter?.Metres(data);
            LogShortening(_logger, shorter?.VehiclesUsed, metres, clock.Elapsed.TotalSeconds);
        }
    }

    private SearchRun Run(int maxVehicles, bool vehicleCost, TimeSpan limit, int[][]? initial) => new()
    {
        MaxVehicles = maxVehicles,
        VehicleCost = vehicleCost,
        FirstPlan = Options.Tuning.FirstPlan,
        Metaheuristic = Options.Tuning.Metaheuristic,
        Lambda = Options.GuidedLocalSearchLambda,
        Limit = limit,
        Initial = initial,
        Log = Options.Tuning.OrToolsLog,
        RuinSize = Options.Tuning.RuinSize,
        ImproveAfterRecreate = Options.Tuning.ImproveAfterRecreate,
        InitialTemperature = Options.Tuning.InitialTemperature,
        FinalTemperature = Options.Tuning.FinalTemperature,
    };

    /// <summary>
    /// Vehicles first, with a fixed cost per vehicle; then try to empty the smallest route into
    /// the others, again and again, until an attempt fails or the phase is over.
    /// </summary>
    private RoutingSolution? FewestVehicles(RoutingData data, PlanBoard board, Stopwatch clock, TimeSpan end, CancellationToken cancellationToken)
    {
        var (firstPlan, metaheuristic) = (Options.Tuning.FirstPlan, Options.Tuning.Metaheuristic);
        var vehicles = data.Problem.Vehicles.Count;
        var firstPhase = (end - clock.Elapsed) * (Options.Tuning.FirstPhaseShare / (Options.Tuning.FirstPhaseShare + Options.Tuning.ReductionPhaseShare));
        var best = RoutingSearch.Solve(
            data, Run(vehicles, true, firstPhase, null) with { FirstPlan = firstPlan, Metaheuristic = metaheuristic, Board = board }, cancellationToken);
        if (best is null)
        {
            return null;
        }

        Progress("First phase", firstPlan, metaheuristic, best, data, clock);
        if (Options.Tuning.ReduceVehicles && Ours(data))
        {
            // Start from the fewest vehicles either thread has found so far.
            var from = board.Best is { } fewer && fewer.IsBetterThan(best, data) && fewer.VehiclesUsed < best.VehiclesUsed ? fewer : best;
            if (from.Served(data) == data.TotalWeight)
            {
                var reduced = InsertionSearch.EmptyRoutes(data, from, board, clock, end, Options.Tuning.Perturbations, 1, cancellationToken);
                best = reduced ?? from;
                Progress("Routes emptied by ejection", firstPlan, metaheuristic, best, data, clock);
                return best;
            }
        }

        var failed = new HashSet<int>();
        while (Options.Tuning.ReduceVehicles && end - clock.Elapsed > TimeSpan.FromMilliseconds(20)
            && !cancellationToken.IsCancellationRequested)
        {
            // The other thread may have found fewer vehicles meanwhile: empty a route of that plan.
            // Only then: a plan of as many vehicles but shorter is not easier to empty, and
            // emptying this thread's own plans keeps the two searches apart (lc109 loses its
            // ninth vehicle from guided local search's plan, not from ruin and recreate's).
            if (board.Best is { } posted && posted.IsBetterThan(best, data) && posted.VehiclesUsed < best.VehiclesUsed)
            {
                failed.Clear();
                best = posted;
            }

            if (best.VehiclesUsed <= 1)
            {
                break;
            }

            // Empty the smallest route not yet tried at this vehicle count; the first try gets
            // most of the time left, a second route gets the rest.
            var candidates = Enumerable.Range(0, vehicles)
                .Where(v => best.Routes[v].Length > 0 && !failed.Contains(v))
                .OrderBy(v => best.Routes[v].Length)
                .ToArray();
            if (candidates.Length == 0 || failed.Count >= 2)
            {
                break;
            }

            var emptied = candidates[0];
            var initial = best.Routes.Select((r, v) => v == emptied ? [] : r).ToArray();
            var limit = failed.Count == 0 ? (end - clock.Elapsed) * 0.6 : end - clock.Elapsed;
            var run = Run(best.VehiclesUsed - 1, false, limit, initial) with
            {
                Metaheuristic = Options.Tuning.ReductionMetaheuristic,
                StopWhenAllServed = best.Served(data),
                Board = board,
            };
            var attempt = RoutingSearch.Solve(data, run, cancellationToken);
            if (attempt is null || !attempt.IsBetterThan(best, data))
            {
                failed.Add(emptied);
                continue;
            }

            best = attempt;
            failed.Clear();
            Progress("Route emptied", firstPlan, metaheuristic, best, data, clock);
        }

        return best;
    }

    /// <summary>
    /// The shortest distance found with the vehicle count of <paramref name="start"/> held, from
    /// that plan (ruin and recreate takes it as OR-Tools' first-solution hint).
    /// </summary>
    private RoutingSolution? Shortest(RoutingData data, RoutingSolution start, PlanBoard? board, Stopwatch clock, TimeSpan end, CancellationToken cancellationToken)
    {
        var metaheuristic = Options.Tuning.DistanceMetaheuristic;
        var remaining = end - clock.Elapsed;
        if (remaining <= TimeSpan.FromMilliseconds(10) || cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        if (Ours(data) && start.Served(data) == data.TotalWeight)
        {
            var shorter = InsertionSearch.Shorten(data, start, board, clock, end, Shortening(1), cancellationToken);
            LogShorter(shorter, data, clock);
            return shorter;
        }

        var run = Run(Math.Max(1, start.VehiclesUsed), false, remaining, start.Routes) with { Metaheuristic = metaheuristic, Board = board };
        var result = RoutingSearch.Solve(data, run, cancellationToken);
        Progress("Distance phase", Options.Tuning.FirstPlan, metaheuristic, result, data, clock);
        return result;
    }
}
