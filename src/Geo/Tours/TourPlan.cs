namespace ValDrome.Geo.Tours;

/// <summary>
/// One stop of a route. Times are seconds from the start of the day: the vehicle arrives, may
/// wait for the window to open, serves, leaves. <see cref="LoadAfter"/> is what it carries on leaving.
/// </summary>
public sealed record PlannedStop(int Task, StopKind Kind, int Location, double Arrival, double ServiceStart, double Departure, int LoadAfter);

/// <summary>
/// The lunch break of a route. It is taken at the depot before <see cref="PlannedRoute.Start"/>
/// or after <see cref="PlannedRoute.End"/>, or on the way between two stops: then the leg's
/// driving and the break both fit between the departure from one stop and the service at the next.
/// </summary>
public sealed record PlannedBreak(double Start, double End);

/// <summary>
/// The route of one vehicle (index into <see cref="TourProblem.Vehicles"/>): it leaves the depot
/// at <see cref="Start"/>, serves <see cref="Stops"/> in order, and is back at <see cref="End"/>.
/// </summary>
public sealed record PlannedRoute(int Vehicle, double Start, double End, IReadOnlyList<PlannedStop> Stops, PlannedBreak? Lunch, double Metres)
{
    /// <summary>Time from leaving the depot to being back, waiting and service included.</summary>
    public double Seconds => End - Start;
}

public enum DropReason
{
    /// <summary>A stop cannot be served within its opening hours, even on a route of its own.</summary>
    OutsideOpeningHours,

    /// <summary>The load is larger than any vehicle can carry.</summary>
    OverCapacity,

    /// <summary>Alone from the depot, the task would still end after the working day.</summary>
    WorkingDayTooShort,

    /// <summary>Feasible alone, but not together with the stops that were kept.</summary>
    CrowdedOut,

    /// <summary>The stops pinned by hand cannot all be served in that order.</summary>
    PinnedOrderInfeasible,
}

public sealed record DroppedTask(int Task, DropReason Reason)
{
    /// <summary>The reason as the technician reads it.</summary>
    public string Explanation => ExplanationOf(Reason);

    public static string ExplanationOf(DropReason reason) => reason switch
    {
        DropReason.OutsideOpeningHours => "Hors des horaires d'ouverture de la mairie",
        DropReason.OverCapacity => "Capacité du véhicule dépassée",
        DropReason.WorkingDayTooShort => "Journée de travail trop courte",
        DropReason.CrowdedOut => "Ne tient pas dans la journée avec les autres arrêts",
        DropReason.PinnedOrderInfeasible => "L'ordre fixé à la main n'est pas réalisable",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}

/// <summary>What the search could say about the plan it returns.</summary>
public enum SearchOutcome
{
    /// <summary>No plan at all (only possible when pinned stops are infeasible).</summary>
    NoSolution,

    /// <summary>The time limit stopped the search: a better plan may exist.</summary>
    TimeLimitReached,

    /// <summary>The search ended by itself in a local optimum before the limit.</summary>
    LocalOptimum,

    /// <summary>The search proved the plan optimal.</summary>
    Optimal,
}

public sealed record TourPlan(IReadOnlyList<PlannedRoute> Routes, IReadOnlyList<DroppedTask> Dropped, SearchOutcome Outcome, TimeSpan Elapsed)
{
    public double Metres => Routes.Sum(r => r.Metres);

    public double Seconds => Routes.Sum(r => r.Seconds);

    public int VehiclesUsed => Routes.Count;
}
