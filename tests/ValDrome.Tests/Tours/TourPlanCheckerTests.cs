using ValDrome.Geo.Tours;
using static ValDrome.Tests.Tours.Make;

namespace ValDrome.Tests.Tours;

public sealed class TourPlanCheckerTests
{
    // Two tasks on a line: 0 → 2 km → 4 km → 6 km, 1 vehicle of capacity 2.
    private static readonly TourProblem TwoTasks = Problem(
        Line(2, 4, 6, 8),
        [Task("a", 1, 2), Task("b", 3, 4)],
        vehicles: 2,
        capacity: 2);

    private static PlannedRoute Good() => Route(TwoTasks, 0, P(0), D(0), P(1), D(1));

    private static void AssertOneViolation(TourPlan plan, string expected, TourProblem? problem = null)
    {
        var violations = TourPlanChecker.Check(problem ?? TwoTasks, plan);
        Assert.Contains(violations, v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_good_hand_made_plan_has_no_violation()
    {
        Assert.Empty(TourPlanChecker.Check(TwoTasks, Plan(Good())));
    }

    [Fact]
    public void A_delivery_before_its_pickup_breaks_precedence()
    {
        var plan = Plan(Route(TwoTasks, 0, D(0), P(0), P(1), D(1)));

        AssertOneViolation(plan, "Task 0 is delivered (stop 0) before it is picked up (stop 1)");
        AssertOneViolation(plan, "carries -1 after stop 0");
    }

    [Fact]
    public void Pickup_and_delivery_on_two_vehicles_is_caught()
    {
        var plan = Plan(Route(TwoTasks, 0, P(0), P(1), D(1)), Route(TwoTasks, 1, D(0)));

        AssertOneViolation(plan, "Task 0 is picked up on route 0 but delivered on route 1");
    }

    [Fact]
    public void A_load_over_capacity_is_caught()
    {
        var small = Problem(Line(2, 4, 6, 8), [Task("a", 1, 2), Task("b", 3, 4)], capacity: 1);

        AssertOneViolation(Plan(Route(small, 0, P(0), P(1), D(0), D(1))), "carries 2 after stop 1, over vehicle 0's capacity 1", small);
    }

    [Fact]
    public void A_wrong_reported_load_is_caught()
    {
        var route = Good();
        var stops = route.Stops.ToArray();
        stops[0] = stops[0] with { LoadAfter = 0 };

        AssertOneViolation(Plan(route with { Stops = stops }), "stop 0 reports a load of 0, but it is 1");
    }

    [Fact]
    public void A_service_outside_its_time_window_is_caught()
    {
        var windowed = Problem(Line(2, 4), [Task("a", 1, 2, pickupWindow: new TimeWindow(10 * Hour, 11 * Hour))]);
        var route = Route(windowed, 0, P(0), D(0));
        var early = route.Stops.ToArray();
        early[0] = early[0] with { ServiceStart = early[0].Arrival, Departure = early[0].Arrival + 1200 };

        AssertOneViolation(Plan(route with { Stops = early }), "starts service at 08:03:20, outside its time windows 10:00:00–11:00:00", windowed);
    }

    [Fact]
    public void Arriving_sooner_than_driving_allows_is_caught()
    {
        var route = Good();
        var stops = route.Stops.ToArray();
        stops[1] = stops[1] with { Arrival = stops[0].Departure + 10, ServiceStart = stops[0].Departure + 10, Departure = stops[0].Departure + 1210 };

        AssertOneViolation(Plan(route with { Stops = stops }), "Route 0 reaches stop 1 at");
    }

    [Fact]
    public void A_route_outside_the_working_day_is_caught()
    {
        var early = Good() with { Start = 7 * Hour };
        var late = Good() with { End = 18 * Hour };

        AssertOneViolation(Plan(early), "leaves the depot at 07:00:00, before the working day starts");
        AssertOneViolation(Plan(late), "is back at the depot at 18:00:00, after the working day ends");
    }

    [Fact]
    public void A_missing_or_misplaced_lunch_break_is_caught()
    {
        var lunch = new LunchBreak(new TimeWindow(12 * Hour, 14 * Hour), Hour);
        var withLunch = Problem(Line(2, 4, 6, 8), [Task("a", 1, 2), Task("b", 3, 4)], capacity: 2, day: Day(lunch));
        var route = Route(withLunch, 0, P(0), D(0), P(1), D(1));

        AssertOneViolation(Plan(route), "Route 0 has no lunch break", withLunch);
        AssertOneViolation(Plan(route with { Lunch = new PlannedBreak(11 * Hour, 12 * Hour) }), "is outside its window 12:00:00–14:00:00", withLunch);
        AssertOneViolation(Plan(route with { Lunch = new PlannedBreak(12 * Hour, 12.5 * Hour) }), "lasts 1800 s, less than 3600 s", withLunch);
        // During the services, which end at about 09:50: the break overlaps no leg and no depot time.
        AssertOneViolation(Plan(route with { Lunch = new PlannedBreak(route.Stops[1].ServiceStart, route.Stops[1].ServiceStart + Hour) }), "overlaps the service at stop 1", withLunch);
        // After the route it is fine.
        Assert.Empty(TourPlanChecker.Check(withLunch, Plan(route with { Lunch = new PlannedBreak(12 * Hour, 13 * Hour) })));
    }

    [Fact]
    public void A_reported_distance_that_does_not_match_the_matrix_is_caught()
    {
        var route = Good();

        AssertOneViolation(Plan(route with { Metres = route.Metres * 1.001 }), "Route 0 reports");
        Assert.Empty(TourPlanChecker.Check(TwoTasks, Plan(route with { Metres = route.Metres * (1 + 1e-9) })));
    }

    [Fact]
    public void A_task_served_twice_is_caught()
    {
        var plan = Plan(Good(), Route(TwoTasks, 1, P(0), D(0)));

        AssertOneViolation(plan, "Task 0 Pickup is served more than once");
    }

    [Fact]
    public void A_task_neither_served_nor_dropped_is_caught()
    {
        AssertOneViolation(Plan(Route(TwoTasks, 0, P(0), D(0))), "Task 1 is neither served nor reported dropped");
        Assert.Empty(TourPlanChecker.Check(TwoTasks, Plan([Route(TwoTasks, 0, P(0), D(0))], new DroppedTask(1, DropReason.CrowdedOut))));
    }

    [Fact]
    public void A_task_served_and_reported_dropped_is_caught()
    {
        AssertOneViolation(Plan([Good()], new DroppedTask(1, DropReason.CrowdedOut)), "Task 1 is served and also reported dropped");
    }
}
