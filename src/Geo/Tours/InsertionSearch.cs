using System.Diagnostics;

namespace ValDrome.Geo.Tours;

/// <summary>
/// Our own search on days without a lunch break or stops pinned by hand (<see cref="Applies"/>),
/// from a plan that serves every task; both its searches take tasks out of routes and put them
/// back where they fit, which is all it knows of a plan: a stop's service starts within one of its
/// windows, the working day, capacities, a carry's pickup before its delivery on one vehicle.
/// <see cref="EmptyRoutes"/> removes vehicles, one route at a time, by guided ejection search
/// (Nagata and Kobayashi's route minimisation, as they describe it for pickup and delivery with
/// time windows): the emptied route's tasks wait in a stack; each in turn goes into a route where
/// it fits, at its cheapest place; a task that fits nowhere goes in place of one to three tasks of
/// one route, chosen so that they were ejected least often so far, and those wait in turn; a few
/// random moves of tasks, each to one of its three cheapest places, follow each ejection.
/// <see cref="Shorten"/> then shortens the plan by ruin and recreate (ADR 34).
/// OR-Tools plans the other days, and builds the first plan of these.
/// </summary>
internal sealed class InsertionSearch
{
    private readonly RoutingData _data;
    private readonly Random _random;
    private readonly (long Start, long End)[][] _windows;
    private readonly long[] _capacity;
    private readonly long _dayStart;
    private readonly long _dayEnd;
    private readonly int _perturbations;
    private readonly List<int>[] _routes;
    private readonly RouteState?[] _states;
    private readonly int[] _routeOf;
    private readonly int[] _ejections;
    private readonly List<Insertion> _insertions = [];
    private readonly int[][] _neighbours;
    private readonly int[][] _neighbourRank;

    /// <summary>How many tasks of a route, the nearest to the one to place, an ejection chooses from.</summary>
    private const int EjectionCandidates = 12;

    /// <summary>
    /// A random move goes to one of this many cheapest places: to any feasible place at all, moves
    /// stretch long routes with wide windows until nothing fits (lr207, lr211 kept three vehicles).
    /// </summary>
    private const int PerturbationPlaces = 3;

    private InsertionSearch(RoutingData data, RoutingSolution start, int perturbations, int seed)
    {
        _data = data;
        _random = new Random(seed);
        _perturbations = perturbations;
        _windows = [.. Enumerable.Range(0, data.Nodes).Select(data.OpenWindows)];
        _capacity = [.. data.Problem.Vehicles.Select(v => (long)v.Capacity)];
        _dayStart = data.Scaled(data.Problem.Day.Start);
        _dayEnd = data.Scaled(data.Problem.Day.End);
        _routes = [.. start.Routes.Select(r => r.ToList())];
        _states = new RouteState?[_routes.Length];
        _routeOf = new int[data.Tasks.Count];
        _ejections = new int[data.Tasks.Count];
        for (var v = 0; v < _routes.Length; v++)
        {
            foreach (var node in _routes[v])
            {
                _routeOf[data.ModelTaskOf(node)] = v;
            }
        }

        _neighbours = Neighbours();
        _neighbourRank = new int[_neighbours.Length][];
        for (var a = 0; a < _neighbours.Length; a++)
        {
            _neighbourRank[a] = new int[_neighbours.Length];
            for (var k = 0; k < _neighbours[a].Length; k++)
            {
                _neighbourRank[a][_neighbours[a][k]] = k;
            }
        }
    }

    /// <summary>Whether a day is one this search plans: no lunch break, nothing pinned.</summary>
    public static bool Applies(RoutingData data) => data.Problem.Day.Lunch is null && data.Problem.Pinned.Count == 0;

    /// <summary>
    /// The plan with the fewest vehicles found from <paramref name="start"/> (which must serve every
    /// task) by the deadline, each one posted on <paramref name="board"/>; null when no route was
    /// emptied.
    /// </summary>
    public static RoutingSolution? EmptyRoutes(
        RoutingData data, RoutingSolution start, PlanBoard? board, Stopwatch clock, TimeSpan end, int perturbations, int seed, CancellationToken cancellationToken)
    {
        if (!Applies(data) || start.Served(data) != data.TotalWeight || start.VehiclesUsed <= 1)
        {
            return null;
        }

        var search = new InsertionSearch(data, start, perturbations, seed);
        if (!search.AllFeasible())
        {
            // OR-Tools' plan breaks a rule as this search reads them: not a plan to start from.
            return null;
        }

        RoutingSolution? best = null;
        var window = end - clock.Elapsed;
        var deadline = end;
        while (clock.Elapsed < deadline && !cancellationToken.IsCancellationRequested && search.Used().Count() > 1)
        {
            // After a route is gone, the next attempt gets three times what that one took (a twentieth
            // of the phase at least): a route that went easily says little about the next, and
            // time spent on a route that cannot go is taken from the distance.
            var saved = search.Snapshot();
            var began = clock.Elapsed;
            if (!search.EmptyOneRoute(clock, deadline, cancellationToken))
            {
                search.Restore(saved);
                break;
            }

            var next = clock.Elapsed + TimeSpan.FromTicks(Math.Max(3 * (clock.Elapsed - began).Ticks, window.Ticks / 20));
            deadline = next < end ? next : end;

            best = new RoutingSolution([.. search._routes.Select(r => r.ToArray())], new BreakGap?[search._routes.Length], false, false);
            board?.Offer(best);
        }

        return best;
    }

    /// <summary>
    /// The shortest plan found from <paramref name="start"/> (which must serve every task) by the
    /// deadline, on the vehicles it uses, by ruin and recreate: remove a task and its nearest
    /// ones, or strings of stops from the routes near a task; put each back where it costs least
    /// (at times skipping a place, so that the rebuild varies); keep the result by simulated
    /// annealing on the distance. Each better plan is posted on <paramref name="board"/>; null
    /// when none was found.
    /// </summary>
    public static RoutingSolution? Shorten(
        RoutingData data, RoutingSolution start, PlanBoard? board, Stopwatch clock, TimeSpan end, ShorteningSettings settings, CancellationToken cancellationToken)
    {
        if (!Applies(data) || start.Served(data) != data.TotalWeight)
        {
            return null;
        }

        var search = new InsertionSearch(data, start, 0, settings.Seed);
        return search.AllFeasible() ? search.Anneal(board, clock, end, settings, cancellationToken) : null;
    }

    private RoutingSolution? Anneal(PlanBoard? board, Stopwatch clock, TimeSpan end, ShorteningSettings settings, CancellationToken cancellationToken)
    {
        var targets = Used().ToArray();
        var current = Length();
        var bestCost = current;
        RoutingSolution? best = null;
        var begin = clock.Elapsed;
        var span = Math.Max(1e-3, (end - begin).TotalSeconds);
        var hot = settings.InitialTemperature * _data.AverageArcCost;
        var cold = settings.FinalTemperature * _data.AverageArcCost;
        var removed = new List<int>();
        for (var iteration = 0; ; iteration++)
        {
            var elapsed = clock.Elapsed;
            if (elapsed >= end || cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var saved = Snapshot();

            // Ruin, at random: a task and its nearest, up to twice the average ruin size; or strings
            // of consecutive stops from the routes nearest a task (slack induction by string removals).
            var seed = _random.Next(_routeOf.Length);
            removed.Clear();
            if (_random.Next(2) == 0)
            {
                RuinNearest(seed, settings.RuinSize, removed);
            }
            else
            {
                RuinStrings(seed, settings.RuinSize, removed);
            }

            // Recreate: at random, in random order or the farthest from the depot first.
            var order = removed.ToArray();
            if (_random.Next(2) == 0)
            {
                _random.Shuffle(order);
            }
            else
            {
                Array.Sort(order, (a, b) => _data.Cost[0][_data.PickupNode(b)].CompareTo(_data.Cost[0][_data.PickupNode(a)]));
            }

            var rebuilt = true;
            foreach (var task in order)
            {
                if (Cheapest(task, targets, settings.Blink) is not { } insertion)
                {
                    rebuilt = false;
                    break;
                }

                Apply(task, insertion);
            }

            var cost = rebuilt ? Length() : long.MaxValue;
            var temperature = hot * Math.Pow(cold / hot, Math.Min(1, (elapsed - begin).TotalSeconds / span));
            if (rebuilt && cost < current - (temperature * Math.Log(_random.NextDouble())))
            {
                current = cost;
                if (cost < bestCost)
                {
                    bestCost = cost;
                    best = new RoutingSolution([.. _routes.Select(r => r.ToArray())], new BreakGap?[_routes.Length], false, false);
                    board?.Offer(best);
                }
            }
            else
            {
                Restore(saved);
            }
        }

        return best;
    }

    private void RuinNearest(int seed, int average, List<int> removed)
    {
        var size = 1 + _random.Next(Math.Max(1, (2 * average) - 1));
        foreach (var task in _neighbours[seed])
        {
            if (removed.Count >= size)
            {
                break;
            }

            RemoveTask(task);
            removed.Add(task);
        }
    }

    /// <summary>
    /// Strings of consecutive stops, each from another route, taken from the routes of the tasks
    /// nearest <paramref name="seed"/> in turn, each string around that task's pickup; every task
    /// with a stop in a string goes (Christiaens and Vanden Berghe's string removal, on stops:
    /// about <paramref name="average"/> of them, strings of at most ten).
    /// </summary>
    private void RuinStrings(int seed, int average, List<int> removed)
    {
        const int longest = 10;
        var averageLength = _routes.Where(r => r.Count > 0).Average(r => r.Count);
        var cap = Math.Max(1, Math.Min(longest, (int)averageLength));
        var strings = 1 + _random.Next(Math.Max(1, (int)((4.0 * average / (1 + cap)) - 1)));
        var ruined = new HashSet<int>();
        foreach (var task in _neighbours[seed])
        {
            if (ruined.Count >= strings)
            {
                break;
            }

            if (removed.Contains(task))
            {
                continue;
            }

            var v = _routeOf[task];
            var route = _routes[v];
            if (!ruined.Add(v))
            {
                continue;
            }

            var length = 1 + _random.Next(Math.Min(cap, route.Count));
            var at = route.IndexOf(_data.PickupNode(task));
            var start = Math.Clamp(at - _random.Next(length), 0, route.Count - length);
            var tasks = route.GetRange(start, length).Select(_data.ModelTaskOf).Distinct().ToArray();
            foreach (var gone in tasks)
            {
                RemoveTask(gone);
                removed.Add(gone);
            }
        }
    }

    /// <summary>For each task, every task from the nearest (itself first), by its pickup's and delivery's distances.</summary>
    private int[][] Neighbours()
    {
        var tasks = _routeOf.Length;
        var cost = _data.Cost;
        var neighbours = new int[tasks][];
        for (var a = 0; a < tasks; a++)
        {
            var (pa, da) = (_data.PickupNode(a), _data.DeliveryNode(a));
            var distance = new long[tasks];
            for (var b = 0; b < tasks; b++)
            {
                distance[b] = a == b ? -1 : cost[pa][_data.PickupNode(b)] + cost[da][_data.DeliveryNode(b)];
            }

            var order = Enumerable.Range(0, tasks).ToArray();
            Array.Sort(distance, order);
            neighbours[a] = order;
        }

        return neighbours;
    }

    private long Length()
    {
        var total = 0L;
        foreach (var route in _routes)
        {
            var previous = 0;
            foreach (var node in route)
            {
                total += _data.Cost[previous][node];
                previous = node;
            }

            total += route.Count > 0 ? _data.Cost[previous][0] : 0;
        }

        return total;
    }

    /// <summary>The cheapest feasible place for a task in these routes, each place skipped with probability <paramref name="blink"/>.</summary>
    private Insertion? Cheapest(int task, int[] targets, double blink)
    {
        Gather(task, targets);
        return CheapestOf(task, _insertions, null, blink);
    }

    /// <summary>Every feasible place for a task in these routes, into <see cref="_insertions"/>.</summary>
    private void Gather(int task, int[] targets)
    {
        _insertions.Clear();
        foreach (var v in targets)
        {
            Insertions(task, v, State(v), _insertions);
        }
    }

    private long Delta(int task, Insertion insertion, RouteState state)
    {
        var cost = _data.Cost;
        var nodes = state.Nodes;
        var (p, d) = (_data.PickupNode(task), _data.DeliveryNode(task));
        var (a, b) = (nodes[insertion.After], nodes[insertion.After + 1]);
        if (p == d)
        {
            return cost[a][p] + cost[p][b] - cost[a][b];
        }

        if (insertion.DeliveryAfter == insertion.After)
        {
            return cost[a][p] + cost[p][d] + cost[d][b] - cost[a][b];
        }

        var (c, e) = (nodes[insertion.DeliveryAfter], nodes[insertion.DeliveryAfter + 1]);
        return cost[a][p] + cost[p][b] - cost[a][b] + cost[c][d] + cost[d][e] - cost[c][e];
    }

    private IEnumerable<int> Used() => Enumerable.Range(0, _routes.Length).Where(v => _routes[v].Count > 0);

    private bool AllFeasible() => Used().All(v => State(v).Feasible);

    private List<int>[] Snapshot() => [.. _routes.Select(r => r.ToList())];

    private void Restore(List<int>[] saved)
    {
        for (var v = 0; v < _routes.Length; v++)
        {
            _routes[v] = saved[v];
            _states[v] = null;
            foreach (var node in saved[v])
            {
                _routeOf[_data.ModelTaskOf(node)] = v;
            }
        }
    }

    private bool EmptyOneRoute(Stopwatch clock, TimeSpan end, CancellationToken cancellationToken)
    {
        // The shortest route goes first (ties at random): the fewest tasks to find room for.
        var used = Used().ToArray();
        var shortest = used.Min(v => _routes[v].Count);
        var candidates = used.Where(v => _routes[v].Count == shortest).ToArray();
        var emptied = candidates[_random.Next(candidates.Length)];
        var targets = used.Where(v => v != emptied).ToArray();

        var waiting = new Stack<int>(Shuffled(TasksOf(emptied)));
        _routes[emptied].Clear();
        _states[emptied] = null;
        Array.Fill(_ejections, 1);
        while (waiting.Count > 0)
        {
            if (clock.Elapsed >= end || cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            var task = waiting.Pop();
            if (Cheapest(task, targets, 0) is { } place)
            {
                Apply(task, place);
                continue;
            }

            _ejections[task]++;
            if (BestEjection(task, targets) is not { } ejection)
            {
                // Nowhere even in place of three tasks: shake the plan and try it again later.
                Perturb(targets);
                waiting = new Stack<int>([task, .. waiting.Reverse()]);
                continue;
            }

            foreach (var ejected in ejection.Tasks)
            {
                RemoveTask(ejected);
            }

            Apply(task, ejection.Insertion);
            foreach (var ejected in Shuffled(ejection.Tasks))
            {
                waiting.Push(ejected);
            }

            Perturb(targets);
        }
        return true;
    }

    /// <summary>
    /// The cheapest of the places found (on <paramref name="state"/>, else on each place's route),
    /// each skipped with probability <paramref name="blink"/>; null when none is left.
    /// </summary>
    private Insertion? CheapestOf(int task, List<Insertion> found, RouteState? state, double blink)
    {
        Insertion? best = null;
        var bestDelta = long.MaxValue;
        foreach (var insertion in found)
        {
            if (blink > 0 && _random.NextDouble() < blink)
            {
                continue;
            }

            var delta = Delta(task, insertion, state ?? State(insertion.Vehicle));
            if (delta < bestDelta)
            {
                (best, bestDelta) = (insertion, delta);
            }
        }

        return best;
    }

    private int[] TasksOf(int vehicle) => [.. _routes[vehicle].Select(_data.ModelTaskOf).Distinct()];

    private T[] Shuffled<T>(IEnumerable<T> items)
    {
        var array = items.ToArray();
        _random.Shuffle(array);
        return array;
    }

    private RouteState State(int vehicle) => _states[vehicle] ??= RouteState.Build(this, _routes[vehicle], _capacity[vehicle]);

    private void RemoveTask(int task)
    {
        var v = _routeOf[task];
        _routes[v].RemoveAll(n => _data.ModelTaskOf(n) == task);
        _states[v] = null;
    }

    /// <summary>Puts a task in at an insertion found on its route's current state.</summary>
    private void Apply(int task, Insertion insertion)
    {
        var route = _routes[insertion.Vehicle];
        var pickup = _data.PickupNode(task);
        var delivery = _data.DeliveryNode(task);
        route.Insert(insertion.After, pickup);
        if (delivery != pickup)
        {
            route.Insert(insertion.DeliveryAfter + 1, delivery);
        }

        _routeOf[task] = insertion.Vehicle;
        _states[insertion.Vehicle] = null;
    }

    /// <summary>
    /// The task in place of the fewest-ejected tasks of one route (up to three, their ejection
    /// counts summed), at a random one of the least.
    /// </summary>
    private Ejection? BestEjection(int task, int[] targets)
    {
        Ejection? best = null;
        var bestSum = long.MaxValue;
        var ties = 0;
        // On long routes (a day of fifty tasks on two vehicles) only the tasks nearest the one to
        // place are candidates: the subsets of a whole route are too many.
        var rank = _neighbourRank[task];
        var candidates = targets
            .Select(v => TasksOf(v) is var all && all.Length > EjectionCandidates ? [.. all.OrderBy(t => rank[t]).Take(EjectionCandidates)] : all)
            .ToArray();
        for (var size = 1; size <= 3 && best is null; size++)
        {
            for (var r = 0; r < targets.Length; r++)
            {
                var (v, tasks) = (targets[r], candidates[r]);
                if (tasks.Length < size)
                {
                    continue;
                }

                foreach (var subset in Subsets(tasks.Length, size))
                {
                    var sum = 0L;
                    foreach (var k in subset)
                    {
                        sum += _ejections[tasks[k]];
                    }

                    if (sum > bestSum)
                    {
                        continue;
                    }

                    var removed = subset.Select(k => tasks[k]).ToArray();
                    var reduced = _routes[v].Where(n => Array.IndexOf(removed, _data.ModelTaskOf(n)) < 0).ToList();
                    var state = RouteState.Build(this, reduced, _capacity[v]);
                    if (!state.Feasible)
                    {
                        continue;
                    }

                    _insertions.Clear();
                    Insertions(task, v, state, _insertions);
                    if (CheapestOf(task, _insertions, state, 0) is not { } place)
                    {
                        continue;
                    }

                    ties = sum < bestSum ? 1 : ties + 1;
                    bestSum = sum;
                    if (ties == 1 || _random.Next(ties) == 0)
                    {
                        best = new Ejection(removed, place);
                    }
                }
            }
        }

        return best;
    }

    private static IEnumerable<int[]> Subsets(int count, int size)
    {
        var subset = new int[size];
        for (var k = 0; k < size; k++)
        {
            subset[k] = k;
        }

        while (true)
        {
            yield return subset;
            var i = size - 1;
            while (i >= 0 && subset[i] == count - size + i)
            {
                i--;
            }

            if (i < 0)
            {
                yield break;
            }

            subset[i]++;
            for (var k = i + 1; k < size; k++)
            {
                subset[k] = subset[k - 1] + 1;
            }
        }
    }

    /// <summary>Random moves of one task to one of its cheapest feasible places, in any route (its own included).</summary>
    private void Perturb(int[] targets)
    {
        for (var move = 0; move < _perturbations; move++)
        {
            var v = targets[_random.Next(targets.Length)];
            if (_routes[v].Count == 0)
            {
                continue;
            }

            var task = _data.ModelTaskOf(_routes[v][_random.Next(_routes[v].Count)]);
            var before = _routes[v].ToList();
            RemoveTask(task);
            Gather(task, targets);
            if (_insertions.Count == 0)
            {
                // Its own place is always there on a route whose windows are kept; not otherwise.
                _routes[v] = before;
                _states[v] = null;
                _routeOf[task] = v;
                continue;
            }

            Apply(task, AmongCheapest(task, _insertions, PerturbationPlaces));
        }
    }

    /// <summary>A random one of the <paramref name="count"/> cheapest places found.</summary>
    private Insertion AmongCheapest(int task, List<Insertion> found, int count)
    {
        if (found.Count <= count)
        {
            return found[_random.Next(found.Count)];
        }

        var deltas = new long[found.Count];
        for (var k = 0; k < found.Count; k++)
        {
            deltas[k] = Delta(task, found[k], State(found[k].Vehicle));
        }

        var order = Enumerable.Range(0, found.Count).ToArray();
        Array.Sort(deltas, order);
        return found[order[_random.Next(count)]];
    }

    /// <summary>
    /// Every feasible place for a task in a route: its pickup after position
    /// <see cref="Insertion.After"/> of the route (0: the depot), its delivery after
    /// <see cref="Insertion.DeliveryAfter"/> (equal: right after the pickup).
    /// </summary>
    private void Insertions(int task, int vehicle, RouteState route, List<Insertion> found)
    {
        var time = _data.Time;
        var nodes = route.Nodes;
        var last = nodes.Length - 2;
        var pickup = _data.PickupNode(task);
        var delivery = _data.DeliveryNode(task);
        var load = _data.Demand[pickup];
        if (load > route.Capacity)
        {
            return;
        }

        for (var i = 0; i <= last; i++)
        {
            if (route.Load[i] + load > route.Capacity)
            {
                continue;
            }

            var atPickup = Start(pickup, route.Early[i] + time[nodes[i]][pickup]);
            if (atPickup == long.MaxValue)
            {
                continue;
            }

            if (pickup == delivery)
            {
                if (Start(nodes[i + 1], atPickup + time[pickup][nodes[i + 1]]) <= route.Late[i + 1])
                {
                    found.Add(new Insertion(vehicle, i, i));
                }

                continue;
            }

            var atDelivery = Start(delivery, atPickup + time[pickup][delivery]);
            if (atDelivery != long.MaxValue && Start(nodes[i + 1], atDelivery + time[delivery][nodes[i + 1]]) <= route.Late[i + 1])
            {
                found.Add(new Insertion(vehicle, i, i));
            }

            // The pickup delays the stops after it; the delivery goes after one of them.
            var at = atPickup;
            var previous = pickup;
            for (var j = i + 1; j <= last; j++)
            {
                at = Start(nodes[j], at + time[previous][nodes[j]]);
                if (at > route.Late[j] || route.Load[j] + load > route.Capacity)
                {
                    break;
                }

                previous = nodes[j];
                atDelivery = Start(delivery, at + time[previous][delivery]);
                if (atDelivery != long.MaxValue && Start(nodes[j + 1], atDelivery + time[delivery][nodes[j + 1]]) <= route.Late[j + 1])
                {
                    found.Add(new Insertion(vehicle, i, j));
                }
            }
        }
    }

    /// <summary>When service can start at a node reached at <paramref name="arrival"/>; <see cref="long.MaxValue"/> when too late.</summary>
    private long Start(int node, long arrival)
    {
        if (node == 0)
        {
            return arrival <= _dayEnd ? Math.Max(arrival, _dayStart) : long.MaxValue;
        }

        foreach (var (start, end) in _windows[node])
        {
            if (arrival <= end)
            {
                return Math.Max(arrival, start);
            }
        }

        return long.MaxValue;
    }

    /// <summary>The latest service start at a node no later than <paramref name="bound"/>; <see cref="long.MinValue"/> when none.</summary>
    private long Latest(int node, long bound)
    {
        if (node == 0)
        {
            return bound >= _dayStart ? Math.Min(bound, _dayEnd) : long.MinValue;
        }

        var windows = _windows[node];
        for (var k = windows.Length - 1; k >= 0; k--)
        {
            if (windows[k].Start <= bound)
            {
                return Math.Min(bound, windows[k].End);
            }
        }

        return long.MinValue;
    }

    /// <summary>The settings of <see cref="Shorten"/>.</summary>
    /// <param name="RuinSize">Average number of tasks removed by one ruin.</param>
    /// <param name="InitialTemperature">Simulated annealing's starting temperature, in average arcs.</param>
    /// <param name="FinalTemperature">Its final temperature, in average arcs.</param>
    /// <param name="Blink">Probability of skipping a place when recreating.</param>
    /// <param name="Seed">The random sequence's seed.</param>
    internal sealed record ShorteningSettings(int RuinSize, double InitialTemperature, double FinalTemperature, double Blink, int Seed);

    private readonly record struct Insertion(int Vehicle, int After, int DeliveryAfter);

    private sealed record Ejection(int[] Tasks, Insertion Insertion);

    /// <summary>
    /// A route with the depot at both ends: the earliest service start at each position, the latest
    /// that keeps the rest of the route feasible, and the load after each.
    /// </summary>
    private sealed class RouteState
    {
        public required int[] Nodes { get; init; }

        public required long[] Early { get; init; }

        public required long[] Late { get; init; }

        public required long[] Load { get; init; }

        public required long Capacity { get; init; }

        public required bool Feasible { get; init; }

        public static RouteState Build(InsertionSearch search, List<int> route, long capacity)
        {
            var time = search._data.Time;
            var nodes = new int[route.Count + 2];
            for (var k = 0; k < route.Count; k++)
            {
                nodes[k + 1] = route[k];
            }

            var early = new long[nodes.Length];
            var late = new long[nodes.Length];
            var load = new long[nodes.Length];
            var feasible = true;
            early[0] = search._dayStart;
            for (var k = 1; k < nodes.Length; k++)
            {
                early[k] = early[k - 1] == long.MaxValue ? long.MaxValue : search.Start(nodes[k], early[k - 1] + time[nodes[k - 1]][nodes[k]]);
                load[k] = load[k - 1] + search._data.Demand[nodes[k]];
                feasible &= early[k] != long.MaxValue && load[k] <= capacity && load[k] >= 0;
            }

            late[^1] = search._dayEnd;
            for (var k = nodes.Length - 2; k >= 0; k--)
            {
                late[k] = late[k + 1] == long.MinValue ? long.MinValue : search.Latest(nodes[k], late[k + 1] - time[nodes[k]][nodes[k + 1]]);
            }

            return new RouteState { Nodes = nodes, Early = early, Late = late, Load = load, Capacity = capacity, Feasible = feasible };
        }
    }
}
