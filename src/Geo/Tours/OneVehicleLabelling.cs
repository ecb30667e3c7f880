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
/// most tasks, then costs least: the optimum of the planner's objective, not a local one.
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
        private readonly RoutingData data;
        private readonly int nodes;
        private readonly int tasks;
        private readonly long capacity;
        private readonly long dayStart;
        private readonly long dayEnd;
        private readonly bool hasLunch;
        private readonly long lunchEarliest;
        private readonly long lunchLatestStart;
        private readonly long lunchDuration;
        private readonly (long Start, long End)[][] windows; // the model's own (RoutingData.OpenWindows)
        private readonly List<Label> labels = new(1 << 17);
        private readonly Dictionary<long, int> heads = new(1 << 14);
        private readonly long[] power = new long[32];
        private readonly int[] place;        // nodes at one location share a place number

        private readonly long[] travelIn;    // the shortest drive into each node, from anywhere
        private readonly long[] costIn;      // the cheapest arc into each node
        private readonly long[] taskTime;    // service and shortest drives of a task's two stops
        private readonly long[] taskCost;    // the cheapest arcs into a task's two stops
        private readonly int[] byTime;       // tasks by taskTime
        private readonly int[] byCost;       // tasks by taskCost
        private readonly long lastServiceEnd; // no service can start after the last window closes
        private readonly int[] prefix;       // stops pinned from the start, in order
        private readonly int[] after;        // the pinned stop each node must follow, or -1
        private readonly uint pinnedTasks;   // tasks that cannot be left out

        private int[]? bestRoute;
        private int bestServed = -1;
        private long bestCost;
        private int bestGap;

        public Search(RoutingData data)
        {
            this.data = data;
            nodes = data.Nodes;
            tasks = data.Tasks.Count;
            capacity = data.Problem.Vehicles[0].Capacity;
            var day = data.Problem.Day;
            dayStart = data.Scaled(day.Start);
            dayEnd = data.Scaled(day.End);
            if (day.Lunch is { } lunch)
            {
                hasLunch = true;
                lunchEarliest = data.Scaled(lunch.Window.Earliest);
                lunchLatestStart = data.Scaled(lunch.Window.Latest - lunch.DurationSeconds);
                lunchDuration = data.Scaled(lunch.DurationSeconds);
            }

            windows = [.. Enumerable.Range(0, nodes).Select(data.OpenWindows)];

            var places = new Dictionary<int, int>();
            place = [.. Enumerable.Range(0, nodes).Select(n => places.TryGetValue(data.Location[n], out var known) ? known : places[data.Location[n]] = places.Count)];

            prefix = [];
            after = [.. Enumerable.Repeat(-1, nodes)];
            foreach (var pin in data.Problem.Pinned)
            {
                var pinned = pin.Stops.Select(data.Node).ToArray();
                if (pin.FromStart)
                {
                    prefix = pinned;
                }

                for (var k = 1; k < pinned.Length; k++)
                {
                    after[pinned[k]] = pinned[k - 1];
                }

                foreach (var stop in pin.Stops)
                {
                    pinnedTasks |= 1u << data.IndexOf(stop.Task);
                }
            }

            power[0] = 1;
            for (var t = 1; t < power.Length; t++)
            {
                power[t] = power[t - 1] * 3;
            }

            travelIn = new long[nodes];
            costIn = new long[nodes];
            for (var j = 0; j < nodes; j++)
            {
                travelIn[j] = long.MaxValue;
                costIn[j] = long.MaxValue;
                for (var i = 0; i < nodes; i++)
                {
                    if (i != j)
                    {
                        travelIn[j] = Math.Min(travelIn[j], data.Time[i][j] - data.Service[i]);
                        costIn[j] = Math.Min(costIn[j], data.Cost[i][j]);
                    }
                }
            }

            taskTime = new long[tasks];
            taskCost = new long[tasks];
            for (var t = 0; t < tasks; t++)
            {
                int pickup = RoutingData.PickupNode(t), delivery = RoutingData.DeliveryNode(t);
                taskTime[t] = data.Service[pickup] + data.Service[delivery] + travelIn[pickup] + travelIn[delivery];
                taskCost[t] = costIn[pickup] + costIn[delivery];
            }

            byTime = [.. Enumerable.Range(0, tasks).OrderBy(t => taskTime[t])];
            byCost = [.. Enumerable.Range(0, tasks).OrderBy(t => taskCost[t])];
            lastServiceEnd = Enumerable.Range(1, nodes - 1).Select(n => windows[n][^1].End + data.Service[n]).DefaultIfEmpty(dayEnd).Max();
        }

        /// <summary>What a first, narrower search found: the exact one then only keeps what can beat it.</summary>
        public void Seed(Search other)
        {
            (bestRoute, bestServed, bestCost, bestGap) = (other.bestRoute, other.bestServed, other.bestCost, other.bestGap);
        }

        /// <summary>
        /// Labels layer by layer; with a <paramref name="beam"/> only that many labels of each layer
        /// (the earliest) grow, which finds a good plan fast but proves nothing.
        /// </summary>
        /// <returns>The best plan found (null if none keeps the pinned stops), and whether the search went to its end.</returns>
        public (RoutingSolution? Plan, bool Completed) Run(int maxLabels, TimeSpan deadline, Stopwatch clock, CancellationToken cancellationToken, int beam = 0)
        {
            labels.Add(new Label
            {
                Time = dayStart,
                Parent = NoParent,
                Next = NoParent,
                Node = 0,
                BreakBehind = !hasLunch,
            });
            var layer = new List<int> { 0 };
            var next = new List<int>();
            while (layer.Count > 0)
            {
                heads.Clear();
                next.Clear();
                foreach (var index in layer)
                {
                    if (labels[index].Dead)
                    {
                        continue;
                    }

                    Close(index);
                    Extend(index, next);
                    if (labels.Count > maxLabels || clock.Elapsed > deadline || cancellationToken.IsCancellationRequested)
                    {
                        return (Solution(false), false);
                    }
                }

                if (beam > 0 && next.Count > beam)
                {
                    next.RemoveAll(i => labels[i].Dead);
                    next.Sort((a, b) => labels[a].Time != labels[b].Time ? labels[a].Time.CompareTo(labels[b].Time) : labels[a].Cost.CompareTo(labels[b].Cost));
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
            var label = labels[index];
            if (label.Node == 0 || label.Picked != label.Delivered || (label.Delivered & pinnedTasks) != pinnedTasks)
            {
                return;
            }

            var departure = label.Time + data.Service[label.Node];
            var arrival = label.Time + data.Time[label.Node][0];
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
                if (Math.Max(arrival, lunchEarliest) <= lunchLatestStart)
                {
                    end = arrival;
                    gap = stops + 1;
                }
                else if (Math.Max(departure, lunchEarliest) is var start && start <= lunchLatestStart)
                {
                    end = Math.Max(arrival + lunchDuration, start + lunchDuration);
                    gap = stops;
                }
                else
                {
                    return;
                }
            }

            if (end > dayEnd)
            {
                return;
            }

            var served = BitOperations.PopCount(label.Delivered);
            var cost = label.Cost + data.Cost[label.Node][0];
            if (served > bestServed || (served == bestServed && cost < bestCost))
            {
                (bestRoute, bestServed, bestCost, bestGap) = (Path(index, out var legGap), served, cost, gap == -2 ? legGap : gap);
            }
        }

        /// <summary>The stops of a label's route, and the leg where it took its break (-2 if none).</summary>
        private int[] Path(int index, out int gap)
        {
            var path = new List<int>();
            for (var i = index; labels[i].Parent != NoParent; i = labels[i].Parent)
            {
                path.Add(i);
            }

            path.Reverse();
            gap = -2;
            for (var k = 0; k < path.Count; k++)
            {
                if (labels[path[k]].BreakInLeg)
                {
                    gap = k;
                }
            }

            return [.. path.Select(i => (int)labels[i].Node)];
        }

        /// <summary>
        /// The most tasks a route grown from this label could serve: those done and on board, and
        /// as many others as their services and shortest drives fit in the working time left.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int MostServed(in Label label)
        {
            // The break still to take falls before the way back (it can follow the last service,
            // even the return, but never the end of the day).
            var left = Math.Min(dayEnd - travelIn[0] - (label.BreakBehind ? 0 : lunchDuration), lastServiceEnd)
                - (label.Time + data.Service[label.Node]);
            var served = BitOperations.PopCount(label.Picked);
            var onBoard = label.Picked & ~label.Delivered;
            for (var t = 0; onBoard != 0; t++, onBoard >>= 1)
            {
                if ((onBoard & 1) != 0)
                {
                    var delivery = RoutingData.DeliveryNode(t);
                    left -= travelIn[delivery] + data.Service[delivery];
                }
            }

            foreach (var t in byTime)
            {
                if (On(label.Picked, t))
                {
                    continue;
                }

                left -= taskTime[t];
                if (left < 0)
                {
                    break;
                }

                served++;
            }

            return served;
        }

        /// <summary>The least a route grown from this label costs if it serves <paramref name="served"/> tasks.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private long LeastCost(in Label label, int served)
        {
            var need = served - BitOperations.PopCount(label.Picked);
            var onBoard = label.Picked & ~label.Delivered;
            if (need <= 0 && onBoard == 0)
            {
                return label.Cost + data.Cost[label.Node][0];
            }

            var cost = label.Cost + costIn[0];
            for (var t = 0; onBoard != 0; t++, onBoard >>= 1)
            {
                if ((onBoard & 1) != 0)
                {
                    cost += costIn[RoutingData.DeliveryNode(t)];
                }
            }

            foreach (var t in byCost)
            {
                if (need <= 0)
                {
                    break;
                }

                if (!On(label.Picked, t))
                {
                    cost += taskCost[t];
                    need--;
                }
            }

            return cost;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Extend(int index, List<int> next)
        {
            var label = labels[index];
            var from = label.Node;
            var departure = label.Time + data.Service[from];
            var load = 0L;
            var onBoard = label.Picked & ~label.Delivered;
            for (var t = 0; onBoard != 0; t++, onBoard >>= 1)
            {
                if ((onBoard & 1) != 0)
                {
                    load += data.Demand[RoutingData.PickupNode(t)];
                }
            }

            for (var t = 0; t < tasks; t++)
            {
                int to;
                uint picked = label.Picked, delivered = label.Delivered;
                if (!On(label.Picked, t))
                {
                    to = RoutingData.PickupNode(t);
                    if (load + data.Demand[to] > capacity)
                    {
                        continue;
                    }

                    picked |= 1u << t;
                }
                else if (!On(label.Delivered, t))
                {
                    to = RoutingData.DeliveryNode(t);
                    delivered |= 1u << t;
                }
                else
                {
                    continue;
                }

                // Stops pinned by hand: the opening ones first, in order; the others after their predecessor.
                var depth = Depth(label);
                if ((depth < prefix.Length && to != prefix[depth]) || (after[to] >= 0 && !Visited(label, after[to])))
                {
                    continue;
                }

                var arrival = label.Time + data.Time[from][to];
                var child = new Label
                {
                    Cost = label.Cost + data.Cost[from][to],
                    Picked = picked,
                    Delivered = delivered,
                    State = label.State + power[t],
                    Parent = index,
                    Node = (short)to,
                    BreakBehind = label.BreakBehind,
                };
                if (Opening(to, arrival) is { } start)
                {
                    var direct = child with { Time = start };
                    Add(ref direct, next);
                }

                if (!label.BreakBehind && Math.Max(departure, lunchEarliest) is var breakStart && breakStart <= lunchLatestStart
                    && Opening(to, Math.Max(arrival + lunchDuration, breakStart + lunchDuration)) is { } afterBreak)
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
            if (!label.BreakBehind && label.Time + data.Service[label.Node] > lunchLatestStart)
            {
                return;
            }

            // Still back by the end of the day, through the delivery of whatever is on board.
            if (!CanFinish(label))
            {
                return;
            }

            // Nothing grown from it could beat the best plan known: more tasks, or as many for less.
            // (Costs are rounded per arc: the bound keeps a margin of one unit an arc.)
            if (bestServed >= 0 && MostServed(label) is var most
                && (most < bestServed || (most == bestServed && LeastCost(label, most) - (2 * nodes) >= bestCost)))
            {
                return;
            }

            // Stops at one place (several carries from the depot, say) lead to the same futures:
            // labels there compare by the time they leave, whichever of those stops was the last.
            var key = (label.State * 128) + place[label.Node];
            var leaves = label.Time + data.Service[label.Node];
            ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(heads, key, out var exists);
            if (exists)
            {
                var all = CollectionsMarshal.AsSpan(labels);
                for (var other = head; other != NoParent; other = all[other].Next)
                {
                    ref var known = ref all[other];
                    if (known.Dead)
                    {
                        continue;
                    }

                    var knownLeaves = known.Time + data.Service[known.Node];
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

            head = labels.Count;
            next.Add(labels.Count);
            labels.Add(label);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool CanFinish(in Label label)
        {
            if (label.Time + data.Time[label.Node][0] > dayEnd)
            {
                return false;
            }

            var onBoard = label.Picked & ~label.Delivered;
            for (var t = 0; onBoard != 0; t++, onBoard >>= 1)
            {
                if ((onBoard & 1) != 0)
                {
                    var delivery = RoutingData.DeliveryNode(t);
                    if (Opening(delivery, label.Time + data.Time[label.Node][delivery]) is not { } start
                        || start + data.Time[delivery][0] > dayEnd)
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
            foreach (var (start, end) in windows[node])
            {
                if (arrival <= end)
                {
                    return Math.Max(arrival, start);
                }
            }

            return null;
        }

        /// <summary>The stops of a label's route: each pickup and each delivery is one.</summary>
        private static int Depth(in Label label) => BitOperations.PopCount(label.Picked) + BitOperations.PopCount(label.Delivered);

        private static bool Visited(in Label label, int node) =>
            (node % 2 == 1 ? label.Picked : label.Delivered) is var set && (set & (1u << ((node - 1) / 2))) != 0;

        private RoutingSolution? Solution(bool optimal)
        {
            if (bestRoute is null && pinnedTasks != 0)
            {
                return null;
            }

            int[] route = bestRoute ?? [];
            if (hasLunch && route.Length > 0 && bestGap == -2)
            {
                throw new InvalidOperationException("A route without its lunch break.");
            }

            BreakGap?[] breaks = [hasLunch && route.Length > 0 ? new BreakGap(bestGap) : null];
            return new RoutingSolution([route], breaks, false, optimal);
        }

        private static bool On(uint set, int task) => (set & (1u << task)) != 0;
    }
}
