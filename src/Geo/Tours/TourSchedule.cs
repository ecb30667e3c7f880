namespace ValDrome.Geo.Tours;

/// <summary>
/// The planner's timing of a sequence of stops: leave the depot, serve each stop as early as its
/// windows allow, come back; the lunch break in the leg the solver chose. The checker has its own
/// arithmetic and does not use this.
/// </summary>
internal static class TourSchedule
{
    internal enum Failure
    {
        None,
        Window,
        DayEnd,
        Capacity,
        Lunch,
    }

    public static (PlannedRoute? Route, Failure Failure) Build(TourProblem problem, int vehicle, IReadOnlyList<StopRef> stops, int? breakGap)
    {
        var day = problem.Day;
        var lunch = breakGap is null ? null : day.Lunch;
        var travel = problem.Travel;
        var capacity = problem.Vehicles[vehicle].Capacity;
        PlannedBreak? taken = null;

        var departure = (double)day.Start;
        if (lunch is not null && breakGap == -1)
        {
            var start = Math.Max(departure, lunch.Window.Earliest);
            if (start + lunch.DurationSeconds > lunch.Window.Latest)
            {
                return (null, Failure.Lunch);
            }

            taken = new PlannedBreak(start, start + lunch.DurationSeconds);
            departure = taken.End;
        }

        var routeStart = departure;
        var previous = problem.Depot;
        var load = 0;
        var metres = 0.0;
        var planned = new List<PlannedStop>(stops.Count);
        for (var k = 0; k <= stops.Count; k++)
        {
            var location = k < stops.Count ? problem.Tasks[stops[k].Task].Stop(stops[k].Kind).Location : problem.Depot;
            var driving = travel.Seconds(previous, location);
            var arrival = departure + driving;
            if (lunch is not null && breakGap == k)
            {
                var start = Math.Max(departure, lunch.Window.Earliest);
                if (start + lunch.DurationSeconds > lunch.Window.Latest)
                {
                    return (null, Failure.Lunch);
                }

                taken = new PlannedBreak(start, start + lunch.DurationSeconds);
                arrival = Math.Max(arrival + lunch.DurationSeconds, taken.End);
            }

            metres += travel.Metres(previous, location);
            previous = location;
            if (k == stops.Count)
            {
                if (arrival > day.End)
                {
                    return (null, Failure.DayEnd);
                }

                var end = arrival;
                if (lunch is not null && breakGap == stops.Count + 1)
                {
                    var start = Math.Max(end, lunch.Window.Earliest);
                    if (start + lunch.DurationSeconds > lunch.Window.Latest)
                    {
                        return (null, Failure.Lunch);
                    }

                    taken = new PlannedBreak(start, start + lunch.DurationSeconds);
                }

                // Leave the depot as late as the first stop allows, rather than wait on site.
                if (planned.Count > 0 && breakGap is not (-1 or 0))
                {
                    var first = planned[0];
                    routeStart = Math.Max(routeStart, first.ServiceStart - travel.Seconds(problem.Depot, first.Location));
                    planned[0] = first with { Arrival = routeStart + travel.Seconds(problem.Depot, first.Location) };
                }

                return (new PlannedRoute(vehicle, routeStart, end, planned, taken, metres), Failure.None);
            }

            var task = problem.Tasks[stops[k].Task];
            var stop = task.Stop(stops[k].Kind);
            var serviceStart = FirstOpening(stop.Windows, arrival);
            if (serviceStart is null)
            {
                return (null, Failure.Window);
            }

            load += stops[k].Kind switch { StopKind.Pickup => task.Load, StopKind.Delivery => -task.Load, _ => 0 };
            if (load > capacity || load < 0)
            {
                return (null, Failure.Capacity);
            }

            departure = serviceStart.Value + stop.ServiceSeconds;
            planned.Add(new PlannedStop(stops[k].Task, stops[k].Kind, location, arrival, serviceStart.Value, departure, load));
        }

        throw new InvalidOperationException("Unreachable.");
    }

    /// <summary>
    /// Why a task cannot be planned even alone on a vehicle that can carry it, or null when it can.
    /// </summary>
    public static DropReason? SoloReason(TourProblem problem, int task)
    {
        var transport = problem.Tasks[task];
        var vehicle = Enumerable.Range(0, problem.Vehicles.Count)
            .Where(v => problem.Vehicles[v].Capacity >= transport.Load)
            .DefaultIfEmpty(-1)
            .First();
        if (vehicle < 0)
        {
            return DropReason.OverCapacity;
        }

        if (!CanOpenWithinDay(problem, transport.Pickup) || !CanOpenWithinDay(problem, transport.Delivery))
        {
            return DropReason.OutsideOpeningHours;
        }

        StopRef[] stops = [.. transport.Kinds.Select(kind => new StopRef(task, kind))];
        var (alone, failure) = Build(problem, vehicle, stops, null);
        if (alone is null)
        {
            return failure == Failure.Window ? DropReason.OutsideOpeningHours : DropReason.WorkingDayTooShort;
        }

        if (problem.Day.Lunch is not null
            && !Enumerable.Range(-1, stops.Length + 3).Any(gap => Build(problem, vehicle, stops, gap).Route is not null))
        {
            return DropReason.WorkingDayTooShort;
        }

        return null;
    }

    /// <summary>Whether some window is open during the day, late enough to be reached from the depot.</summary>
    private static bool CanOpenWithinDay(TourProblem problem, TourStop stop)
    {
        var reachable = problem.Day.Start + problem.Travel.Seconds(problem.Depot, stop.Location);
        return stop.Windows.Any(w => w.Earliest <= problem.Day.End && w.Latest >= reachable);
    }

    private static double? FirstOpening(IReadOnlyList<TimeWindow> windows, double arrival)
    {
        foreach (var window in windows)
        {
            if (arrival <= window.Latest)
            {
                return Math.Max(arrival, window.Earliest);
            }
        }

        return null;
    }
}
