using System.Diagnostics;
using ValDrome.Geo.Tours;
using static ValDrome.Tests.Tours.Make;

namespace ValDrome.Tests.Tours;

public sealed class InsertionSearchTests
{
    private static readonly InsertionSearch.ShorteningSettings Shortening = new(3, 1, 0.01, 0.01, 1);

    private static RoutingData Data(TourProblem problem) => new(problem, [.. Enumerable.Range(0, problem.Tasks.Count)]);

    /// <summary>One task a vehicle, in task order: pickup then delivery.</summary>
    private static RoutingSolution OneTaskEach(RoutingData data) => new(
        [.. Enumerable.Range(0, data.Problem.Vehicles.Count).Select(v => v < data.Tasks.Count
            ? data.IsVisit(v) ? [data.PickupNode(v)] : new[] { data.PickupNode(v), data.DeliveryNode(v) }
            : [])],
        new BreakGap?[data.Problem.Vehicles.Count],
        false,
        false);

    private static RoutingSolution? Reduce(RoutingData data, RoutingSolution start, double seconds = 0.5) =>
        InsertionSearch.EmptyRoutes(data, start, null, Stopwatch.StartNew(), TimeSpan.FromSeconds(seconds), 50, 1, CancellationToken.None);

    /// <summary>The plan a solution makes, timed as the planner times it, and checked.</summary>
    private static TourPlan Checked(RoutingData data, RoutingSolution solution)
    {
        var routes = new List<PlannedRoute>();
        for (var v = 0; v < solution.Routes.Length; v++)
        {
            if (solution.Routes[v].Length > 0)
            {
                var (route, failure) = TourSchedule.Build(data.Problem, v, [.. solution.Routes[v].Select(data.StopOf)], null);
                Assert.True(route is not null, $"Route {v} does not time out: {failure}");
                routes.Add(route);
            }
        }

        var plan = new TourPlan(routes, [], SearchOutcome.LocalOptimum, TimeSpan.Zero);
        Assert.Empty(TourPlanChecker.Check(data.Problem, plan));
        Assert.Equal(data.Nodes - 1, solution.NodesServed);
        return plan;
    }

    /// <summary>Every task of one task a vehicle on one vehicle, the plan checked.</summary>
    private static TourPlan OnOneVehicle(RoutingData data)
    {
        var reduced = Reduce(data, OneTaskEach(data));
        Assert.NotNull(reduced);
        Assert.Equal(1, reduced.VehiclesUsed);
        return Checked(data, reduced);
    }

    [Fact]
    public void Tasks_spread_over_three_vehicles_end_up_on_the_one_that_can_do_them_all()
    {
        var data = Data(Problem(Line(5, 10, 3, 8, 12, 1), [Task("a", 1, 2), Task("b", 3, 4), Task("c", 5, 6)], vehicles: 3));

        OnOneVehicle(data);
    }

    [Fact]
    public void Tasks_whose_windows_keep_them_apart_stay_on_their_vehicles()
    {
        // Both pickups within the same ten minutes, 20 minutes' service, 3 km apart: two vans.
        var nine = new TimeWindow(9 * Hour, (9 * Hour) + 600);
        var data = Data(Problem(Line(5, 10, 8, 3), [Task("a", 1, 2, pickupWindow: nine), Task("b", 3, 4, pickupWindow: nine)], vehicles: 2));

        Assert.Null(Reduce(data, OneTaskEach(data), seconds: 0.2));
    }

    [Fact]
    public void A_capacity_full_all_morning_keeps_two_vehicles()
    {
        // Each load fills a van; both pickups before 10:00, both deliveries after 14:00.
        var morning = new TimeWindow(8 * Hour, 10 * Hour);
        var afternoon = new TimeWindow(14 * Hour, 16 * Hour);
        TransportTask Full(string id, int pickup, int delivery) => Task(id, pickup, delivery, load: 2, pickupWindow: morning, deliveryWindow: afternoon);
        var data = Data(Problem(Line(2, 4, 3, 5), [Full("a", 1, 2), Full("b", 3, 4)], vehicles: 2, capacity: 2));
        var roomier = Data(Problem(Line(2, 4, 3, 5), [Full("a", 1, 2), Full("b", 3, 4)], vehicles: 2, capacity: 4));

        Assert.Null(Reduce(data, OneTaskEach(data), seconds: 0.2));
        OnOneVehicle(roomier);
    }

    [Fact]
    public void A_stop_open_morning_and_afternoon_is_served_in_the_window_that_frees_a_vehicle()
    {
        // b's pickup opens 8:00–8:10 and 14:00–15:00; a holds the first vehicle until noon. One
        // vehicle does both only if b is picked up in the afternoon.
        var a = Task("a", 1, 2, pickupWindow: new TimeWindow(8 * Hour, (8 * Hour) + 600), deliveryWindow: new TimeWindow(11 * Hour, 12 * Hour));
        var split = new TourStop(3, [new TimeWindow(8 * Hour, (8 * Hour) + 600), new TimeWindow(14 * Hour, 15 * Hour)], 1200);
        var b = new TransportTask("b", split, new TourStop(4, [AllDay], 1200), 1);
        var data = Data(Problem(Line(1, 2, 3, 4), [a, b], vehicles: 2));

        var plan = OnOneVehicle(data);
        var pickup = Assert.Single(plan.Routes).Stops.Single(s => s.Task == 1 && s.Kind == StopKind.Pickup);
        Assert.True(pickup.ServiceStart >= 14 * Hour, $"b picked up at {pickup.ServiceStart} s");
    }

    [Fact]
    public void Visits_are_moved_like_carries()
    {
        var data = Data(Problem(Line(2, 4, 6), [Task("a", 1, 2), Visit("v", 3, AllDay, Hour)], vehicles: 2));

        OnOneVehicle(data);
    }

    [Fact]
    public void Days_with_a_lunch_break_or_pins_are_left_to_OR_Tools()
    {
        var lunch = new LunchBreak(new TimeWindow(12 * Hour, 14 * Hour), Hour);
        TransportTask[] tasks = [Task("a", 1, 2), Task("b", 3, 4)];
        var withLunch = Data(Problem(Line(5, 10, 3, 8), tasks, vehicles: 2, day: Day(lunch)));
        var pinned = Data(Problem(Line(5, 10, 3, 8), tasks, vehicles: 2, pinned: [new PinnedStops(0, [P(0), D(0)], true)]));

        Assert.False(InsertionSearch.Applies(withLunch));
        Assert.False(InsertionSearch.Applies(pinned));
        Assert.Null(Reduce(withLunch, OneTaskEach(withLunch)));
        Assert.Null(InsertionSearch.Shorten(withLunch, OneTaskEach(withLunch), null, Stopwatch.StartNew(), TimeSpan.FromSeconds(0.2), Shortening, CancellationToken.None));
    }

    [Fact]
    public void A_plan_that_leaves_tasks_out_is_not_one_to_start_from()
    {
        var data = Data(Problem(Line(5, 10, 3, 8), [Task("a", 1, 2), Task("b", 3, 4)], vehicles: 2));
        var partial = new RoutingSolution([[data.PickupNode(0), data.DeliveryNode(0)], []], new BreakGap?[2], false, false);

        Assert.Null(Reduce(data, partial));
    }

    [Fact]
    public void Ruin_and_recreate_finds_the_shortest_plan_of_a_small_day_and_keeps_every_rule()
    {
        // Two tasks near the depot, two far out; each van does one of each, out and back twice
        // (22 and 24 km). One van doing all four in line order drives 24 km.
        var data = Data(Problem(
            Line(1, 2, 2.5, 3, 10, 11, 11.5, 12),
            [Task("a", 1, 2), Task("b", 3, 4), Task("c", 5, 6), Task("d", 7, 8)],
            vehicles: 2,
            capacity: 2));
        var zigzag = new RoutingSolution(
            [
                [data.PickupNode(0), data.DeliveryNode(0), data.PickupNode(2), data.DeliveryNode(2)],
                [data.PickupNode(1), data.DeliveryNode(1), data.PickupNode(3), data.DeliveryNode(3)],
            ],
            new BreakGap?[2],
            false,
            false);
        Checked(data, zigzag);

        var shorter = InsertionSearch.Shorten(data, zigzag, null, Stopwatch.StartNew(), TimeSpan.FromSeconds(0.3), Shortening, CancellationToken.None);

        Assert.NotNull(shorter);
        Assert.Equal(46_000, zigzag.Metres(data), 1e-6);
        Assert.Equal(24_000, shorter.Metres(data), 1e-6);
        Assert.Equal(1, shorter.VehiclesUsed);
        Checked(data, shorter);
    }

    [Fact]
    public void The_planner_empties_routes_of_a_day_without_lunch_and_its_plan_passes_the_checker()
    {
        // lc101's 53 tasks, no lunch break: guided ejection search and our ruin and recreate plan it.
        var instance = Geo.Tours.Benchmarks.LiLimFile.Read(LiLimPath("lc101"));
        var planner = new TourPlanner(new TourPlannerOptions { TimeLimit = TimeSpan.FromSeconds(2) });

        var plan = planner.Plan(instance.Problem);

        Assert.Empty(TourPlanChecker.Check(instance.Problem, plan));
        Assert.Empty(plan.Dropped);
        Assert.Equal(10, plan.Routes.Count);
    }
}
