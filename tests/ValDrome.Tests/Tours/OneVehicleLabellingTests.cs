using ValDrome.Geo.Tours;
using static ValDrome.Tests.Tours.Make;

namespace ValDrome.Tests.Tours;

/// <summary>
/// The exact search for one-vehicle days: on small days it must find what trying every subset,
/// every order and every place of the lunch break finds; on a real-sized day it must never do
/// worse than OR-Tools searching for longer.
/// </summary>
public sealed class OneVehicleLabellingTests
{
    // Labelling returns as soon as it has proved its plan: a generous budget only keeps a slow,
    // busy test machine (Debug build, other tests alongside) from making it give up.
    private static readonly TourPlanner Exact = new(new TourPlannerOptions { TimeLimit = TimeSpan.FromSeconds(60), MaxLabels = 10_000_000 });

    /// <summary>
    /// A seeded small day on a 40 km square: mairie hours, narrow windows or the whole day,
    /// 20 to 60 minutes a stop, loads of 1 or 2, a lunch break on odd seeds (sometimes a tight
    /// one). Tight enough that some tasks do not fit.
    /// </summary>
    private static TourProblem SmallDay(int seed, int taskCount, int capacity, int places = 7)
    {
        var random = new Random(seed);
        var points = Enumerable.Range(0, places).Select(i => i == 0 ? (0.0, 0.0) : (random.NextDouble() * 40_000, random.NextDouble() * 40_000)).ToArray();
        var travel = new EuclideanTravelMatrix(points, speed: 10);
        TimeWindow[] Windows()
        {
            switch (random.Next(3))
            {
                case 0:
                    return [new((int)(8.5 * Hour), 12 * Hour), new((int)(13.5 * Hour), 17 * Hour)];
                case 1:
                    var opens = random.Next(8, 15) * Hour;
                    return [new(opens, opens + (2 * Hour))];
                default:
                    return [AllDay];
            }
        }

        var tasks = Enumerable.Range(0, taskCount).Select(t =>
        {
            var from = random.Next(0, points.Length);
            var to = (from + random.Next(1, points.Length)) % points.Length;
            return new TransportTask(
                $"t{t}",
                new TourStop(from, Windows(), random.Next(20, 61) * 60),
                new TourStop(to, Windows(), random.Next(20, 61) * 60),
                random.Next(1, 3));
        }).ToArray();
        // A lunch break on odd seeds, with room to move or none to spare.
        var day = seed % 2 == 0 ? Day()
            : Day(new LunchBreak(new TimeWindow(12 * Hour, random.Next(2) == 0 ? 14 * Hour : 13 * Hour + (5 * 60)), Hour));
        return new TourProblem(travel, 0, day, [new Vehicle("fourgon", capacity)], tasks);
    }

    /// <summary>Every subset of tasks, every order keeping pickups first and the load within capacity, every leg for the break.</summary>
    private static (int Served, double Metres) Exhaustive(TourProblem problem)
    {
        var best = (Served: 0, Metres: 0.0);
        var tasks = problem.Tasks.Count;
        var capacity = problem.Vehicles[0].Capacity;
        var sequence = new List<StopRef>();

        void Consider()
        {
            IEnumerable<int?> gaps = problem.Day.Lunch is null ? [null] : Enumerable.Range(-1, sequence.Count + 3).Select(g => (int?)g);
            foreach (var gap in gaps)
            {
                if (TourSchedule.Build(problem, 0, sequence, gap).Route is { } route)
                {
                    var served = sequence.Count / 2;
                    if (served > best.Served || (served == best.Served && route.Metres < best.Metres))
                    {
                        best = (served, route.Metres);
                    }
                }
            }
        }

        void Grow(int picked, int delivered, int load)
        {
            if (picked == delivered && sequence.Count > 0)
            {
                Consider();
            }

            for (var t = 0; t < tasks; t++)
            {
                var bit = 1 << t;
                if ((picked & bit) == 0 && load + problem.Tasks[t].Load <= capacity)
                {
                    sequence.Add(P(t));
                    Grow(picked | bit, delivered, load + problem.Tasks[t].Load);
                    sequence.RemoveAt(sequence.Count - 1);
                }
                else if ((picked & bit) != 0 && (delivered & bit) == 0)
                {
                    sequence.Add(D(t));
                    Grow(picked, delivered | bit, load - problem.Tasks[t].Load);
                    sequence.RemoveAt(sequence.Count - 1);
                }
            }
        }

        Grow(0, 0, 0);
        return best;
    }

    /// <summary>Plans exactly, checks the plan, and asserts it serves as many tasks as the exhaustive search, as short.</summary>
    private static TourPlan PlanAsEveryOrderWould(TourProblem problem)
    {
        var expected = Exhaustive(problem);

        var plan = Exact.Plan(problem);

        Assert.Empty(TourPlanChecker.Check(problem, plan));
        Assert.Equal(SearchOutcome.Optimal, plan.Outcome);
        Assert.Equal(expected.Served, problem.Tasks.Count - plan.Dropped.Count);
        Assert.Equal(expected.Metres, plan.Metres, 3);
        return plan;
    }

    [Fact]
    public void On_small_days_it_finds_what_trying_every_order_finds()
    {
        var leftOut = 0;
        for (var seed = 1; seed <= 60; seed++)
        {
            var plan = PlanAsEveryOrderWould(SmallDay(seed, taskCount: 4, capacity: seed % 3 == 0 ? 1 : 3));
            leftOut += plan.Dropped.Count;
        }

        // The days are tight enough for the comparison to mean something.
        Assert.InRange(leftOut, 10, 60 * 3);
    }

    [Fact]
    public void On_small_days_with_few_places_it_finds_what_trying_every_order_finds()
    {
        // Five tasks between three places: many stops share a place, each with its own service
        // time and windows, so labels compare by the time they leave the place.
        for (var seed = 1; seed <= 8; seed++)
        {
            PlanAsEveryOrderWould(SmallDay(seed, taskCount: 5, capacity: 4, places: 3));
        }
    }

    [Fact]
    public void Routes_at_one_place_compare_by_when_they_leave_it()
    {
        // Both pickups are at the same mairie, 10 km out: a takes an hour, b opens at 9:00.
        // Picking up a then b starts b at 9:17 and leaves at 9:27, in time for c's pickup 10 km
        // on (9:40–10:00); b then a starts a at 9:10 but leaves at 10:10, too late. The later
        // start is the better route: at one place, labels compare by the time they leave.
        var problem = Problem(
            Line(10, 20),
            [
                Task("a", 1, 2, serviceSeconds: Hour),
                Task("b", 1, 2, pickupWindow: new TimeWindow(9 * Hour, 17 * Hour), serviceSeconds: 600),
                Task("c", 2, 0, pickupWindow: new TimeWindow(9 * Hour + 2400, 10 * Hour), serviceSeconds: 600),
            ],
            capacity: 3);

        var plan = Exact.Plan(problem);

        Assert.Empty(TourPlanChecker.Check(problem, plan));
        Assert.Empty(plan.Dropped);
        var route = Assert.Single(plan.Routes).Stops.Select(s => new StopRef(s.Task, s.Kind)).ToArray();
        Assert.Equal([P(0), P(1)], route[..2]);
        Assert.Equal(40_000, plan.Metres, 3);
    }

    [Fact]
    public void A_break_taken_early_is_kept_even_though_skipping_it_arrives_earlier()
    {
        // Serving the pickup at 11:30 without a break leaves no room for one before the
        // delivery closes at 12:45; only the break on the way out (11:00–12:00), pickup at
        // 12:00, works. A partial route that has had its break must not lose to an earlier one
        // that has not.
        var lunch = new LunchBreak(new TimeWindow(11 * Hour, 13 * Hour), Hour);
        var problem = Problem(
            Line(10, 11),
            [Task("a", 1, 2, pickupWindow: new TimeWindow((int)(11.5 * Hour), (int)(12.5 * Hour)), deliveryWindow: new TimeWindow((int)(12 * Hour + 1200), (int)(12.75 * Hour)))],
            day: Day(lunch));

        var plan = Exact.Plan(problem);

        Assert.Empty(TourPlanChecker.Check(problem, plan));
        Assert.Equal(SearchOutcome.Optimal, plan.Outcome);
        Assert.Empty(plan.Dropped);
        var route = Assert.Single(plan.Routes);
        Assert.Equal(12 * Hour, route.Stops[0].ServiceStart, 6);
        Assert.True(route.Lunch!.End <= route.Stops[0].ServiceStart);
    }

    /// <summary>A real-sized day: 14 tasks between 20 villages of a 30 km square, mairie hours, a lunch break, a van for three loads.</summary>
    private static TourProblem RealSizedDay(int seed)
    {
        var random = new Random(seed);
        var points = Enumerable.Range(0, 21).Select(i => i == 0 ? (15_000.0, 15_000.0) : (random.NextDouble() * 30_000, random.NextDouble() * 30_000)).ToArray();
        var travel = new EuclideanTravelMatrix(points, speed: 50 / 3.6 / 1.3);
        TimeWindow[] mairie = [new((int)(8.5 * Hour), 12 * Hour), new((int)(13.5 * Hour), 17 * Hour)];
        var tasks = Enumerable.Range(0, 14).Select(t =>
        {
            var from = random.Next(0, points.Length);
            var to = (from + random.Next(1, points.Length)) % points.Length;
            return new TransportTask($"t{t}", new TourStop(from, mairie, random.Next(20, 31) * 60), new TourStop(to, mairie, random.Next(20, 31) * 60), 1);
        }).ToArray();
        var day = new WorkingDay((int)(7.5 * Hour), (int)(17.5 * Hour), new LunchBreak(new TimeWindow((int)(11.75 * Hour), 14 * Hour), Hour));
        return new TourProblem(travel, 0, day, [new Vehicle("fourgon", 3)], tasks);
    }

    [Fact]
    public void On_a_real_sized_day_it_is_never_worse_than_a_longer_OR_Tools_search()
    {
        var orTools = new TourPlanner(TourPlannerOptions.ForDays with { ExactOneVehicle = false, TimeLimit = TimeSpan.FromSeconds(2) });
        foreach (var seed in new[] { 3, 4 })
        {
            var problem = RealSizedDay(seed);

            var exact = Exact.Plan(problem);
            var searched = orTools.Plan(problem);

            Assert.Empty(TourPlanChecker.Check(problem, exact));
            Assert.Empty(TourPlanChecker.Check(problem, searched));
            Assert.Equal(SearchOutcome.Optimal, exact.Outcome);
            Assert.NotEmpty(exact.Dropped); // a day that does not fit whole
            Assert.True(exact.Dropped.Count <= searched.Dropped.Count, $"day {seed}: {exact.Dropped.Count} left out against {searched.Dropped.Count}");
            if (exact.Dropped.Count == searched.Dropped.Count)
            {
                Assert.True(exact.Metres <= searched.Metres + 1, $"day {seed}: {exact.Metres:0} m against {searched.Metres:0} m");
            }
        }
    }

    [Fact]
    public void When_labelling_gives_up_OR_Tools_improves_its_narrow_plan()
    {
        var problem = RealSizedDay(3);
        var optimal = Exact.Plan(problem);
        var data = new RoutingData(problem, [.. Enumerable.Range(0, problem.Tasks.Count).Where(t => TourSchedule.SoloReason(problem, t) is null)]);
        // A hundred labels: both passes stop early, the narrow one with a poor plan.
        var (narrow, proved) = OneVehicleLabelling.Solve(data, 2000, 100, TimeSpan.FromSeconds(5), System.Diagnostics.Stopwatch.StartNew(), default);

        var plan = new TourPlanner(new TourPlannerOptions { TimeLimit = TimeSpan.FromSeconds(1), MaxLabels = 100 }).Plan(problem);

        Assert.False(proved);
        Assert.NotNull(narrow);
        Assert.Empty(TourPlanChecker.Check(problem, plan));
        Assert.NotEqual(SearchOutcome.Optimal, plan.Outcome);
        var served = problem.Tasks.Count - plan.Dropped.Count;
        Assert.True(served > narrow.NodesServed / 2, $"{served} tasks served, the narrow plan {narrow.NodesServed / 2}");
        Assert.InRange(served, problem.Tasks.Count - optimal.Dropped.Count - 1, problem.Tasks.Count - optimal.Dropped.Count);
    }

    [Fact]
    public void Stops_pinned_in_order_on_one_vehicle_keep_their_order_and_their_tasks()
    {
        var problem = RealSizedDay(4);
        var free = Exact.Plan(problem);
        // Pin, in this order, the delivery of a task the free plan leaves out, then the pickup of one it serves first.
        var leftOut = free.Dropped[0].Task;
        var first = free.Routes[0].Stops[0].Task;
        var pinned = problem.WithPinned([new PinnedStops(0, [P(leftOut), D(leftOut), P(first)], fromStart: false)]);

        var plan = Exact.Plan(pinned);

        Assert.Empty(TourPlanChecker.Check(pinned, plan));
        Assert.Equal(SearchOutcome.Optimal, plan.Outcome);
        var route = Assert.Single(plan.Routes).Stops.Select(s => new StopRef(s.Task, s.Kind)).ToList();
        Assert.True(route.IndexOf(P(leftOut)) >= 0 && route.IndexOf(P(leftOut)) < route.IndexOf(D(leftOut)));
        Assert.True(route.IndexOf(D(leftOut)) < route.IndexOf(P(first)));
        Assert.DoesNotContain(plan.Dropped, d => d.Task == leftOut || d.Task == first);
        Assert.True(plan.Dropped.Count > free.Dropped.Count || plan.Metres >= free.Metres - 1, "a pin cannot make the plan better");
    }
}
