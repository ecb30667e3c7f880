namespace ValDrome.Geo.Tours.Benchmarks;

/// <summary>
/// The planner's search settings that only the bench changes, to compare settings on Li &amp; Lim
/// and on real-sized days (bench/README.md). Their defaults are the measured ones, and the site
/// plans with them; <see cref="TourPlannerOptions"/> keeps what the site sets.
/// </summary>
public sealed record SearchTuning
{
    /// <summary>Searches run side by side (1 or 2); the best plan wins.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// The first thread searches in phases: vehicles first (<see cref="Metaheuristic"/>), then
    /// emptying routes, then the distance with the vehicle count held
    /// (<see cref="DistanceMetaheuristic"/>). Otherwise it runs one <see cref="Metaheuristic"/>
    /// search on the hierarchical objective for the whole time.
    /// </summary>
    public bool Phased { get; init; } = true;

    public FirstPlanHeuristic FirstPlan { get; init; } = FirstPlanHeuristic.ParallelCheapestInsertion;

    /// <summary>The first plan of the second thread, when there are two: it runs one search, vehicles then distance, for the whole time.</summary>
    public FirstPlanHeuristic SecondFirstPlan { get; init; } = FirstPlanHeuristic.ParallelCheapestInsertion;

    /// <summary>The metaheuristic of the first phase (vehicles first) and of the attempts to empty routes.</summary>
    public SearchMetaheuristic Metaheuristic { get; init; } = SearchMetaheuristic.GuidedLocalSearch;

    /// <summary>
    /// The metaheuristic of the attempts to empty a route. Ruin and recreate accepts by absences
    /// there (Christiaens and Vanden Berghe's fleet minimisation), not by distance.
    /// </summary>
    public SearchMetaheuristic ReductionMetaheuristic { get; init; } = SearchMetaheuristic.GuidedLocalSearch;

    /// <summary>The metaheuristic of the second thread, when there are two.</summary>
    public SearchMetaheuristic SecondMetaheuristic { get; init; } = SearchMetaheuristic.RuinAndRecreate;

    /// <summary>The metaheuristic of the last phase, which shortens the distance with the vehicle count held.</summary>
    public SearchMetaheuristic DistanceMetaheuristic { get; init; } = SearchMetaheuristic.GuidedLocalSearch;

    /// <summary>Try to empty routes one at a time, re-inserting their tasks elsewhere.</summary>
    public bool ReduceVehicles { get; init; } = true;

    /// <summary>
    /// Empty routes by guided ejection search (<c>InsertionSearch</c>) on days it plans (no lunch
    /// break, nothing pinned) whose plan serves every task; otherwise, or when false, by OR-Tools.
    /// </summary>
    public bool EjectionSearch { get; init; } = true;

    /// <summary>Random moves of tasks after each ejection of guided ejection search.</summary>
    public int Perturbations { get; init; } = 50;

    /// <summary>Share of the budget spent on the first, vehicle-count-first search; the rest of the budget after the reduction phase goes to the distance.</summary>
    public double FirstPhaseShare { get; init; } = 0.3;

    /// <summary>Share of the budget spent trying to empty routes.</summary>
    public double ReductionPhaseShare { get; init; } = 0.3;

    /// <summary>Average number of stops removed by one ruin (ruin and recreate only).</summary>
    public int RuinSize { get; init; } = 10;

    /// <summary>Simulated annealing's starting temperature, in average arcs (ruin and recreate only).</summary>
    public double InitialTemperature { get; init; } = 1;

    /// <summary>Simulated annealing's final temperature, in average arcs (ruin and recreate only).</summary>
    public double FinalTemperature { get; init; } = 0.01;

    /// <summary>Run a local search descent after each recreate (ruin and recreate only).</summary>
    public bool ImproveAfterRecreate { get; init; }

    /// <summary>OR-Tools' own search log, which its native code prints to standard error: for the bench only.</summary>
    public bool OrToolsLog { get; init; }
}
