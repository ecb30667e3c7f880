using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ValDrome.Domain.Calendar;
using ValDrome.Domain.Equipment;
using ValDrome.Geo.Tours;

namespace ValDrome.Domain.Transport;

/// <summary>
/// Plans the technician's day: the carries the loans call for and his works-site visits (ADR 27),
/// the depot at Eurre as start and end, the mairies' opening hours, one truck and its trailer, the
/// working day and its lunch,
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

        // A carry already begun (its unit loaded) stays as it is, as does a visit done; the rest is planned again.
        var begun = tour.Stops.Where(s => s.DoneAt is not null).Select(s => s.MovementKey).ToHashSet(StringComparer.Ordinal);
        var movements = (await Movements.ForDayAsync(db, day, options.DepotHours, cancellationToken))
            .Where(m => !begun.Contains(m.Key)).ToList();
        var visits = (await Visits.ForDayAsync(db, day, cancellationToken)).Where(v => !begun.Contains(v.Key)).ToList();
        if (movements.Count == 0 && visits.Count == 0 && tour.Stops.All(s => s.DoneAt is null))
        {
            if (tour.Id != 0)
            {
                db.Remove(tour);
            }

            // No tour on a day off (ADR 18): one planned before the day was closed goes too.
            var outcome = (await WorkingCalendar.LoadAsync(db, day, day, cancellationToken)).IsWorkingDay(day) ? PlanOutcome.NothingToCarry : PlanOutcome.NotAWorkingDay;
            return tour.Id == 0 || await RowVersion.TrySaveAsync(db, cancellationToken) ? outcome : PlanOutcome.Conflict;
        }

        var pinned = Pinned(tour, movements, visits);
        var (matrix, tasks, problem) = await ProblemAsync(db, day, movements, visits, options, pinned, cancellationToken);
        var plan = tasks.Count == 0
            ? new TourPlan([], [], SearchOutcome.Optimal, TimeSpan.Zero)
            : new TourPlanner(TourPlannerOptions.ForDays with { TimeLimit = TimeSpan.FromSeconds(options.PlannerSeconds) }, logger).Plan(problem, cancellationToken);
        ValDromeMeter.TourPlanning.Record(plan.Elapsed.TotalSeconds);

        var stops = new List<TourStopEntry>();
        var route = plan.Routes.Count > 0 ? plan.Routes[0] : null;
        foreach (var stop in route?.Stops ?? [])
        {
            if (stop.Task >= movements.Count)
            {
                stops.Add(new TourStopEntry(visits[stop.Task - movements.Count], (int)Math.Round(stop.Arrival), (int)Math.Round(stop.Departure)));
                continue;
            }

            var movement = movements[stop.Task];
            var task = tasks[stop.Task];
            stops.Add(new TourStopEntry(movement, ActionOf(stop.Kind),
                (int)Math.Round(stop.Arrival), (int)Math.Round(stop.Departure), matrix.Metres(task.Pickup.Location, task.Delivery.Location)));
        }

        var pinnedKeys = pinned.SelectMany(p => p.Stops).Select(s => (tasks[s.Task].Id, ActionOf(s.Kind))).ToHashSet();
        foreach (var stop in stops.Where(s => pinnedKeys.Contains((s.MovementKey, s.Action))))
        {
            stop.Pin();
        }

        tour.Replace(stops, plan.Dropped.Select(d => d.Task < movements.Count
                ? new TourLeftOut(movements[d.Task], d.Explanation, day)
                : new TourLeftOut(visits[d.Task - movements.Count], VisitReason(d.Reason, visits[d.Task - movements.Count], problem.Day))),
            plan.Metres, (int)Math.Round(route?.Start ?? Seconds(options.DayStart)), (int)Math.Round(route?.End ?? Seconds(options.DayStart)),
            // A break the solver put after the return to the depot is not part of the tour.
            route?.Lunch is { } lunch && lunch.Start < route.End ? (int)Math.Round(lunch.Start) : null, now);
        // Two plannings of one day at once: the loser's update (or the insert of the same day) fails.
        return await RowVersion.TrySaveAsync(db, cancellationToken, TourDayConfiguration.UniqueDay)
            ? movements.Count + visits.Count == 0 ? PlanOutcome.NothingToCarry : PlanOutcome.Planned
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
        var visits = (await Visits.ForDayAsync(db, tour.Day, cancellationToken)).Where(v => !begun.Contains(v.Key)).ToList();
        // The carries whose two stops are on the tour, and the visits on it, in the tour's order; the others are left out.
        var open = tour.Stops.Where(s => s.DoneAt is null).OrderBy(s => s.Sequence).ToList();
        var onTour = open.GroupBy(s => s.MovementKey).Where(g => g.Count() == (g.First().Action == StopAction.Visit ? 1 : 2)).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var movements = all.Where(m => onTour.Contains(m.Key)).Concat(all.Where(m => !onTour.Contains(m.Key))).ToList();
        var (_, tasks, problem) = await ProblemAsync(db, tour.Day, movements, visits, options, [], cancellationToken);
        var taskOf = tasks.Select((t, i) => (t.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var timed = open.Where(s => onTour.Contains(s.MovementKey) && taskOf.ContainsKey(s.MovementKey)).ToList();
        var order = timed.Select(s => new StopRef(taskOf[s.MovementKey], KindOf(s.Action))).ToList();

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

    /// <summary>
    /// The day's problem for the planner: the depot first, then every place the carries and visits
    /// go through. Tasks are the carries in order, then the visits (task <c>movements.Count + i</c>
    /// is visit i): a visit's one stop lasts its slot and starts when it starts.
    /// </summary>
    private static async Task<(ITravelMatrix Matrix, List<TransportTask> Tasks, TourProblem Problem)> ProblemAsync(
        ValDromeDb db, DateOnly day, List<Movement> movements, List<Visit> visits, TransportOptions options, IReadOnlyList<PinnedStops> pinned,
        CancellationToken cancellationToken)
    {
        var depot = await db.Depots.OrderBy(d => d.Id).Select(d => new { d.Name, d.Location }).FirstAsync(cancellationToken);
        var places = new List<Place> { new("depot", depot.Name, depot.Location.X, depot.Location.Y, options.DepotHours) };
        var index = new Dictionary<string, int>(StringComparer.Ordinal) { ["depot"] = 0 };
        foreach (var place in movements.SelectMany(m => new[] { m.From, m.To }).Concat(visits.Select(v => v.Place)))
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
        tasks.AddRange(visits.Select(v => TransportTask.Visit(v.Key, new TourStop(index[v.Place.Key], new TimeWindow(v.StartSeconds, v.StartSeconds), v.DurationSeconds))));
        var problem = new TourProblem(matrix, 0, TechnicianDay(options, visits.Select(v => (v, index[v.Place.Key])), matrix),
            [new Vehicle(options.VehicleName, options.VehicleCapacity)], tasks, pinned);
        return (matrix, tasks, problem);
    }

    /// <summary>
    /// The technician's working day. The hours of a works-site slot are the commune's (a morning is
    /// 8 h – 12 h on site), so the day starts early enough to drive there and ends late enough to
    /// drive back, by <see cref="TransportOptions.VisitStretchMinutes"/> at most (ADR 27).
    /// </summary>
    private static WorkingDay TechnicianDay(TransportOptions options, IEnumerable<(Visit Visit, int Location)> visits, ITravelMatrix matrix)
    {
        var start = Seconds(options.DayStart);
        var end = Seconds(options.DayEnd);
        var stretch = options.VisitStretchMinutes * 60;
        foreach (var (visit, location) in visits)
        {
            start = Math.Min(start, Math.Max(Seconds(options.DayStart) - stretch, visit.StartSeconds - (int)Math.Ceiling(matrix.Seconds(0, location)) - 1));
            end = Math.Max(end, Math.Min(Seconds(options.DayEnd) + stretch, visit.EndSeconds + (int)Math.Ceiling(matrix.Seconds(location, 0)) + 1));
        }

        return new WorkingDay(Math.Max(0, start), end,
            options.LunchMinutes > 0 ? new LunchBreak(new TimeWindow(Seconds(options.LunchFrom), Seconds(options.LunchTo)), options.LunchMinutes * 60) : null);
    }

    /// <summary>Why a visit could not be planned, in French, from the planner's reason.</summary>
    private static string VisitReason(DropReason reason, Visit visit, WorkingDay day) => reason switch
    {
        DropReason.OutsideOpeningHours or DropReason.WorkingDayTooShort when visit.StartSeconds < day.Start || visit.EndSeconds > day.End =>
            $"Le créneau réservé ({visit.Hours}) déborde de la journée du technicien ({Clock(day.Start)} – {Clock(day.End)})\u00a0: voyez avec la commune pour le déplacer.",
        DropReason.OutsideOpeningHours or DropReason.WorkingDayTooShort =>
            $"Le créneau réservé ({visit.Hours}) ne laisse pas au technicien le temps d'aller sur place et de revenir au dépôt avec sa pause déjeuner dans la journée.",
        DropReason.CrowdedOut =>
            $"Le créneau réservé ({visit.Hours}) ne tient pas avec les autres visites du jour\u00a0: le technicien ne peut pas être à l'heure partout.",
        _ => DroppedTask.ExplanationOf(reason),
    };

    private static string Clock(int seconds) => OpeningHours.Clock(TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(seconds)));

    private static StopAction ActionOf(StopKind kind) => kind switch
    {
        StopKind.Pickup => StopAction.Load,
        StopKind.Delivery => StopAction.Unload,
        _ => StopAction.Visit,
    };

    private static StopKind KindOf(StopAction action) => action switch
    {
        StopAction.Load => StopKind.Pickup,
        StopAction.Unload => StopKind.Delivery,
        _ => StopKind.Visit,
    };

    /// <summary>The open stops the technician pinned, in their current order, as the planner's pins.</summary>
    private static IReadOnlyList<PinnedStops> Pinned(TourDay tour, List<Movement> movements, List<Visit> visits)
    {
        var taskOf = movements.Select(m => m.Key).Concat(visits.Select(v => v.Key)).Select((key, i) => (key, i))
            .ToDictionary(p => p.key, p => p.i, StringComparer.Ordinal);
        var open = tour.Stops.Where(s => s.DoneAt is null).OrderBy(s => s.Sequence).ToList();
        var refs = open.Where(s => s.Pinned && taskOf.ContainsKey(s.MovementKey))
            .Select(s => new StopRef(taskOf[s.MovementKey], KindOf(s.Action)))
            .ToList();
        // A pinned unloading needs its loading pinned before it: keep only whole, ordered pairs.
        refs = [.. refs.Where(r => r.Kind != StopKind.Delivery || refs.IndexOf(new StopRef(r.Task, StopKind.Pickup)) is >= 0 and var p && p < refs.IndexOf(r))];
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
