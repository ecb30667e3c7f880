using ValDrome.Geo.Tours.Benchmarks;

namespace ValDrome.Geo.Tours;

/// <summary>How the first plan is built before local search improves it.</summary>
public enum FirstPlanHeuristic
{
    /// <summary>Insert every task where it costs least, over all routes at once (OR-Tools' default for pickup-and-delivery).</summary>
    ParallelCheapestInsertion,

    /// <summary>Insert tasks one by one, each where it costs least.</summary>
    LocalCheapestInsertion,

    /// <summary>Clarke and Wright's savings.</summary>
    Savings,

    /// <summary>Extend each route with the cheapest next arc.</summary>
    PathCheapestArc,
}

/// <summary>How local search escapes local optima.</summary>
public enum SearchMetaheuristic
{
    GuidedLocalSearch,
    SimulatedAnnealing,
    TabuSearch,

    /// <summary>Plain descent: stops at the first local optimum.</summary>
    None,

    /// <summary>
    /// OR-Tools' iterated local search: ruin part of the plan (slack induction by string
    /// removals), rebuild it by cheapest insertion, descend, accept by simulated annealing.
    /// </summary>
    RuinAndRecreate,
}

/// <summary>
/// The planner's settings. The defaults are the ones measured in <c>bench/README.md</c>; the
/// search's knobs that only the bench turns are apart, in <see cref="Tuning"/>.
/// </summary>
public sealed record TourPlannerOptions
{
    /// <summary>
    /// The settings for a technician's day: one vehicle, a dozen tasks, mairie hours and a lunch
    /// break, under a second. Such a day is solved exactly (<see cref="ExactOneVehicle"/>);
    /// when that gives up, OR-Tools' guided local search penalises features thirty times harder
    /// than its default (λ = 3): on such days the default λ = 0.1 takes seconds to find room
    /// for one more task, λ = 3 finds it within the second (bench/README.md, tours-real). Li &amp; Lim's
    /// large fleets keep the default (λ = 1 already leaves lrc201 10 % off).
    /// </summary>
    public static TourPlannerOptions ForDays { get; } = new() { GuidedLocalSearchLambda = 3.0 };

    /// <summary>Wall-clock budget of one <see cref="TourPlanner.Plan"/> call, model building included.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A day with one vehicle (pinned stops included, up to 32 tasks) is first solved exactly by
    /// labelling (<c>OneVehicleLabelling</c>, ADR 10) on OR-Tools' own integer model; OR-Tools' search runs only
    /// when labelling gives up (more than <see cref="MaxLabels"/> labels, or past
    /// <see cref="LabellingShare"/> of the budget), from labelling's best unproven plan.
    /// </summary>
    public bool ExactOneVehicle { get; init; } = true;

    /// <summary>
    /// How many labels each labelling pass may create before it gives up (48 bytes each: a
    /// million is about 50 MB). The real-sized days of bench/README.md need at most 370,000.
    /// </summary>
    public int MaxLabels { get; init; } = 1_000_000;

    /// <summary>How many partial routes of each length the narrow first pass of labelling keeps.</summary>
    public int LabellingBeam { get; init; } = 2000;

    /// <summary>
    /// Share of the budget the exact search may take before it gives up; OR-Tools then improves
    /// the narrow pass's plan for the rest of the budget.
    /// </summary>
    public double LabellingShare { get; init; } = 0.8;

    /// <summary>OR-Tools' guided local search lambda coefficient (its default is 0.1).</summary>
    public double GuidedLocalSearchLambda { get; init; } = 0.1;

    /// <summary>
    /// The search's other settings, which only the bench changes (ADR 8): the site plans with
    /// their defaults.
    /// </summary>
    public SearchTuning Tuning { get; init; } = new();
}
