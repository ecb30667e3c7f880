using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ValDrome.Geo.Tours;

/// <summary>
/// An exact search for a day with one vehicle, on the very integer model OR-Tools gets
/// (<see cref="RoutingData"/>: scaled costs, travel times rounded up, windows clipped to the day).
/// Forward labelling: a label is a partial route from the depot, known by its last stop, the
/// tasks picked up and those delivered, whether the lunch break is behind it, the earliest time
/// its last service can start and its cost. Every stop is served as early as its windows allow,
/// which is never worse for what follows (no ride-time or waiting limits), so a label that is no
/// later, no dearer and has its break no less behind it than another with the same last stop and
/// tasks makes the other useless: that other is dropped. Labels grow one stop at a time, all
/// routes of k stops before any of k + 1, until none can grow. The best closed route serves the
/// most visits, then the most tasks, then costs least: the optimum of the planner's objective,
/// not a local one. A visit is one stop that picks up and delivers its task at once.
/// </summary>
/// <remarks>
/// The number of labels grows with the tasks that fit in a day and with the vehicle's capacity;
/// past <c>maxLabels</c> or the deadline the search gives up and says so, and the caller
/// falls back on OR-Tools. Stops pinned by hand are kept as the model keeps them: those pinned
/// from the start open the route in their order, the others follow each other, and their tasks
/// are never left out. The hot methods skip the JIT's quick first tier: a site plans a day once
/// in a while, and the first plan must be as fast as the next.
/// </remarks>
internal static class OneVehicleLabelling
{
    private const int NoParent = -1;

    private struct Label
    {
        public long Time;     // service start at Node
        public long Cost;
        public uint Picked;   // tasks picked up (delivered ones included)
        public uint Delivered;
        public long State;    // Σ 3^t × (0 untouched, 1 on board, 2 delivered): with Node, the dominance key
        public int Parent;
        public int Next;      // next label with the same key
        public short Node;
        public bool BreakBehind;
        public bool BreakInLeg; // the break was taken on the way to Node
        public bool Dead;
    }

    /// <summary>Whether labelling can be tried on this model at all.</summary>
    public static bool Applies(RoutingData data) => data.Problem.Vehicles.Count == 1 && data.Tasks.Count <= 32;

    /// <summary>
    /// The optimal plan (<c>Optimal</c>; the plan is null then when the pinned stops cannot be
    /// kept), or, when the exact search gave up (more than <paramref name="maxLabels"/> labels,
    /// past <paramref name="deadline"/>, cancelled), the best plan it had seen (the narrow pass's
    /// or better), good but unproven, for OR-Tools to improve; null when labelling does not apply.
    /// </summary>
    public static (RoutingSolution? Plan, bool Optimal) Solve(
        RoutingData data, int beam, int maxLabels, TimeSpan deadline, Stopwatch clock, CancellationToken cancellationToken)
    {
        if (!Applies(data))
        {
            return (null, false);
        }

        // A narrow pass first for a good plan to prune with (each layer keeps its earliest
        // labels), then the exact one, which only keeps what can beat it.
        var first = new Search(data);
        var (narrow, _) = first.Run(maxLabels, deadline, clock, cancellationToken, beam);
        var search = new Search(data);
        search.Seed(first);
        // Giving up, the exact pass still has the best plan it saw: the narrow one or better.
        var (best, completed) = search.Run(maxLabels, deadline, clock, cancellationToken);
        return completed ? (best, true) : (best ?? narrow, false);
    }

    private sealed class Search
    {
        private readonly RoutingData _data;
        private readonly int _nodes;
        private readonly int _tasks;
        private readonly long _capacity;
        private readonly long _dayStart;
        private readonly long _dayEnd;
        private readonly bool _hasLunch;
        private readonly long _lunchEarliest;
        private readonly long _lunchLatestStart;
        private readonly long _lunchDuration;
        private readonly (long Start, long End)[][] _windows; // the model's own (RoutingData.OpenWindows)
        private readonly List<Label> _labels = new(1 << 17);
        private readonly Dictionary<long, int> _heads = new(1 << 14);
        private readonly long[] _power = new long[32];
        private readonly int[] _place;        // _nodes at one location share a _place number

        private readonly long[] _travelIn;    // the shortest drive into each node, from anywhere
        private readonly long[] _costIn;      // the cheapest arc into each node
        private readonly long[] _taskTime;    // service and shortest drives of a task's two stops
        private readonly long[] _taskCost;    // the cheapest arcs into a task's two stops
        private readonly int[] _byTime;       // _tasks by _taskTime
        private readonly int[] _byCost;       // _tasks by _taskCost
        private readonly long _lastServiceEnd; // no service can start _after the last window closes
        private readonly int[] _prefix;       // stops pinned from the start, in order
        private readonly int[] _after;        // the pinned stop each node must follow, or -1
        private readonly uint _pinnedTasks;   // _tasks that cannot be left out
        private readonly uint _visits;        // _tasks that are visits: one stop, picked up and delivered at once

        private int[]? _bestRoute;
        private long _bestServed = -1;        // Score of the best route: visits weigh more than every carry
        private long _bestCost;
        private int _bestGap;

        public Search(RoutingData data)
        {
            _data = data;
            _nodes = _data.Nodes;
            _tasks = _data.Tasks.Count;
            _capacity = _data.Problem.Vehicles[0].Capacity;
            var day = _data.Problem.Day;
            _dayStart = _data.Scaled(day.Start);
            _dayEnd = _data.Scaled(day.End);
            if (day.Lunch is { } lunch)
            {
                _hasLunch = true;
                _lunchEarliest = _data.Scaled(lunch.Window.Earliest);
                _lunchLatestStart = _data.Scaled(lunch.Window.Latest - lunch.DurationSeconds);
                _lunchDuration = _data.Scaled(lunch.DurationSeconds);
            }

            _windows = [.. Enumerable.Range(0, _nodes).Select(_data.OpenWindows)];

            var places = new Dictionary<int, int>();
            _place = [.. Enumerable.Range(0, _nodes).Select(n => places.TryGetValue(_data.Location[n], out var known) ? known : places[_data.Location[n]] = places.Count)];

            _prefix = [];
            _after = [.. Enumerable.Repeat(-1, _nodes)];
            foreach (var pin in _data.Problem.Pinned)
            {
                var pinned = pin.Stops.Select(_data.Node).ToArray();
                if (pin.FromStart)
                {
                    _prefix = pinned;
                }

                for (var k = 1; k < pinned.Length; k++)
                {
                    _after[pinned[k]] = pinned[k - 1];
                }

                foreach (var stop in pin.Stops)
                {
                    _pinnedTasks |= 1u << _data.IndexOf(stop.Task);
                }
            }

            for (var t = 0; t < _tasks; t++)
            {
                _visits |= _data.IsVisit(t) ? 1u << t : 0;
            }

            _power[0] = 1;
            for (var t = 1; t < _power.Length; t++)
            {
                _power[t] = _power[t - 1] * 3;
            }

            _travelIn = new long[_nodes];
            _costIn = new long[_nodes];
            for (var j = 0; j < _nodes; j++)
            {
                _travelIn[j] = long.MaxValue;
                _costIn[j] = long.MaxValue;
                for (var i = 0; i < _nodes; i++)
                {
                    if (i != j)
                    {
                        _travelIn[j] = Math.Min(_travelIn[j], _data.Time[i][j] - _data.Service[i]);
                        _costIn[j] = Math.Min(_costIn[j], _data.Cost[i][j]);
                    }
                }
            }

            _taskTime = new long[_tasks];
            _taskCost = new long[_tasks];
            for (var t = 0; t < _tasks; t++)
            {
                int pickup = _data.PickupNode(t), delivery = _data.DeliveryNode(t);
                _taskTime[t] = _data.Service[pickup] + _travelIn[pickup] + (On(_visits, t) ? 0 : _data.Service[delivery] + _travelIn[delivery]);
                _taskCost[t] = _costIn[pickup] + (On(_visits, t) ? 0 : _costIn[delivery]);
            }

            _byTime = [.. Enumerable.Range(0, _tasks).OrderBy(t => _taskTime[t])];
            _byCost = [.. Enumerable.Range(0, _tasks).OrderBy(t => _taskCost[t])];
            _lastServiceEnd = Enumerable.Range(1, _nodes - 1).Select(n => _windows[n][^1].End + _data.Service[n]).DefaultIfEmpty(_dayEnd).Max();
        }

        /// <summary>What a first, narrower search found: the exact one then only keeps what can beat it.</summary>
        public void Seed(Search other)
        {
            (_bestRoute, _bestServed, _bestCost, _bestGap) = (other._bestRoute, other._bestServed, other._bestCost, other._bestGap);
        }

        /// <summary>
        /// Labels layer by layer; with a <paramref name="beam"/> only that many _labels of each layer
        /// (the earliest) grow, which finds a good plan fast but proves nothing.
        /// </summary>
        /// <returns>The best plan found (null if none keeps the pinned stops), and whether the search went to its end.</returns>
        public (RoutingSolution? Plan, bool Completed) Run(int maxLabels, TimeSpan deadline, Stopwatch clock, CancellationToken cancellationToken, int beam = 0)
        {
            _labels.Add(new Label
            {
                Time = _dayStart,
                Parent = NoParent,
                Next = NoParent,
                Node = 0,
                BreakBehind = !_hasLunch,
            });
            var layer = new List<int> { 0 };
            var next = new List<int>();
            while (layer.Count > 0)
            {
                _heads.Clear();
                next.Clear();
                foreach (var index in layer)
                {
                    if (_labels[index].Dead)
                    {
                        continue;
                    }

                    Close(index);
                    Extend(index, next);
                    if (_labels.Count > maxLabels || clock.Elapsed > deadline || cancellationToken.IsCancellationRequested)
                    {
                        return (Solution(false), false);
                    }
                }

                if (beam > 0 && next.Count > beam)
                {
                    next.RemoveAll(i => _labels[i].Dead);
                    next.Sort((a, b) => _labels[a].Time != _labels[b].Time ? _labels[a].Time.CompareTo(_labels[b].Time) : _labels[a].Cost.CompareTo(_labels[b].Cost));
                    next.RemoveRange(Math.Min(beam, next.Count), Math.Max(0, next.Count - beam));
                }

                (layer, next) = (next, layer);
            }

            return (Solution(beam == 0), true);
        }

        /// <summary>Back to the depot from this label, when nothing is left on board.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Close(int index)
        {
            var label = _labels[index];
            if (label.Node == 0 || label.Picked != label.Delivered || (label.Delivered & _pinnedTasks) != _pinnedTasks)
            {
                return;
            }

            var departure = label.Time + _data.Service[label.Node];
            var arrival = label.Time + _data.Time[label.Node][0];
            var gap = -2; // no break: none needed or taken already
            long end;
            if (label.BreakBehind)
            {
                end = arrival;
            }
            else
            {
                // After returning when it still fits, otherwise on the way back.
                var stops = Depth(label);
                if (Math.Max(arrival, _lunchEarliest) <= _lunchLatestStart)
                {
                    end = arrival;
                    gap = stops + 1;
                }
                else if (Math.Max(departure, _lunchEarliest) is var start && start <= _lunchLatestStart)
                {
                    end = Math.Max(arrival + _lunchDuration, start + _lunchDuration);
                    gap = stops;
                }
                else
                {
                    return;
                }
            }

            if (end > _dayEnd)
            {
                return;
            }

            var served = Score(label.Delivered);
            var cost = label.Cost + _data.Cost[label.Node][0];
            if (served > _bestServed || (served == _bestServed && cost < _bestCost))
            {
                (_bestRoute, _bestServed, _bestCost, _bestGap) = (Path(index, out var legGap), served, cost, gap == -2 ? legGap : gap);
            }
        }

        /// <summary>The stops of a label's route, and the leg where it took its break (-2 if none).</summary>
        private int[] Path(int index, out int gap)
        {
            var path = new List<int>();
            for (var i = index; _labels[i].Parent != NoParent; i = _labels[i].Parent)
            {
                path.Add(i);
            }

            path.Reverse();
            gap = -2;
            for (var k = 0; k < path.Count; k++)
            {
                if (_labels[path[k]].BreakInLeg)
                {
                    gap = k;
                }
            }

            return [.. path.Select(i => (int)_labels[i].Node)];
        }

        /// <summary>
        /// The most _tasks a route grown from this label could serve: those done and on board, and
        /// as many others as their services and shortest drives fit in the working time left.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int MostServed(in Label label)
        {
            // The break still to take falls before the way back (it can follow the last service,
            // even the return, but never the end of the day).
            var left = Math.Min(_dayEnd - _travelIn[0] - (label.BreakBehind ? 0 : _lunchDuration), _lastServiceEnd)
                - (label.Time + _data.Service[label.Node]);
            var served = BitOperations.PopCount(label.Picked);
            var onBoard = label.Picked & ~label.Delivered;
            for (var t = 0; onBoard != 0; t++, onBoard >>= 1)
            {
                if ((onBoard & 1) != 0)
                {
                    var delivery = _data.DeliveryNode(t);
                    left -= _travelIn[delivery] + _data.Service[delivery];
                }
            }

            foreach (var t in _byTime)
            {
                if (On(label.Picked, t))
                {
                    continue;
                }

                left -= _taskTime[t];
                if (left < 0)
                {
                    break;
                }

                served++;
            }

            return served;
        }

        /// <summary>The least a route grown from this label costs if it serves <paramref name="served"/> _tasks.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private long LeastCost(in Label label, int served)
        {
            var need = served - BitOperations.PopCount(label.Picked);
            var onBoard = label.Picked & ~label.Delivered;
            if (need <= 0 && onBoard == 0)
            {
                return label.Cost + _data.Cost[label.Node][0];
            }

            var cost = label.Cost + _costIn[0];
            for (var t = 0; onBoard != 0; t++, onBoard >>= 1)
            {
                if ((onBoard & 1) != 0)
                {
                    cost += _costIn[_data.DeliveryNode(t)];
                }
            }

            foreach (var t in _byCost)
            {
                if (need <= 0)
                {
                    break;
                }

                if (!On(label.Picked, t))
                {
                    cost += _taskCost[t];
                    need--;
                }
            }

            return cost;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Extend(int index, List<int> next)
        {
            var label = _labels[index];
            var from = label.Node;
            var departure = label.Time + _data.Service[from];
            var load = 0L;
            var onBoard = label.Picked & ~label.Delivered;
            for (var t = 0; onBoard != 0; t++, onBoard >>= 1)
            {
                if ((onBoard & 1) != 0)
                {
                    load += _data.Demand[_data.PickupNode(t)];
                }
            }

            for (var t = 0; t < _tasks; t++)
            {
                int to;
                uint picked = label.Picked, delivered = label.Delivered;
                if (!On(label.Picked, t))
                {
                    to = _data.PickupNode(t);
                    if (load + _data.Demand[to] > _capacity)
                    {
                        continue;
                    }

                    picked |= 1u << t;
                    delivered |= _visits & (1u << t);
                }
                else if (!On(label.Delivered, t))
                {
                    to = _data.DeliveryNode(t);
                    delivered |= 1u << t;
                }
                else
                {
                    continue;
                }

                // Stops pinned by hand: the opening ones first, in order; the others _after their predecessor.
                var depth = Depth(label);
                if ((depth < _prefix.Length && to != _prefix[depth]) || (_after[to] >= 0 && !Visited(label, _after[to])))
                {
                    continue;
                }

                var arrival = label.Time + _data.Time[from][to];
                var child = new Label
                {
                    Cost = label.Cost + _data.Cost[from][to],
                    Picked = picked,
                    Delivered = delivered,
                    State = label.State + _power[t],
                    Parent = index,
                    Node = (short)to,
                    BreakBehind = label.BreakBehind,
                };
                if (Opening(to, arrival) is { } start)
                {
                    var direct = child with { Time = start };
                    Add(ref direct, next);
                }

                if (!label.BreakBehind && Math.Max(departure, _lunchEarliest) is var breakStart && breakStart <= _lunchLatestStart
                    && Opening(to, Math.Max(arrival + _lunchDuration, breakStart + _lunchDuration)) is { } afterBreak)
                {
                    var rested = child with { Time = afterBreak, BreakBehind = true, BreakInLeg = true };
                    Add(ref rested, next);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Add(ref Label label, List<int> next)
        {
            // Without the break behind it, the label must leave early enough to take it later.
            if (!label.BreakBehind && label.Time + _data.Service[label.Node] > _lunchLatestStart)
            {
                return;
            }

            // Still back by the end of the day, through the delivery of whatever is on board.
            if (!CanFinish(label))
            {
                return;
            }

            // Nothing grown from it could beat the best plan known: more _tasks, or as many for less.
            // (Costs are rounded per arc: the bound keeps a margin of one unit an arc.) A route
            // reaching the score bound serves every visit still possible and the most _tasks, so
            // the cost bound for that many _tasks holds for it.
            if (_bestServed >= 0 && MostServed(label) is var most && MostScore(most) is var score
                && (score < _bestServed || (score == _bestServed && LeastCost(label, most) - (2 * _nodes) >= _bestCost)))
            {
                return;
            }

            // Stops at one _place (several carries from the depot, say) lead to the same futures:
            // _labels there compare by the time they leave, whichever of those stops was the last.
            var key = (label.State * 128) + _place[label.Node];
            var leaves = label.Time + _data.Service[label.Node];
            ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(_heads, key, out var exists);
            if (exists)
            {
                var all = CollectionsMarshal.AsSpan(_labels);
                for (var other = head; other != NoParent; other = all[other].Next)
                {
                    ref var known = ref all[other];
                    if (known.Dead)
                    {
                        continue;
                    }

                    var knownLeaves = known.Time + _data.Service[known.Node];
                    if (knownLeaves <= leaves && known.Cost <= label.Cost && (known.BreakBehind || !label.BreakBehind))
                    {
                        return;
                    }

                    if (leaves <= knownLeaves && label.Cost <= known.Cost && (label.BreakBehind || !known.BreakBehind))
                    {
                        known.Dead = true;
                    }
                }

                label.Next = head;
            }
            else
            {
                label.Next = NoParent;
            }

            head = _labels.Count;
            next.Add(_labels.Count);
            _labels.Add(label);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool CanFinish(in Label label)
        {
            if (label.Time + _data.Time[label.Node][0] > _dayEnd)
            {
                return false;
            }

            var onBoard = label.Picked & ~label.Delivered;
            for (var t = 0; onBoard != 0; t++, onBoard >>= 1)
            {
                if ((onBoard & 1) != 0)
                {
                    var delivery = _data.DeliveryNode(t);
                    if (Opening(delivery, label.Time + _data.Time[label.Node][delivery]) is not { } start
                        || start + _data.Time[delivery][0] > _dayEnd)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private long? Opening(int node, long arrival)
        {
            foreach (var (start, end) in _windows[node])
            {
                if (arrival <= end)
                {
                    return Math.Max(arrival, start);
                }
            }

            return null;
        }

        /// <summary>The stops of a label's route: each pickup, each delivery and each visit is one.</summary>
        private int Depth(in Label label) => BitOperations.PopCount(label.Picked) + BitOperations.PopCount(label.Delivered & ~_visits);

        private bool Visited(in Label label, int node) =>
            (_data.KindOf(node) == StopKind.Delivery ? label.Delivered : label.Picked) is var set && (set & (1u << _data.ModelTaskOf(node))) != 0;

        /// <summary>
        /// What a route that served these _tasks is worth, as <see cref="RoutingSolution.Served"/>
        /// counts it: a carry's two nodes 1 each, a visit more than all carries together.
        /// </summary>
        private long Score(uint delivered) =>
            (2L * BitOperations.PopCount(delivered & ~_visits)) + (_data.VisitWeight * BitOperations.PopCount(delivered & _visits));

        /// <summary>
        /// The best score a route grown from a label could reach if it served <paramref name="most"/>
        /// _tasks (<see cref="MostServed"/>): as many visits among them as there are (a visit is never
        /// on board, so none is lost until the route closes).
        /// </summary>
        private long MostScore(int most)
        {
            var reachable = Math.Min(BitOperations.PopCount(_visits), most);
            return (2L * (most - reachable)) + (_data.VisitWeight * reachable);
        }

        private RoutingSolution? Solution(bool optimal)
        {
            if (_bestRoute is null && _pinnedTasks != 0)
            {
                return null;
            }

            int[] route = _bestRoute ?? [];
            if (_hasLunch && route.Length > 0 && _bestGap == -2)
            {
                throw new InvalidOperationException("A route without its lunch break.");
            }

            BreakGap?[] breaks = [_hasLunch && route.Length > 0 ? new BreakGap(_bestGap) : null];
            return new RoutingSolution([route], breaks, false, optimal);
        }

        private static bool On(uint set, int task) => (set & (1u << task)) != 0;
    }
}
