using Google.OrTools.ConstraintSolver;
using Google.Protobuf.WellKnownTypes;

namespace ValDrome.Geo.Tours;

/// <summary>Where a route's lunch break falls, as the solver placed it.</summary>
/// <param name="Gap">-1: at the depot before leaving; 0 to n: on the way to stop n (n: back to the depot); n + 1: after returning.</param>
internal readonly record struct BreakGap(int Gap);

/// <summary>Routes as node sequences (depot excluded), one per vehicle, with their breaks.</summary>
internal sealed record RoutingSolution(int[][] Routes, BreakGap?[] Breaks, bool HitTimeLimit, bool ProvedOptimal)
{
    public int VehiclesUsed => Routes.Count(r => r.Length > 0);

    public int NodesServed => Routes.Sum(r => r.Length);

    /// <summary>What the plan serves, visits weighing more than every carry (<see cref="RoutingData.Weight"/>).</summary>
    public long Served(RoutingData data) => Routes.Sum(r => r.Sum(n => data.Weight[n]));

    public double Metres(RoutingData data)
    {
        var travel = data.Problem.Travel;
        var total = 0.0;
        foreach (var route in Routes.Where(r => r.Length > 0))
        {
            var previous = data.Problem.Depot;
            foreach (var node in route)
            {
                total += travel.Metres(previous, data.Location[node]);
                previous = data.Location[node];
            }

            total += travel.Metres(previous, data.Problem.Depot);
        }

        return total;
    }

    /// <summary>Fewer tasks left out first, then fewer vehicles, then a shorter distance.</summary>
    public bool IsBetterThan(RoutingSolution? other, RoutingData data)
    {
        if (other is null)
        {
            return true;
        }

        if (Served(data) != other.Served(data))
        {
            return Served(data) > other.Served(data);
        }

        if (VehiclesUsed != other.VehiclesUsed)
        {
            return VehiclesUsed < other.VehiclesUsed;
        }

        return Metres(data) < other.Metres(data) - 1e-9;
    }
}

/// <summary>
/// The best plan any search of one <see cref="TourPlanner.Plan"/> call has found so far (fewer
/// tasks left out, then fewer vehicles, then shorter), so that a search on one thread can start
/// from what the other found. Only a starting point: its plans have no breaks read.
/// </summary>
internal sealed class PlanBoard(RoutingData data)
{
    private readonly Lock _lock = new();

    private RoutingSolution? _best;

    public RoutingSolution? Best
    {
        get
        {
            lock (_lock)
            {
                return _best;
            }
        }
    }

    public void Offer(RoutingSolution plan)
    {
        lock (_lock)
        {
            if (plan.IsBetterThan(_best, data))
            {
                _best = plan;
            }
        }
    }
}

/// <summary>One OR-Tools search over a <see cref="RoutingData"/>.</summary>
internal sealed record SearchRun
{
    public required int MaxVehicles { get; init; }

    /// <summary>With a fixed cost per used vehicle (vehicles first, then distance).</summary>
    public required bool VehicleCost { get; init; }

    public required FirstPlanHeuristic FirstPlan { get; init; }

    public required SearchMetaheuristic Metaheuristic { get; init; }

    public required double Lambda { get; init; }

    public required TimeSpan Limit { get; init; }

    public int[][]? Initial { get; init; }

    /// <summary>Stop as soon as a solution serves this much (<see cref="RoutingSolution.Served"/>: emptying a route succeeded).</summary>
    public long? StopWhenAllServed { get; init; }

    public bool Log { get; init; }

    /// <summary>Where the run posts its better plans for the other thread.</summary>
    public PlanBoard? Board { get; init; }

    public int RuinSize { get; init; } = 10;

    public bool ImproveAfterRecreate { get; init; } = true;

    public double InitialTemperature { get; init; } = 1;

    public double FinalTemperature { get; init; } = 0.01;
}

internal static class RoutingSearch
{
    /// <summary>The best solution found, or null when none exists (pinned stops that cannot be kept).</summary>
    public static RoutingSolution? Solve(RoutingData data, SearchRun run, CancellationToken cancellationToken)
    {
        var problem = data.Problem;
        var vehicles = problem.Vehicles.Count;
        using var manager = new RoutingIndexManager(data.Nodes, vehicles, 0);
        using var model = new RoutingModel(manager);
        var solver = model.solver();

        model.SetArcCostEvaluatorOfAllVehicles(model.RegisterTransitMatrix(data.Cost));
        if (run.VehicleCost)
        {
            model.SetFixedCostOfAllVehicles(data.FixedCost);
        }

        if (run.MaxVehicles < vehicles)
        {
            model.SetMaximumNumberOfActiveVehicles(run.MaxVehicles);
        }

        var day = problem.Day;
        model.AddDimension(
            model.RegisterTransitMatrix(data.Time), data.Scaled(day.End), data.Scaled(day.End), false, "Time");
        var time = model.GetMutableDimension("Time");
        for (var v = 0; v < vehicles; v++)
        {
            time.CumulVar(model.Start(v)).SetRange(data.Scaled(day.Start), data.Scaled(day.End));
            time.CumulVar(model.End(v)).SetRange(data.Scaled(day.Start), data.Scaled(day.End));
        }

        for (var node = 1; node < data.Nodes; node++)
        {
            SetWindows(time.CumulVar(manager.NodeToIndex(node)), data.OpenWindows(node));
        }

        model.AddDimensionWithVehicleCapacity(
            model.RegisterUnaryTransitVector(data.Demand), 0, [.. problem.Vehicles.Select(v => (long)v.Capacity)], true, "Load");

        var pinned = problem.Pinned.SelectMany(p => p.Stops).Select(s => s.Task).ToHashSet();
        for (var i = 0; i < data.Tasks.Count; i++)
        {
            if (data.IsVisit(i))
            {
                if (!pinned.Contains(data.Tasks[i]))
                {
                    model.AddDisjunction([manager.NodeToIndex(data.PickupNode(i))], data.DropPenalty * data.VisitWeight);
                }

                continue;
            }

            var pickup = manager.NodeToIndex(data.PickupNode(i));
            var delivery = manager.NodeToIndex(data.DeliveryNode(i));
            model.AddPickupAndDelivery(pickup, delivery);
            solver.Add(solver.MakeEquality(model.VehicleVar(pickup), model.VehicleVar(delivery)));
            solver.Add(solver.MakeLessOrEqual(time.CumulVar(pickup), time.CumulVar(delivery)));
            if (!pinned.Contains(data.Tasks[i]))
            {
                model.AddDisjunction([pickup], data.DropPenalty);
                model.AddDisjunction([delivery], data.DropPenalty);
                solver.Add(solver.MakeEquality(model.ActiveVar(pickup), model.ActiveVar(delivery)));
            }
        }

        AddPins(data, manager, model);
        var breaks = AddLunch(data, manager, model, time);

        var parameters = Parameters(run, data);
        VoidToVoid? stopWhenServed = null;
        if (run.StopWhenAllServed is { } target)
        {
            // Without vehicle costs the objective is below one drop penalty exactly when no
            // task is left out: then emptying the route has worked and searching on is waste.
            // (A node's penalty is its weight's worth of drop penalties.)
            var droppable = data.TotalWeight - target;
            stopWhenServed = () =>
            {
                if (model.CostVar().Value() < (droppable + 1) * data.DropPenalty)
                {
                    model.CancelSearch();
                }
            };
            model.AddAtSolutionCallback(stopWhenServed);
        }

        VoidToVoid? share = null;
        if (run.Board is { } board)
        {
            // Every plan better than the run's last one goes on the board, so that the other
            // thread can start from it; reading the routes costs a walk of the nodes.
            var runBest = long.MaxValue;
            share = () =>
            {
                var cost = model.CostVar().Value();
                if (cost < runBest)
                {
                    runBest = cost;
                    board.Offer(new RoutingSolution(CurrentRoutes(manager, model, vehicles), new BreakGap?[vehicles], false, false));
                }
            };
            model.AddAtSolutionCallback(share);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assignment? solution;
        using (cancellationToken.Register(model.CancelSearch))
        {
            Assignment? start = null;
            if (run.Initial is { } initial)
            {
                model.CloseModelWithParameters(parameters);
                var routes = initial.Select(r => r.Select(n => manager.NodeToIndex(n)).ToArray()).ToArray();
                start = model.ReadAssignmentFromRoutes(routes, true);
            }

            if (parameters.UseIteratedLocalSearch)
            {
                // Iterated local search takes no starting assignment, but starts from a hint.
                if (start is not null)
                {
                    model.SetFirstSolutionHint(start);
                }

                solution = model.SolveWithIteratedLocalSearch(parameters);
            }
            else
            {
                solution = start is null ? model.SolveWithParameters(parameters) : model.SolveFromAssignmentWithParameters(start, parameters);
            }
        }

        GC.KeepAlive(stopWhenServed);
        GC.KeepAlive(share);
        // Iterated local search cut before its first plan does not always say it timed out.
        if (solution is null && run.Initial is null
            && (model.GetStatus() == RoutingSearchStatus.Types.Value.RoutingFailTimeout || clock.Elapsed >= run.Limit)
            && !cancellationToken.IsCancellationRequested)
        {
            // Too short a limit for even a first plan (a huge day on a busy machine): a late plan
            // beats none, so build one without a limit and skip the improvement.
            parameters.TimeLimit = null;
            parameters.SolutionLimit = 1;
            parameters.UseIteratedLocalSearch = false;
            solution = model.SolveWithParameters(parameters);
        }

        if (solution is null)
        {
            return null;
        }

        // Metaheuristics never stop by themselves: running up to the limit means it stopped them.
        var status = model.GetStatus();
        var hitLimit = status == RoutingSearchStatus.Types.Value.RoutingPartialSuccessLocalOptimumNotReached
            || clock.Elapsed >= run.Limit * 0.95;
        var result = Read(data, manager, model, time, solution, breaks, hitLimit, status == RoutingSearchStatus.Types.Value.RoutingOptimal);
        if (result.NodesServed == 0 && hitLimit && run.Initial is null && !cancellationToken.IsCancellationRequested)
        {
            // The limit cut the first plan's construction, which then leaves every task out (a
            // one-vehicle test day came back empty under the full suite's load): build it whole.
            parameters.TimeLimit = null;
            parameters.SolutionLimit = 1;
            parameters.UseIteratedLocalSearch = false;
            if (model.SolveWithParameters(parameters) is { } whole)
            {
                var rebuilt = Read(data, manager, model, time, whole, breaks, true, false);
                result = rebuilt.IsBetterThan(result, data) ? rebuilt : result;
            }
        }

        return result;
    }

    private static void SetWindows(IntVar cumul, (long Start, long End)[] open)
    {
        cumul.SetRange(open[0].Start, open[^1].End);
        for (var i = 1; i < open.Length; i++)
        {
            cumul.RemoveInterval(open[i - 1].End + 1, open[i].Start - 1);
        }
    }

    private static void AddPins(RoutingData data, RoutingIndexManager manager, RoutingModel model)
    {
        var problem = data.Problem;
        if (problem.Pinned.Count == 0)
        {
            return;
        }

        var solver = model.solver();
        // A counting dimension: the rank of a stop on its route keeps a hand-made order.
        model.AddDimension(model.RegisterUnaryTransitVector([.. Enumerable.Repeat(1L, data.Nodes)]), 0, data.Nodes + 1, true, "Rank");
        var rank = model.GetMutableDimension("Rank");
        foreach (var pin in problem.Pinned)
        {
            var indices = pin.Stops.Select(s => manager.NodeToIndex(data.Node(s))).ToArray();
            long previous = pin.FromStart ? model.Start(pin.Vehicle) : -1;
            foreach (var index in indices)
            {
                model.VehicleVar(index).SetValue(pin.Vehicle);
                if (pin.FromStart)
                {
                    model.NextVar(previous).SetValue(index);
                }
                else if (previous >= 0)
                {
                    solver.Add(solver.MakeLess(rank.CumulVar(previous), rank.CumulVar(index)));
                }

                previous = index;
            }
        }
    }

    private static IntervalVar?[] AddLunch(RoutingData data, RoutingIndexManager manager, RoutingModel model, RoutingDimension time)
    {
        var vehicles = data.Problem.Vehicles.Count;
        var breaks = new IntervalVar?[vehicles];
        if (data.Problem.Day.Lunch is not { } lunch)
        {
            return breaks;
        }

        var visits = new long[model.Size()];
        for (var index = 0; index < visits.Length; index++)
        {
            visits[index] = model.IsStart(index) ? 0 : data.Service[manager.IndexToNode(index)];
        }

        var solver = model.solver();
        for (var v = 0; v < vehicles; v++)
        {
            var interval = solver.MakeFixedDurationIntervalVar(
                data.Scaled(lunch.Window.Earliest),
                data.Scaled(lunch.Window.Latest - lunch.DurationSeconds),
                data.Scaled(lunch.DurationSeconds),
                false,
                $"lunch {v}");
            time.SetBreakIntervalsOfVehicle(new IntervalVarVector { interval }, v, visits);
            model.AddIntervalToAssignment(interval);
            breaks[v] = interval;
        }

        return breaks;
    }

    internal static RoutingSearchParameters Parameters(SearchRun run, RoutingData data)
    {
        var parameters = operations_research_constraint_solver.DefaultRoutingSearchParameters();
        parameters.FirstSolutionStrategy = run.FirstPlan switch
        {
            FirstPlanHeuristic.ParallelCheapestInsertion => FirstSolutionStrategy.Types.Value.ParallelCheapestInsertion,
            FirstPlanHeuristic.LocalCheapestInsertion => FirstSolutionStrategy.Types.Value.LocalCheapestInsertion,
            FirstPlanHeuristic.Savings => FirstSolutionStrategy.Types.Value.Savings,
            FirstPlanHeuristic.PathCheapestArc => FirstSolutionStrategy.Types.Value.PathCheapestArc,
            _ => throw new ArgumentOutOfRangeException(nameof(run), run.FirstPlan, null),
        };
        // OR-Tools' ruin and recreate aborts the process (a failed CHECK in its constraint
        // solver, "start_max_ == start_min_") on days with a lunch break: the break intervals do
        // not survive a recreate (seen on bench tours-real, van, day 3). Those days get guided
        // local search instead; a native abort cannot be caught.
        var metaheuristic = run.Metaheuristic == SearchMetaheuristic.RuinAndRecreate && data.Problem.Day.Lunch is not null
            ? SearchMetaheuristic.GuidedLocalSearch
            : run.Metaheuristic;
        parameters.LocalSearchMetaheuristic = metaheuristic switch
        {
            SearchMetaheuristic.GuidedLocalSearch => LocalSearchMetaheuristic.Types.Value.GuidedLocalSearch,
            SearchMetaheuristic.SimulatedAnnealing => LocalSearchMetaheuristic.Types.Value.SimulatedAnnealing,
            SearchMetaheuristic.TabuSearch => LocalSearchMetaheuristic.Types.Value.TabuSearch,
            SearchMetaheuristic.None or SearchMetaheuristic.RuinAndRecreate => LocalSearchMetaheuristic.Types.Value.GreedyDescent,
            _ => throw new ArgumentOutOfRangeException(nameof(run), run.Metaheuristic, null),
        };
        parameters.GuidedLocalSearchLambdaCoefficient = run.Lambda;
        if (metaheuristic == SearchMetaheuristic.RuinAndRecreate)
        {
            parameters.UseIteratedLocalSearch = true;
            var iterated = parameters.IteratedLocalSearchParameters;
            iterated.ImprovePerturbedSolution = run.ImproveAfterRecreate;
            iterated.RuinRecreateParameters.RuinStrategies.Clear();
            iterated.RuinRecreateParameters.RuinStrategies.Add(new RuinStrategy
            {
                Sisr = new SISRRuinStrategy { MaxRemovedSequenceSize = 10, AvgNumRemovedVisits = (uint)run.RuinSize, BypassFactor = 0.01 },
            });
            if (run.StopWhenAllServed is not null)
            {
                // Emptying a route: accept what leaves out stops that were rarely left out
                // before (Christiaens and Vanden Berghe's fleet minimisation), not what is short.
                iterated.ReferenceSolutionAcceptanceStrategy = new AcceptanceStrategy { AbsencesBased = new AbsencesBasedAcceptanceStrategy() };
            }
            else
            {
                iterated.ReferenceSolutionAcceptanceStrategy = Annealing(run, data);
            }
        }

        parameters.TimeLimit = Duration.FromTimeSpan(run.Limit < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : run.Limit);
        parameters.LogSearch = run.Log;
        return parameters;
    }

    /// <summary>
    /// Temperatures in units of the average arc, since our costs are scaled integers; zero lets
    /// OR-Tools choose (a tenth to a thousandth of an average arc).
    /// </summary>
    private static AcceptanceStrategy Annealing(SearchRun run, RoutingData data) => new()
    {
        SimulatedAnnealing = run.InitialTemperature > 0
            ? new SimulatedAnnealingAcceptanceStrategy
            {
                CoolingScheduleStrategy = CoolingScheduleStrategy.Types.Value.Exponential,
                InitialTemperature = Math.Max(1, run.InitialTemperature * data.AverageArcCost),
                FinalTemperature = Math.Max(0.01, run.FinalTemperature * data.AverageArcCost),
            }
            : new SimulatedAnnealingAcceptanceStrategy
            {
                CoolingScheduleStrategy = CoolingScheduleStrategy.Types.Value.Exponential,
                AutomaticTemperatures = true,
            },
    };

    /// <summary>The routes of the solution being reported, inside a solution callback.</summary>
    private static int[][] CurrentRoutes(RoutingIndexManager manager, RoutingModel model, int vehicles)
    {
        var routes = new int[vehicles][];
        var nodes = new List<int>();
        for (var v = 0; v < vehicles; v++)
        {
            nodes.Clear();
            var index = model.NextVar(model.Start(v)).Value();
            while (!model.IsEnd(index))
            {
                nodes.Add(manager.IndexToNode(index));
                index = model.NextVar(index).Value();
            }

            routes[v] = [.. nodes];
        }

        return routes;
    }

    private static RoutingSolution Read(
        RoutingData data, RoutingIndexManager manager, RoutingModel model, RoutingDimension time,
        Assignment solution, IntervalVar?[] breaks, bool hitLimit, bool optimal)
    {
        var vehicles = data.Problem.Vehicles.Count;
        var routes = new int[vehicles][];
        var gaps = new BreakGap?[vehicles];
        for (var v = 0; v < vehicles; v++)
        {
            var nodes = new List<int>();
            var cumuls = new List<long> { solution.Value(time.CumulVar(model.Start(v))) };
            var index = solution.Value(model.NextVar(model.Start(v)));
            while (!model.IsEnd(index))
            {
                nodes.Add(manager.IndexToNode(index));
                cumuls.Add(solution.Value(time.CumulVar(index)));
                index = solution.Value(model.NextVar(index));
            }

            cumuls.Add(solution.Value(time.CumulVar(index)));
            routes[v] = [.. nodes];
            if (breaks[v] is { } interval && nodes.Count > 0)
            {
                gaps[v] = GapOf(data, nodes, cumuls, solution.StartValue(interval));
            }
        }

        return new RoutingSolution(routes, gaps, hitLimit, optimal);
    }

    /// <summary>The leg in which a break starting at <paramref name="start"/> falls, from the solver's times.</summary>
    private static BreakGap GapOf(RoutingData data, List<int> nodes, List<long> cumuls, long start)
    {
        var duration = data.Scaled(data.Problem.Day.Lunch!.DurationSeconds);
        if (start + duration <= cumuls[0])
        {
            return new BreakGap(-1);
        }

        if (start >= cumuls[^1])
        {
            return new BreakGap(nodes.Count + 1);
        }

        // Legs: gap g runs from the end of service at stop g - 1 (or leaving the depot) to stop g.
        var gap = 0;
        for (var k = 0; k < nodes.Count; k++)
        {
            if (cumuls[k + 1] + data.Service[nodes[k]] <= start)
            {
                gap = k + 1;
            }
        }

        return new BreakGap(gap);
    }
}
