namespace ValDrome.Geo.Tours;

/// <summary>
/// The integer view of a problem that OR-Tools works on. Node 0 is the depot; the i-th task kept
/// in the model has its pickup at node 2i + 1 and its delivery at node 2i + 2.
/// </summary>
internal sealed class RoutingData
{
    public RoutingData(TourProblem problem, IReadOnlyList<int> tasks)
    {
        // Fine enough for benchmark units, coarse enough for a day in seconds: windows with
        // holes (mairies closed at lunch) cost OR-Tools memory and time in proportion to the
        // span of a time variable's domain, so keep that span within a few million units.
        TimeScale = 1000;
        while (TimeScale > 1 && problem.Day.End * TimeScale > 5_000_000)
        {
            TimeScale /= 10;
        }

        Problem = problem;
        Tasks = tasks;
        Nodes = 1 + (2 * tasks.Count);
        Location = new int[Nodes];
        Service = new long[Nodes];
        Demand = new long[Nodes];
        Location[0] = problem.Depot;
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = problem.Tasks[tasks[i]];
            Location[PickupNode(i)] = task.Pickup.Location;
            Location[DeliveryNode(i)] = task.Delivery.Location;
            Service[PickupNode(i)] = task.Pickup.ServiceSeconds * TimeScale;
            Service[DeliveryNode(i)] = task.Delivery.ServiceSeconds * TimeScale;
            Demand[PickupNode(i)] = task.Load;
            Demand[DeliveryNode(i)] = -task.Load;
        }

        var travel = problem.Travel;
        var longest = 0.0;
        for (var i = 0; i < Nodes; i++)
        {
            for (var j = 0; j < Nodes; j++)
            {
                longest = Math.Max(longest, travel.Metres(Location[i], Location[j]));
            }
        }

        // Arc costs are integers: scale so that the longest arc is about a million units, which
        // keeps rounding far below a metre and every sum far below 2^63.
        DistanceScale = longest > 0 ? 1e6 / longest : 1;
        Cost = new long[Nodes][];
        Time = new long[Nodes][];
        for (var i = 0; i < Nodes; i++)
        {
            Cost[i] = new long[Nodes];
            Time[i] = new long[Nodes];
            for (var j = 0; j < Nodes; j++)
            {
                Cost[i][j] = (long)Math.Round(travel.Metres(Location[i], Location[j]) * DistanceScale);
                Time[i][j] = i == j ? 0 : Service[i] + (long)Math.Ceiling((travel.Seconds(Location[i], Location[j]) * TimeScale) - 1e-6);
            }
        }

        var arcs = 0.0;
        for (var i = 0; i < Nodes; i++)
        {
            for (var j = 0; j < Nodes; j++)
            {
                arcs += Cost[i][j];
            }
        }

        AverageArcCost = Nodes > 1 ? arcs / (Nodes * (Nodes - 1)) : 0;

        // A vehicle costs more than any route can (hierarchical objective: vehicles first); a
        // task left out costs more than a vehicle and its route together.
        FixedCost = 2 * (Nodes + 1) * 1_000_000L;
        DropPenalty = 2 * FixedCost;
    }

    public TourProblem Problem { get; }

    /// <summary>Solver time units per second. Travel times are rounded up, so a schedule the
    /// solver finds feasible stays feasible in exact arithmetic.</summary>
    public long TimeScale { get; }

    /// <summary>Indices into <see cref="TourProblem.Tasks"/> of the tasks in the model.</summary>
    public IReadOnlyList<int> Tasks { get; }

    public int Nodes { get; }

    public int[] Location { get; }

    public long[] Service { get; }

    public long[] Demand { get; }

    public double DistanceScale { get; }

    public long[][] Cost { get; }

    public long[][] Time { get; }

    public double AverageArcCost { get; }

    public long FixedCost { get; }

    public long DropPenalty { get; }

    public static int PickupNode(int modelTask) => 1 + (2 * modelTask);

    public static int DeliveryNode(int modelTask) => 2 + (2 * modelTask);

    public int Node(StopRef stop)
    {
        var modelTask = IndexOf(stop.Task);
        return stop.Kind == StopKind.Pickup ? PickupNode(modelTask) : DeliveryNode(modelTask);
    }

    public int IndexOf(int task)
    {
        for (var i = 0; i < Tasks.Count; i++)
        {
            if (Tasks[i] == task)
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(task), task, "The task is not in the model.");
    }

    public StopRef StopOf(int node) =>
        new(Tasks[(node - 1) / 2], node % 2 == 1 ? StopKind.Pickup : StopKind.Delivery);

    public TourStop TourStopOf(int node)
    {
        var stop = StopOf(node);
        return Problem.Tasks[stop.Task].Stop(stop.Kind);
    }

    public long Scaled(int seconds) => seconds * TimeScale;

    /// <summary>
    /// When service may start at a node, as the model has it: the stop's windows open during the
    /// working day, clipped to it, in solver units (the depot: the whole day). Sorted, disjoint.
    /// </summary>
    public (long Start, long End)[] OpenWindows(int node)
    {
        var day = Problem.Day;
        if (node == 0)
        {
            return [(Scaled(day.Start), Scaled(day.End))];
        }

        return [.. TourStopOf(node).Windows
            .Where(w => w.Latest >= day.Start && w.Earliest <= day.End)
            .Select(w => (Scaled(Math.Max(w.Earliest, day.Start)), Scaled(Math.Min(w.Latest, day.End))))];
    }
}
