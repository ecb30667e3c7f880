using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ValDrome.Domain.Calendar;
using ValDrome.Domain.Equipment;
using ValDrome.Geo.Tours;

namespace ValDrome.Domain.Transport;

/// <summary>
/// Plans the technician's day: the carries the loans call for, the depot at Eurre as start and
/// end, the mairies' opening hours, one truck and its trailer, the working day and its lunch,
/// optimised by <see cref="TourPlanner"/> (exact for one vehicle, OR-Tools when that gives up). Stops pinned by hand keep their
/// order; what cannot fit is listed with its reason.
/// </summary>
public static class DayPlanning
{
    /// <summary>
    /// Plans the day and saves it: <see cref="PlanOutcome.NothingToCarry"/> when no carry calls for
    /// a tour (no empty tour is saved, and one left with nothing done is removed),
    /// <see cref="PlanOutcome.Conflict"/>, writing nothing, when another move on the day came first.
    /// The planner's search progress goes to <paramref name="logger"/> at debug level, when given.
    /// </summary>
    public static async Task<PlanOutcome> PlanAsync(
        ValDromeDb db, DateOnly day, TransportOptions options, DateTimeOffset now, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        var tour = await db.Set<TourDay>().Include(t => t.Stops).Include(t => t.LeftOut).SingleOrDefaultAsync(t => t.Day == day, cancellationToken);
        if (tour is null)
        {
            tour = new TourDay(day, options.VehicleName, now);
            db.Add(tour);
        }

        // A carry already begun (its unit loaded) stays as it is; the rest is planned again.
        var begun = tour.Stops.Where(s => s.DoneAt is not null).Select(s => s.MovementKey).ToHashSet(StringComparer.Ordinal);
        var movements = (await Movements.ForDayAsync(db, day, options.DepotHours, cancellationToken))
            .Where(m => !begun.Contains(m.Key)).ToList();
        if (movements.Count == 0 && tour.Stops.All(s => s.DoneAt is null))
        {
            if (tour.Id != 0)
            {
                db.Remove(tour);
            }

            // No tour on a day off (ADR 18): one planned before the day was closed goes too.
            var outcome = (await WorkingCalendar.LoadAsync(db, day, day, cancellationToken)).IsWorkingDay(day) ? PlanOutcome.NothingToCarry : PlanOutcome.NotAWorkingDay;
            return tour.Id == 0 || await RowVersion.TrySaveAsync(db, cancellationToken) ? outcome : PlanOutcome.Conflict;
        }

        var pinned = Pinned(tour, movements);
        var (matrix, tasks, problem) = await ProblemAsync(db, day, movements, options, pinned, cancellationToken);
        var plan = tasks.Count == 0
            ? new TourPlan([], [], SearchOutcome.Optimal, TimeSpan.Zero)
            : new TourPlanner(TourPlannerOptions.ForDays with { TimeLimit = TimeSpan.FromSeconds(options.PlannerSeconds) }, logger).Plan(problem, cancellationToken);
        ValDromeMeter.TourPlanning.Record(plan.Elapsed.TotalSeconds);

        var stops = new List<TourStopEntry>();
        var route = plan.Routes.Count > 0 ? plan.Routes[0] : null;
        foreach (var stop in route?.Stops ?? [])
        {
            var movement = movements[stop.Task];
            var task = tasks[stop.Task];
            stops.Add(new TourStopEntry(movement, stop.Kind == StopKind.Pickup ? StopAction.Load : StopAction.Unload,
                (int)Math.Round(stop.Arrival), (int)Math.Round(stop.Departure), matrix.Metres(task.Pickup.Location, task.Delivery.Location)));
        }

        var pinnedKeys = pinned.SelectMany(p => p.Stops).Select(s => (movements[s.Task].Key, s.Kind == StopKind.Pickup ? StopAction.Load : StopAction.Unload)).ToHashSet();
        foreach (var stop in stops.Where(s => pinnedKeys.Contains((s.MovementKey, s.Action))))
        {
            stop.Pin();
        }

        tour.Replace(stops, plan.Dropped.Select(d => new TourLeftOut(movements[d.Task], d.Explanation, day)),
            plan.Metres, (int)Math.Round(route?.Start ?? Seconds(options.DayStart)), (int)Math.Round(route?.End ?? Seconds(options.DayStart)),
            // A break the solver put after the return to the depot is not part of the tour.
            route?.Lunch is { } lunch && lunch.Start < route.End ? (int)Math.Round(lunch.Start) : null, now);
        // Two plannings of one day at once: the loser's update (or the insert of the same day) fails.
        return await RowVersion.TrySaveAsync(db, cancellationToken, TourDayConfiguration.UniqueDay)
            ? movements.Count == 0 ? PlanOutcome.NothingToCarry : PlanOutcome.Planned
            : PlanOutcome.Conflict;
    }

    /// <summary>
    /// After a hand move or pin: times the open stops in their order as the planner would and runs
    /// <see cref="TourPlanChecker"/> on the result. Returns the French reason when the order cannot
    /// be driven (the tour is then left as it was loaded: the caller does not save), else null.
    /// </summary>
    public static async Task<string?> RetimeAsync(ValDromeDb db, TourDay tour, TransportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(tour);
        ArgumentNullException.ThrowIfNull(options);
        var begun = tour.Stops.Where(s => s.DoneAt is not null).Select(s => s.MovementKey).ToHashSet(StringComparer.Ordinal);
        var all = (await Movements.ForDayAsync(db, tour.Day, options.DepotHours, cancellationToken)).Where(m => !begun.Contains(m.Key)).ToList();
        // The carries whose two stops are on the tour, in the tour's order; the others are left out.
        var open = tour.Stops.Where(s => s.DoneAt is null).OrderBy(s => s.Sequence).ToList();
        var onTour = open.GroupBy(s => s.MovementKey).Where(g => g.Count() == 2).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var movements = all.Where(m => onTour.Contains(m.Key)).Concat(all.Where(m => !onTour.Contains(m.Key))).ToList();
        var timed = open.Where(s => onTour.Contains(s.MovementKey) && movements.Any(m => m.Key == s.MovementKey)).ToList();
        var (_, tasks, problem) = await ProblemAsync(db, tour.Day, movements, options, [], cancellationToken);
        var taskOf = movements.Select((m, i) => (m.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
        var order = timed.Select(s => new StopRef(taskOf[s.MovementKey], s.Action == StopAction.Load ? StopKind.Pickup : StopKind.Delivery)).ToList();

        var (route, failure) = HandOrder.Time(problem, 0, order);
        if (route is null)
        {
            return "Cet ordre n'est pas réalisable : " + failure switch
            {
                HandOrderFailure.UnloadedBeforeLoaded => "un matériel serait déchargé avant d'être chargé.",
                HandOrderFailure.Window => "un arrêt tomberait en dehors des horaires d'ouverture.",
                HandOrderFailure.DayEnd => "le camion rentrerait au dépôt après la fin de la journée de travail.",
                HandOrderFailure.Capacity => "le camion et sa remorque seraient trop chargés.",
                _ => "la pause déjeuner ne trouverait plus sa place.",
            } + " La tournée n'a pas été modifiée.";
        }

        var served = order.Select(s => s.Task).ToHashSet();
        var dropped = Enumerable.Range(0, tasks.Count).Where(t => !served.Contains(t)).Select(t => new DroppedTask(t, DropReason.CrowdedOut)).ToList();
        if (TourPlanChecker.Check(problem, new TourPlan([route], dropped, SearchOutcome.LocalOptimum, TimeSpan.Zero)).Count > 0)
        {
            return "Cet ordre ne passe pas la vérification de la tournée : elle n'a pas été modifiée.";
        }

        for (var k = 0; k < timed.Count; k++)
        {
            timed[k].Retime((int)Math.Round(route.Stops[k].Arrival), (int)Math.Round(route.Stops[k].Departure));
        }

        tour.Retime(route.Metres, (int)Math.Round(route.Start), (int)Math.Round(route.End),
            route.Lunch is { } lunch && lunch.Start < route.End ? (int)Math.Round(lunch.Start) : null);
        return null;
    }

    /// <summary>The day's problem for the planner: the depot first, then every place the carries go through.</summary>
    private static async Task<(ITravelMatrix Matrix, List<TransportTask> Tasks, TourProblem Problem)> ProblemAsync(
        ValDromeDb db, DateOnly day, List<Movement> movements, TransportOptions options, IReadOnlyList<PinnedStops> pinned, CancellationToken cancellationToken)
    {
        var depot = await db.Depots.OrderBy(d => d.Id).Select(d => new { d.Name, d.Location }).FirstAsync(cancellationToken);
        var places = new List<Place> { new("depot", depot.Name, depot.Location.X, depot.Location.Y, options.DepotHours) };
        var index = new Dictionary<string, int>(StringComparer.Ordinal) { ["depot"] = 0 };
        foreach (var place in movements.SelectMany(m => new[] { m.From, m.To }))
        {
            if (index.TryAdd(place.Key, places.Count))
            {
                places.Add(place);
            }
        }

        var matrix = await PostGisTravelMatrix.BuildAsync(db, [.. places.Select(p => (p.Longitude, p.Latitude))],
            options.DetourFactor, options.AverageSpeedKmh, cancellationToken);
        var tasks = movements.Select(m =>
        {
            var machine = m.Need == TransportNeed.TruckAndTrailer;
            var service = (machine ? options.MachineServiceMinutes : options.SmallItemServiceMinutes) * 60;
            return new TransportTask(m.Key,
                new TourStop(index[m.From.Key], Windows(m.From.Hours, day), service),
                new TourStop(index[m.To.Key], Windows(m.To.Hours, day), service),
                machine ? options.MachineLoad : options.SmallItemLoad);
        }).ToList();
        var problem = new TourProblem(matrix, 0,
            new WorkingDay(Seconds(options.DayStart), Seconds(options.DayEnd),
                options.LunchMinutes > 0 ? new LunchBreak(new TimeWindow(Seconds(options.LunchFrom), Seconds(options.LunchTo)), options.LunchMinutes * 60) : null),
            [new Vehicle(options.VehicleName, options.VehicleCapacity)], tasks, pinned);
        return (matrix, tasks, problem);
    }

    /// <summary>The open stops the technician pinned, in their current order, as the planner's pins.</summary>
    private static IReadOnlyList<PinnedStops> Pinned(TourDay tour, List<Movement> movements)
    {
        var taskOf = movements.Select((m, i) => (m.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
        var open = tour.Stops.Where(s => s.DoneAt is null).OrderBy(s => s.Sequence).ToList();
        var refs = open.Where(s => s.Pinned && taskOf.ContainsKey(s.MovementKey))
            .Select(s => new StopRef(taskOf[s.MovementKey], s.Action == StopAction.Load ? StopKind.Pickup : StopKind.Delivery))
            .ToList();
        // A pinned unloading needs its loading pinned before it: keep only whole, ordered pairs.
        refs = [.. refs.Where(r => r.Kind == StopKind.Pickup || refs.IndexOf(new StopRef(r.Task, StopKind.Pickup)) is >= 0 and var p && p < refs.IndexOf(r))];
        if (refs.Count == 0)
        {
            return [];
        }

        // Pinned stops that head the list stay first; otherwise only their order is kept.
        var fromStart = open.TakeWhile(s => s.Pinned).Count() >= refs.Count;
        return [new PinnedStops(0, refs, fromStart)];
    }

    /// <summary>The place's opening hours on that day's weekday, as the planner's time windows.</summary>
    public static IReadOnlyList<TimeWindow> Windows(string hours, DateOnly day) =>
        [.. OpeningHours.Parse(hours).On(day.DayOfWeek).Select(p => new TimeWindow(Seconds(p.From), Seconds(p.To)))];

    private static int Seconds(TimeOnly time) => (int)time.ToTimeSpan().TotalSeconds;
}

public enum PlanOutcome
{
    Planned,
    NothingToCarry,
    Conflict,

    /// <summary>A weekend, a public holiday, a closure or the technician's absence: no tour.</summary>
    NotAWorkingDay,
}
