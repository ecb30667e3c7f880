using ValDrome.Geo.Tours;
using static ValDrome.Tests.Tours.Make;

namespace ValDrome.Tests.Tours;

/// <summary>Works-site visits in the planner: one stop, no load, a window and a duration (ADR 27).</summary>
public sealed class VisitPlanningTests
{
    private static readonly LunchBreak Lunch = new(new TimeWindow(12 * Hour, 14 * Hour), Hour);

    private static TourPlanner Planner(bool exact) =>
        new(new TourPlannerOptions { TimeLimit = TimeSpan.FromSeconds(0.5), ExactOneVehicle = exact });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_visit_is_served_at_its_hour_for_its_whole_duration_among_the_carries(bool exact)
    {
        // Two carries (2 → 4 km, 6 → 8 km) and a two-hour visit at 10 km from 10:00.
        var problem = Problem(Line(2, 4, 6, 8, 10), [Task("a", 1, 2), Task("b", 3, 4), Visit("v", 5, new TimeWindow(10 * Hour, 10 * Hour), 2 * Hour)],
            day: Day(Lunch));

        var plan = Planner(exact).Plan(problem);

        Assert.Empty(TourPlanChecker.Check(problem, plan));
        Assert.Empty(plan.Dropped);
        var route = Assert.Single(plan.Routes);
        var at = route.Stops.ToList().FindIndex(s => s.Task == 2);
        var visit = route.Stops[at];
        Assert.Equal((StopKind.Visit, 10.0 * Hour, 12.0 * Hour), (visit.Kind, visit.ServiceStart, visit.Departure));
        // Nothing is loaded or unloaded at a visit (a unit may stay on board meanwhile).
        Assert.Equal(at == 0 ? 0 : route.Stops[at - 1].LoadAfter, visit.LoadAfter);
        Assert.Equal(5, route.Stops.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_visit_is_kept_rather_than_every_carry_it_crowds_out(bool exact)
    {
        // A six-hour visit 1 km away from 9:00 leaves room for one carry 20 km away; without it, all four fit.
        var carries = Enumerable.Range(0, 4).Select(i => Task($"c{i}", 2, 3)).ToList();
        var problem = Problem(Line(1, 20, 21), [.. carries, Visit("v", 1, new TimeWindow(9 * Hour, 9 * Hour), 6 * Hour)]);
        var withoutVisit = Problem(Line(1, 20, 21), carries);

        var plan = Planner(exact).Plan(problem);

        Assert.Empty(Planner(exact).Plan(withoutVisit).Dropped);
        Assert.Empty(TourPlanChecker.Check(problem, plan));
        Assert.DoesNotContain(plan.Dropped, d => d.Task == 4);
        Assert.Contains(Assert.Single(plan.Routes).Stops, s => s.Task == 4 && s.ServiceStart == 9 * Hour);
        Assert.True(plan.Dropped.Count >= 2, $"{plan.Dropped.Count} carries left out");
    }

    [Fact]
    public void A_visit_outside_the_working_day_is_left_out_as_outside_its_hours()
    {
        var problem = Problem(Line(2, 4, 10), [Task("a", 1, 2), Visit("v", 3, new TimeWindow(18 * Hour, 18 * Hour), Hour)]);

        var plan = Planner(true).Plan(problem);

        Assert.Empty(TourPlanChecker.Check(problem, plan));
        Assert.Equal(new DroppedTask(1, DropReason.OutsideOpeningHours), Assert.Single(plan.Dropped));
    }

    [Fact]
    public void An_order_chosen_by_hand_with_a_visit_first_is_timed_and_passes_the_checker()
    {
        var problem = Problem(Line(2, 4, 10), [Task("a", 1, 2), Visit("v", 3, new TimeWindow(13 * Hour, 13 * Hour), Hour)], day: Day(Lunch));

        var (route, failure) = HandOrder.Time(problem, 0, [V(1), P(0), D(0)]);

        Assert.Equal(HandOrderFailure.None, failure);
        Assert.Empty(TourPlanChecker.Check(problem, Plan(route!)));
        Assert.Equal(13.0 * Hour, route!.Stops[0].ServiceStart);
    }

    [Fact]
    public void The_checker_refuses_a_visit_served_as_a_pickup()
    {
        var problem = Problem(Line(2, 4, 10), [Task("a", 1, 2), Visit("v", 3, AllDay, Hour)]);

        var violations = TourPlanChecker.Check(problem, Plan(Route(problem, 0, P(0), D(0), P(1))));

        Assert.Contains(violations, v => v.Contains("serves task 1 as a Pickup, but the task is a visit", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("Visit 1 is neither served nor reported dropped", StringComparison.Ordinal));
    }

    [Fact]
    public void The_checker_refuses_a_visit_cut_short_or_outside_its_window()
    {
        var problem = Problem(Line(2, 4, 10), [Task("a", 1, 2), Visit("v", 3, new TimeWindow(8 * Hour, 8 * Hour), Hour)]);
        var route = Route(problem, 0, V(1), P(0), D(0));
        var stops = route.Stops.ToArray();
        stops[0] = stops[0] with { Departure = stops[0].ServiceStart + Hour - 60 };

        var violations = TourPlanChecker.Check(problem, Plan(route with { Stops = stops }));

        Assert.Contains(violations, v => v.Contains("outside its time windows 08:00:00–08:00:00", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("before its 3600 s of service are over", StringComparison.Ordinal));
    }

    [Fact]
    public void The_checker_accepts_a_day_of_visits_and_carries_and_refuses_a_visit_served_twice()
    {
        var problem = Problem(Line(2, 4, 10), [Task("a", 1, 2), Visit("v", 3, AllDay, Hour)]);

        Assert.Empty(TourPlanChecker.Check(problem, Plan(Route(problem, 0, P(0), V(1), D(0)))));
        Assert.Contains(TourPlanChecker.Check(problem, Plan(Route(problem, 0, P(0), V(1), D(0), V(1)))),
            v => v.Contains("Task 1 Visit is served more than once", StringComparison.Ordinal));
    }
}
