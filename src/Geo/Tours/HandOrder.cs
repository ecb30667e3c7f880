namespace ValDrome.Geo.Tours;

/// <summary>Why an order chosen by hand cannot be driven.</summary>
public enum HandOrderFailure
{
    None,

    /// <summary>A unit would be unloaded before it is loaded.</summary>
    UnloadedBeforeLoaded,

    /// <summary>A stop would be reached after its mairie or depot has closed.</summary>
    Window,

    /// <summary>The truck would be back after the working day.</summary>
    DayEnd,

    /// <summary>The truck and its trailer would carry more than they hold.</summary>
    Capacity,

    /// <summary>No place is left for the lunch break in its window.</summary>
    Lunch,
}

/// <summary>
/// Times an order the technician chose by hand, exactly as the planner times its own routes (each
/// stop as early as its windows allow, the lunch break where the day ends earliest), and says
/// why when it cannot be driven. The result is meant to be checked by <see cref="TourPlanChecker"/>.
/// </summary>
public static class HandOrder
{
    public static (PlannedRoute? Route, HandOrderFailure Failure) Time(TourProblem problem, int vehicle, IReadOnlyList<StopRef> stops)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(stops);
        var seen = new HashSet<int>();
        foreach (var stop in stops)
        {
            if (stop.Kind == StopKind.Pickup)
            {
                seen.Add(stop.Task);
            }
            else if (stop.Kind == StopKind.Delivery && !seen.Contains(stop.Task))
            {
                return (null, HandOrderFailure.UnloadedBeforeLoaded);
            }
        }

        if (problem.Day.Lunch is null || stops.Count == 0)
        {
            var (route, failure) = TourSchedule.Build(problem, vehicle, stops, null);
            return (route, Of(failure));
        }

        PlannedRoute? best = null;
        var why = TourSchedule.Failure.Lunch;
        for (var gap = -1; gap <= stops.Count + 1; gap++)
        {
            var (route, failure) = TourSchedule.Build(problem, vehicle, stops, gap);
            if (route is null)
            {
                why = failure == TourSchedule.Failure.Lunch ? why : failure;
            }
            else if (best is null || route.End < best.End)
            {
                best = route;
            }
        }

        return best is null ? (null, Of(why)) : (best, HandOrderFailure.None);
    }

    private static HandOrderFailure Of(TourSchedule.Failure failure) => failure switch
    {
        TourSchedule.Failure.None => HandOrderFailure.None,
        TourSchedule.Failure.Window => HandOrderFailure.Window,
        TourSchedule.Failure.DayEnd => HandOrderFailure.DayEnd,
        TourSchedule.Failure.Capacity => HandOrderFailure.Capacity,
        _ => HandOrderFailure.Lunch,
    };
}
