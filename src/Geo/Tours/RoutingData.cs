namespace ValDrome.Geo.Tours;

/// <summary>
/// The integer view of a problem that OR-Tools works on. Node 0 is the depot; then each task kept
/// in the model in turn: a carry's pickup and delivery (nodes 2i + 1 and 2i + 2 on a day without
/// visits), a visit's single node.
/// </summary>
internal sealed class RoutingData
{
    private readonly int[] _pickup;
    private readonly int[] _delivery;
    private readonly int[] _taskOf;
    private readonly StopKind[] _kindOf;

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
        var carries = tasks.Count(t => !problem.Tasks[t].IsVisit);
        Nodes = 1 + tasks.Count + carries;
        Location = new int[Nodes];
        Service = new long[Nodes];
        Demand = new long[Nodes];
        Weight = new long[Nodes];
        _pickup = new int[tasks.Count];
        _delivery = new int[tasks.Count];
        _taskOf = new int[Nodes];
        _kindOf = new StopKind[Nodes];
        Location[0] = problem.Depot;
        _taskOf[0] = -1;

        // A visit is a commitment made to a commune (its hours are booked): it weighs more than
        // every carry of the day together, so no search trades one for carries.
        VisitWeight = (2L * carries) + 2;
        var node = 1;
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = problem.Tasks[tasks[i]];
            foreach (var kind in task.Kinds)
            {
                var stop = task.Stop(kind);
                Location[node] = stop.Location;
                Service[node] = stop.ServiceSeconds * TimeScale;
                Demand[node] = kind switch { StopKind.Pickup => task.Load, StopKind.Delivery => -task.Load, _ => 0 };
                Weight[node] = kind == StopKind.Visit ? VisitWeight : 1;
                _taskOf[node] = i;
                _kindOf[node] = kind;
                if (kind != StopKind.Delivery)
                {
                    _pickup[i] = node;
                }

                if (kind != StopKind.Pickup)
                {
                    _delivery[i] = node;
                }

                node++;
            }
        }

        TotalWeight = Weight.Sum();

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

    /// <summary>What serving a node is worth: 1 for each end of a carry, <see cref="VisitWeight"/> for a visit.</summary>
    public long[] Weight { get; }

    public long VisitWeight { get; }

    /// <summary>The weight of every node: a plan that serves it all.</summary>
    public long TotalWeight { get; }

    public double DistanceScale { get; }

    public long[][] Cost { get; }

    public long[][] Time { get; }

    public double AverageArcCost { get; }

    public long FixedCost { get; }

    public long DropPenalty { get; }

    /// <summary>A carry's pickup node, or a visit's node.</summary>
    public int PickupNode(int modelTask) => _pickup[modelTask];

    /// <summary>A carry's delivery node, or a visit's node.</summary>
    public int DeliveryNode(int modelTask) => _delivery[modelTask];

    public bool IsVisit(int modelTask) => Problem.Tasks[Tasks[modelTask]].IsVisit;

    /// <summary>The model task a node serves (-1 for the depot).</summary>
    public int ModelTaskOf(int node) => _taskOf[node];

    public StopKind KindOf(int node) => _kindOf[node];

    public int Node(StopRef stop)
    {
        var modelTask = IndexOf(stop.Task);
        return stop.Kind == StopKind.Delivery ? DeliveryNode(modelTask) : PickupNode(modelTask);
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

    public StopRef StopOf(int node) => new(Tasks[_taskOf[node]], _kindOf[node]);

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
