using Microsoft.EntityFrameworkCore;
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
    public static async Task<TourDay> PlanAsync(ValDromeDb db, DateOnly day, TransportOptions options, DateTimeOffset now, CancellationToken cancellationToken = default)
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
                new TourStop(index[m.From.Key], Windows(m.From.Hours), service),
                new TourStop(index[m.To.Key], Windows(m.To.Hours), service),
                machine ? options.MachineLoad : options.SmallItemLoad);
        }).ToList();

        var pinned = Pinned(tour, movements);
        var problem = new TourProblem(matrix, 0,
            new WorkingDay(Seconds(options.DayStart), Seconds(options.DayEnd),
                options.LunchMinutes > 0 ? new LunchBreak(new TimeWindow(Seconds(options.LunchFrom), Seconds(options.LunchTo)), options.LunchMinutes * 60) : null),
            [new Vehicle(options.VehicleName, options.VehicleCapacity)], tasks, pinned);
        var plan = tasks.Count == 0
            ? new TourPlan([], [], SearchOutcome.Optimal, TimeSpan.Zero)
            : new TourPlanner(TourPlannerOptions.ForDays with { TimeLimit = TimeSpan.FromSeconds(options.PlannerSeconds) }).Plan(problem, cancellationToken);

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
            route?.Lunch is { } lunch ? (int)Math.Round(lunch.Start) : null, now);
        await db.SaveChangesAsync(cancellationToken);
        return tour;
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

    private static IReadOnlyList<TimeWindow> Windows(string hours) =>
        [.. OpeningHours.Parse(hours).Periods.Select(p => new TimeWindow(Seconds(p.From), Seconds(p.To)))];

    private static int Seconds(TimeOnly time) => (int)time.ToTimeSpan().TotalSeconds;
}
