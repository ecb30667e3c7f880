using System.Globalization;

namespace ValDrome.Geo.Tours;

/// <summary>
/// Verifies a plan against its problem without trusting whoever made it: the solver's plans in
/// tests and benchmarks, hand-edited plans at run time. It recomputes everything from the travel
/// matrix and shares no code with the planner. An empty list means the plan is valid.
/// </summary>
public static class TourPlanChecker
{
    /// <summary>Slack allowed on times and loads compared in floating point.</summary>
    private const double Epsilon = 1e-6;

    public static IReadOnlyList<string> Check(TourProblem problem, TourPlan plan, double distanceTolerance = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(plan);
        var violations = new List<string>();
        void Fail(FormattableString message) => violations.Add(FormattableString.Invariant(message));

        var seen = new Dictionary<(int Task, StopKind Kind), (int Route, int Position)>();
        var vehiclesSeen = new HashSet<int>();
        for (var r = 0; r < plan.Routes.Count; r++)
        {
            var route = plan.Routes[r];
            if (route.Vehicle < 0 || route.Vehicle >= problem.Vehicles.Count)
            {
                Fail($"Route {r} uses vehicle {route.Vehicle}, which does not exist.");
                continue;
            }

            if (!vehiclesSeen.Add(route.Vehicle))
            {
                Fail($"Vehicle {route.Vehicle} has two routes.");
            }

            for (var k = 0; k < route.Stops.Count; k++)
            {
                var stop = route.Stops[k];
                if (stop.Task < 0 || stop.Task >= problem.Tasks.Count)
                {
                    Fail($"Route {r} stop {k} names task {stop.Task}, which does not exist.");
                    continue;
                }

                if (!problem.Tasks[stop.Task].Has(stop.Kind))
                {
                    Fail($"Route {r} stop {k} serves task {stop.Task} as a {stop.Kind}, but the task is {(problem.Tasks[stop.Task].IsVisit ? "a visit" : "a carry")}.");
                    continue;
                }

                if (!seen.TryAdd((stop.Task, stop.Kind), (r, k)))
                {
                    Fail($"Task {stop.Task} {stop.Kind} is served more than once.");
                }

                if (stop.Location != problem.Tasks[stop.Task].Stop(stop.Kind).Location)
                {
                    Fail($"Route {r} stop {k} (task {stop.Task} {stop.Kind}) is at location {stop.Location}, not at the task's location {problem.Tasks[stop.Task].Stop(stop.Kind).Location}.");
                }
            }

            CheckRoute(problem, route, r, distanceTolerance, Fail);
        }

        CheckTasks(problem, plan, seen, Fail);

        var total = 0.0;
        foreach (var route in plan.Routes)
        {
            total += RouteMetres(problem, route);
        }

        if (!Close(total, plan.Metres, distanceTolerance))
        {
            Fail($"The plan reports {plan.Metres:R} in total but its routes measure {total:R}.");
        }

        return violations;
    }

    private static void CheckTasks(
        TourProblem problem, TourPlan plan, Dictionary<(int Task, StopKind Kind), (int Route, int Position)> seen, Action<FormattableString> fail)
    {
        var droppedCount = new Dictionary<int, int>();
        foreach (var dropped in plan.Dropped)
        {
            if (dropped.Task < 0 || dropped.Task >= problem.Tasks.Count)
            {
                fail($"Task {dropped.Task} is reported dropped but does not exist.");
                continue;
            }

            droppedCount[dropped.Task] = droppedCount.GetValueOrDefault(dropped.Task) + 1;
        }

        for (var t = 0; t < problem.Tasks.Count; t++)
        {
            var hasPickup = seen.TryGetValue((t, StopKind.Pickup), out var pickup);
            var hasDelivery = seen.TryGetValue((t, StopKind.Delivery), out var delivery);
            var timesDropped = droppedCount.GetValueOrDefault(t);
            if (timesDropped > 1)
            {
                fail($"Task {t} is reported dropped {timesDropped} times.");
            }

            if (problem.Tasks[t].IsVisit)
            {
                // One stop: served once (the route's own checks hold its window and duration), or dropped.
                var visited = seen.ContainsKey((t, StopKind.Visit));
                if (visited && timesDropped > 0)
                {
                    fail($"Visit {t} is served and also reported dropped.");
                }
                else if (!visited && timesDropped == 0)
                {
                    fail($"Visit {t} is neither served nor reported dropped.");
                }
            }
            else if (hasPickup && hasDelivery)
            {
                if (timesDropped > 0)
                {
                    fail($"Task {t} is served and also reported dropped.");
                }

                if (pickup.Route != delivery.Route)
                {
                    fail($"Task {t} is picked up on route {pickup.Route} but delivered on route {delivery.Route}: same vehicle required.");
                }
                else if (pickup.Position > delivery.Position)
                {
                    fail($"Task {t} is delivered (stop {delivery.Position}) before it is picked up (stop {pickup.Position}) on route {pickup.Route}.");
                }
            }
            else if (hasPickup || hasDelivery)
            {
                fail($"Task {t} has its {(hasPickup ? "pickup" : "delivery")} served but not its {(hasPickup ? "delivery" : "pickup")}.");
            }
            else if (timesDropped == 0)
            {
                fail($"Task {t} is neither served nor reported dropped.");
            }
        }
    }

    private static void CheckRoute(TourProblem problem, PlannedRoute route, int r, double distanceTolerance, Action<FormattableString> fail)
    {
        var day = problem.Day;
        var travel = problem.Travel;
        var capacity = problem.Vehicles[route.Vehicle].Capacity;
        if (route.Start < day.Start - Epsilon)
        {
            fail($"Route {r} leaves the depot at {Clock(route.Start)}, before the working day starts ({Clock(day.Start)}).");
        }

        if (route.End > day.End + Epsilon)
        {
            fail($"Route {r} is back at the depot at {Clock(route.End)}, after the working day ends ({Clock(day.End)}).");
        }

        if (route.End < route.Start - Epsilon)
        {
            fail($"Route {r} ends before it starts.");
        }

        var lunch = route.Lunch;
        var required = route.Stops.Count > 0 ? day.Lunch : null;
        var lunchPlaced = false;
        if (required is not null && lunch is null)
        {
            fail($"Route {r} has no lunch break.");
        }
        else if (lunch is not null && required is not null)
        {
            if (lunch.End - lunch.Start < required.DurationSeconds - Epsilon)
            {
                fail($"Route {r}'s lunch break lasts {lunch.End - lunch.Start:0.###} s, less than {required.DurationSeconds} s.");
            }

            if (lunch.Start < required.Window.Earliest - Epsilon || lunch.End > required.Window.Latest + Epsilon)
            {
                fail($"Route {r}'s lunch break {Clock(lunch.Start)}–{Clock(lunch.End)} is outside its window {Clock(required.Window.Earliest)}–{Clock(required.Window.Latest)}.");
            }

            // At the depot, before leaving or after coming back, within the day.
            lunchPlaced = (lunch.End <= route.Start + Epsilon && lunch.Start >= day.Start - Epsilon)
                || (lunch.Start >= route.End - Epsilon && lunch.End <= day.End + Epsilon);
        }

        var load = 0;
        var previousLocation = problem.Depot;
        var previousDeparture = route.Start;
        for (var k = 0; k <= route.Stops.Count; k++)
        {
            var last = k == route.Stops.Count;
            var location = last ? problem.Depot : route.Stops[k].Location;
            var arrivalOrEnd = last ? route.End : route.Stops[k].Arrival;
            var serviceStart = last ? route.End : route.Stops[k].ServiceStart;
            var driving = travel.Seconds(previousLocation, location);
            var what = last ? "the depot" : $"stop {k}";

            var needed = driving;
            if (lunch is not null && required is not null
                && lunch.Start >= previousDeparture - Epsilon && lunch.End <= serviceStart + Epsilon && !lunchPlaced)
            {
                // The break is taken on this leg: the leg must hold the driving and the break.
                needed += lunch.End - lunch.Start;
                lunchPlaced = true;
                if (arrivalOrEnd < lunch.End - Epsilon)
                {
                    fail($"Route {r} reaches {what} at {Clock(arrivalOrEnd)}, before its lunch break on the way ends ({Clock(lunch.End)}).");
                }
            }

            if (arrivalOrEnd < previousDeparture + needed - Epsilon)
            {
                fail($"Route {r} reaches {what} at {Clock(arrivalOrEnd)}, but leaving at {Clock(previousDeparture)} it cannot be there before {Clock(previousDeparture + needed)}.");
            }

            if (last)
            {
                break;
            }

            var stop = route.Stops[k];
            if (stop.Task < 0 || stop.Task >= problem.Tasks.Count)
            {
                return;
            }

            var task = problem.Tasks[stop.Task];
            var spec = task.Stop(stop.Kind);
            if (stop.ServiceStart < stop.Arrival - Epsilon)
            {
                fail($"Route {r} stop {k} starts service at {Clock(stop.ServiceStart)}, before arriving at {Clock(stop.Arrival)}.");
            }

            if (!spec.Windows.Any(w => stop.ServiceStart >= w.Earliest - Epsilon && stop.ServiceStart <= w.Latest + Epsilon))
            {
                fail($"Route {r} stop {k} (task {stop.Task} {stop.Kind}) starts service at {Clock(stop.ServiceStart)}, outside its time windows {string.Join(", ", spec.Windows.Select(w => $"{Clock(w.Earliest)}–{Clock(w.Latest)}"))}.");
            }

            if (stop.Departure < stop.ServiceStart + spec.ServiceSeconds - Epsilon)
            {
                fail($"Route {r} stop {k} leaves at {Clock(stop.Departure)}, before its {spec.ServiceSeconds} s of service are over.");
            }

            if (lunch is not null && required is not null
                && lunch.Start < stop.ServiceStart + spec.ServiceSeconds - Epsilon && lunch.End > stop.ServiceStart + Epsilon)
            {
                fail($"Route {r}'s lunch break overlaps the service at stop {k}.");
            }

            load += stop.Kind switch { StopKind.Pickup => task.Load, StopKind.Delivery => -task.Load, _ => 0 };
            if (load > capacity)
            {
                fail($"Route {r} carries {load} after stop {k}, over vehicle {route.Vehicle}'s capacity {capacity}.");
            }

            if (load < 0)
            {
                fail($"Route {r} carries {load} after stop {k}: a delivery before its pickup.");
            }

            if (stop.LoadAfter != load)
            {
                fail($"Route {r} stop {k} reports a load of {stop.LoadAfter}, but it is {load}.");
            }

            previousLocation = location;
            previousDeparture = stop.Departure;
        }

        if (required is not null && lunch is not null && !lunchPlaced)
        {
            fail($"Route {r}'s lunch break {Clock(lunch.Start)}–{Clock(lunch.End)} does not fit: it must be taken at the depot before leaving or after returning, or within one leg.");
        }

        var metres = RouteMetres(problem, route);
        if (!Close(metres, route.Metres, distanceTolerance))
        {
            fail($"Route {r} reports {route.Metres:R} but measures {metres:R}.");
        }
    }

    private static double RouteMetres(TourProblem problem, PlannedRoute route)
    {
        var metres = 0.0;
        var previous = problem.Depot;
        foreach (var stop in route.Stops)
        {
            var location = stop.Location is >= 0 && stop.Location < problem.Travel.Count ? stop.Location : problem.Depot;
            metres += problem.Travel.Metres(previous, location);
            previous = location;
        }

        return metres + problem.Travel.Metres(previous, problem.Depot);
    }

    private static bool Close(double actual, double reported, double relative) =>
        Math.Abs(actual - reported) <= relative * Math.Max(1, Math.Abs(actual));

    /// <summary>hh:mm:ss (with hundredths when not whole), or the bare number outside a week.</summary>
    private static string Clock(double seconds) =>
        seconds >= 0 && seconds < 7 * 86_400
            ? TimeSpan.FromSeconds(seconds).ToString(seconds % 1 == 0 ? @"hh\:mm\:ss" : @"hh\:mm\:ss\.ff", CultureInfo.InvariantCulture)
            : seconds.ToString("0.###", CultureInfo.InvariantCulture);
}
