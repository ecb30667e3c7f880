using ValDrome.Geo.Tours;

namespace ValDrome.Tests.Tours;

/// <summary>Small tour problems on a plane in metres, driven at 10 m/s (36 km/h); the depot is location 0 at the origin.</summary>
internal static class Make
{
    public const int Hour = 3600;

    public static readonly TimeWindow AllDay = new(8 * Hour, 17 * Hour);

    public static WorkingDay Day(LunchBreak? lunch = null) => new(8 * Hour, 17 * Hour, lunch);

    /// <summary>Locations at these x coordinates (km) on a line; location 0 is the depot at 0 km.</summary>
    public static EuclideanTravelMatrix Line(params double[] kilometres) =>
        new([(0, 0), .. kilometres.Select(k => (k * 1000, 0.0))], speed: 10);

    public static TransportTask Task(
        string id, int pickup, int delivery, int load = 1,
        TimeWindow? pickupWindow = null, TimeWindow? deliveryWindow = null, int serviceSeconds = 1200) =>
        new(id, new TourStop(pickup, pickupWindow ?? AllDay, serviceSeconds), new TourStop(delivery, deliveryWindow ?? AllDay, serviceSeconds), load);

    /// <summary>A visit: one stop at <paramref name="location"/>, served within <paramref name="window"/> for <paramref name="serviceSeconds"/>.</summary>
    public static TransportTask Visit(string id, int location, TimeWindow window, int serviceSeconds) =>
        TransportTask.Visit(id, new TourStop(location, window, serviceSeconds));

    public static TourProblem Problem(
        ITravelMatrix travel, IReadOnlyList<TransportTask> tasks, int vehicles = 1, int capacity = 1,
        WorkingDay? day = null, IReadOnlyList<PinnedStops>? pinned = null) =>
        new(travel, 0, day ?? Day(), Vehicle.Fleet(vehicles, capacity), tasks, pinned);

    public static TourPlanner Planner(double seconds = 0.5) => new(new TourPlannerOptions { TimeLimit = TimeSpan.FromSeconds(seconds) });

    public static StopRef P(int task) => new(task, StopKind.Pickup);

    public static StopRef D(int task) => new(task, StopKind.Delivery);

    public static StopRef V(int task) => new(task, StopKind.Visit);

    /// <summary>
    /// A route timed by hand, for the checker's tests: each stop served as soon as it is reached
    /// and its first window allows, no lunch.
    /// </summary>
    public static PlannedRoute Route(TourProblem problem, int vehicle, params StopRef[] stops)
    {
        var time = (double)problem.Day.Start;
        var at = problem.Depot;
        var metres = 0.0;
        var load = 0;
        var planned = new List<PlannedStop>();
        foreach (var stop in stops)
        {
            var task = problem.Tasks[stop.Task];
            var spec = stop.Kind == StopKind.Pickup ? task.Pickup : task.Delivery;
            var arrival = time + problem.Travel.Seconds(at, spec.Location);
            metres += problem.Travel.Metres(at, spec.Location);
            var start = Math.Max(arrival, spec.Windows[0].Earliest);
            load += stop.Kind == StopKind.Pickup ? task.Load : -task.Load;
            time = start + spec.ServiceSeconds;
            planned.Add(new PlannedStop(stop.Task, stop.Kind, spec.Location, arrival, start, time, load));
            at = spec.Location;
        }

        metres += problem.Travel.Metres(at, problem.Depot);
        return new PlannedRoute(vehicle, problem.Day.Start, time + problem.Travel.Seconds(at, problem.Depot), planned, null, metres);
    }

    public static TourPlan Plan(params PlannedRoute[] routes) => new(routes, [], SearchOutcome.LocalOptimum, TimeSpan.Zero);

    public static TourPlan Plan(PlannedRoute[] routes, params DroppedTask[] dropped) => new(routes, dropped, SearchOutcome.LocalOptimum, TimeSpan.Zero);

    public static string LiLimPath(string name) => Path.Combine(AppContext.BaseDirectory, "li-lim", name + ".txt");

    /// <summary>
    /// The 56 instances of the 100-task set, kept beside the repository (<c>../shared/data/li-lim</c>
    /// from its root, as the bench reads them) rather than copied into it.
    /// </summary>
    public static string LiLimSetFolder()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ValDrome.sln")))
        {
            root = root.Parent;
        }

        return Path.GetFullPath(Path.Combine(root?.FullName ?? throw new DirectoryNotFoundException("No ValDrome.sln above the test's folder."), "..", "shared", "data", "li-lim"));
    }
}
