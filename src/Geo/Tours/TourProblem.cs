namespace ValDrome.Geo.Tours;

/// <summary>An interval of time, in seconds from the start of the day, both ends included.</summary>
public sealed record TimeWindow
{
    public TimeWindow(int earliest, int latest)
    {
        if (earliest < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(earliest), earliest, "A time of day cannot be negative.");
        }

        if (latest < earliest)
        {
            throw new ArgumentOutOfRangeException(nameof(latest), latest, $"The window ends before it starts ({earliest}).");
        }

        Earliest = earliest;
        Latest = latest;
    }

    public int Earliest { get; }

    public int Latest { get; }

    public bool Contains(double time) => time >= Earliest && time <= Latest;

    public static TimeWindow FromHours(double earliest, double latest) =>
        new((int)Math.Round(earliest * 3600), (int)Math.Round(latest * 3600));
}

public enum StopKind
{
    Pickup,
    Delivery,

    /// <summary>The single stop of a visit: no load, just the service (a works-site visit).</summary>
    Visit,
}

/// <summary>
/// A place where the technician stops: the service (loading, unloading, signing) must start
/// within one of <see cref="Windows"/>, e.g. the mairie's morning and afternoon opening hours.
/// </summary>
public sealed record TourStop
{
    public TourStop(int location, IReadOnlyList<TimeWindow> windows, int serviceSeconds)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (location < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(location), location, "A location index cannot be negative.");
        }

        if (serviceSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(serviceSeconds), serviceSeconds, "A service duration cannot be negative.");
        }

        if (windows.Count == 0)
        {
            throw new ArgumentException("A stop needs at least one time window.", nameof(windows));
        }

        var sorted = windows.OrderBy(w => w.Earliest).ToArray();
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Earliest <= sorted[i - 1].Latest)
            {
                throw new ArgumentException("The time windows of a stop must not overlap.", nameof(windows));
            }
        }

        Location = location;
        Windows = sorted;
        ServiceSeconds = serviceSeconds;
    }

    public TourStop(int location, TimeWindow window, int serviceSeconds)
        : this(location, [window], serviceSeconds)
    {
    }

    public int Location { get; }

    /// <summary>Sorted, disjoint.</summary>
    public IReadOnlyList<TimeWindow> Windows { get; }

    public int ServiceSeconds { get; }

    public int Earliest => Windows[0].Earliest;

    public int Latest => Windows[^1].Latest;
}

/// <summary>
/// Carry a load (room taken on the vehicle, e.g. 1 trailer slot) from a pickup stop to a delivery
/// stop, on one vehicle; or, made by <see cref="Visit"/>, serve one stop that carries nothing
/// (a works-site visit), which the planner keeps before any number of carries.
/// <see cref="Id"/> is the caller's identifier (a loan, a unit, a booking).
/// </summary>
public sealed record TransportTask
{
    public TransportTask(string id, TourStop pickup, TourStop delivery, int load)
        : this(id, pickup, delivery, load, false)
    {
    }

    private TransportTask(string id, TourStop pickup, TourStop delivery, int load, bool isVisit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(pickup);
        ArgumentNullException.ThrowIfNull(delivery);
        if (load < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(load), load, "A load cannot be negative.");
        }

        Id = id;
        Pickup = pickup;
        Delivery = delivery;
        Load = load;
        IsVisit = isVisit;
    }

    /// <summary>One stop served for its service time within its windows, nothing loaded.</summary>
    public static TransportTask Visit(string id, TourStop stop) => new(id, stop, stop, 0, true);

    public string Id { get; }

    /// <summary>A visit's stop (the same as <see cref="Delivery"/>).</summary>
    public TourStop Pickup { get; }

    public TourStop Delivery { get; }

    public int Load { get; }

    /// <summary>A single stop (<see cref="StopKind.Visit"/>) rather than a pickup and a delivery.</summary>
    public bool IsVisit { get; }

    /// <summary>The kinds of stop this task has: a visit, or a pickup and a delivery.</summary>
    public IReadOnlyList<StopKind> Kinds => IsVisit ? [StopKind.Visit] : [StopKind.Pickup, StopKind.Delivery];

    public bool Has(StopKind kind) => IsVisit ? kind == StopKind.Visit : kind != StopKind.Visit;

    public TourStop Stop(StopKind kind) => kind == StopKind.Delivery ? Delivery : Pickup;
}

public sealed record Vehicle
{
    public Vehicle(string name, int capacity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (capacity < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A capacity cannot be negative.");
        }

        Name = name;
        Capacity = capacity;
    }

    public string Name { get; }

    public int Capacity { get; }

    /// <summary><paramref name="count"/> identical vehicles named 1, 2, …</summary>
    public static IReadOnlyList<Vehicle> Fleet(int count, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return [.. Enumerable.Range(1, count).Select(i => new Vehicle(i.ToString(System.Globalization.CultureInfo.InvariantCulture), capacity))];
    }
}

/// <summary>A break of <see cref="DurationSeconds"/> to be taken wholly inside <see cref="Window"/>.</summary>
public sealed record LunchBreak
{
    public LunchBreak(TimeWindow window, int durationSeconds)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (durationSeconds <= 0 || durationSeconds > window.Latest - window.Earliest)
        {
            throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, "The break must be positive and fit in its window.");
        }

        Window = window;
        DurationSeconds = durationSeconds;
    }

    public TimeWindow Window { get; }

    public int DurationSeconds { get; }
}

/// <summary>
/// When every vehicle may leave the depot and must be back. With a lunch break, every used
/// vehicle's day holds it: at the depot before leaving or after returning, or between two stops.
/// </summary>
public sealed record WorkingDay
{
    public WorkingDay(int start, int end, LunchBreak? lunch = null)
    {
        if (start < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, "A time of day cannot be negative.");
        }

        if (end <= start)
        {
            throw new ArgumentOutOfRangeException(nameof(end), end, $"The day must end after it starts ({start}).");
        }

        if (lunch is not null && (lunch.Window.Earliest < start || lunch.Window.Latest > end))
        {
            throw new ArgumentOutOfRangeException(nameof(lunch), "The lunch window must lie within the working day.");
        }

        Start = start;
        End = end;
        Lunch = lunch;
    }

    public int Start { get; }

    public int End { get; }

    public LunchBreak? Lunch { get; }
}

/// <summary>One end of a task.</summary>
public sealed record StopRef(int Task, StopKind Kind);

/// <summary>
/// Stops the technician has placed by hand on a vehicle. With <see cref="FromStart"/> they are
/// the first stops of the route in this order; otherwise only their relative order is kept and
/// the planner may insert other stops between them.
/// </summary>
public sealed record PinnedStops
{
    public PinnedStops(int vehicle, IReadOnlyList<StopRef> stops, bool fromStart)
    {
        ArgumentNullException.ThrowIfNull(stops);
        ArgumentOutOfRangeException.ThrowIfNegative(vehicle);
        if (stops.Count == 0)
        {
            throw new ArgumentException("Pin at least one stop.", nameof(stops));
        }

        if (stops.Distinct().Count() != stops.Count)
        {
            throw new ArgumentException("A stop is pinned twice.", nameof(stops));
        }

        foreach (var delivery in stops.Where(s => s.Kind == StopKind.Delivery))
        {
            var pickupAt = stops.ToList().IndexOf(new StopRef(delivery.Task, StopKind.Pickup));
            if (pickupAt > stops.ToList().IndexOf(delivery))
            {
                throw new ArgumentException($"Task {delivery.Task} is pinned with its delivery before its pickup.", nameof(stops));
            }
        }

        Vehicle = vehicle;
        Stops = [.. stops];
        FromStart = fromStart;
    }

    public int Vehicle { get; }

    public IReadOnlyList<StopRef> Stops { get; }

    public bool FromStart { get; }
}

/// <summary>
/// One day's pickup-and-delivery problem: vehicles leave <see cref="Depot"/> and come back to it
/// within <see cref="Day"/>; each task's pickup comes before its delivery on the same vehicle;
/// the load never exceeds the vehicle's capacity.
/// </summary>
public sealed record TourProblem
{
    public TourProblem(
        ITravelMatrix travel,
        int depot,
        WorkingDay day,
        IReadOnlyList<Vehicle> vehicles,
        IReadOnlyList<TransportTask> tasks,
        IReadOnlyList<PinnedStops>? pinned = null)
    {
        ArgumentNullException.ThrowIfNull(travel);
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(vehicles);
        ArgumentNullException.ThrowIfNull(tasks);
        if (depot < 0 || depot >= travel.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(depot), depot, $"The depot must be a location of the matrix (0 to {travel.Count - 1}).");
        }

        if (vehicles.Count == 0)
        {
            throw new ArgumentException("At least one vehicle is needed.", nameof(vehicles));
        }

        for (var t = 0; t < tasks.Count; t++)
        {
            if (tasks[t].Pickup.Location >= travel.Count || tasks[t].Delivery.Location >= travel.Count)
            {
                throw new ArgumentException($"Task {t} ({tasks[t].Id}) names a location outside the matrix.", nameof(tasks));
            }
        }

        pinned ??= [];
        var pinnedOn = new Dictionary<int, int>();
        foreach (var pin in pinned)
        {
            if (pin.Vehicle >= vehicles.Count)
            {
                throw new ArgumentException($"Stops are pinned on vehicle {pin.Vehicle}, which does not exist.", nameof(pinned));
            }

            foreach (var stop in pin.Stops)
            {
                if (stop.Task < 0 || stop.Task >= tasks.Count)
                {
                    throw new ArgumentException($"Task {stop.Task} is pinned but does not exist.", nameof(pinned));
                }

                if (!tasks[stop.Task].Has(stop.Kind))
                {
                    throw new ArgumentException($"Task {stop.Task} has no {stop.Kind} stop to pin.", nameof(pinned));
                }

                if (pinnedOn.TryGetValue(stop.Task, out var other) && other != pin.Vehicle)
                {
                    throw new ArgumentException($"Task {stop.Task} is pinned on two vehicles.", nameof(pinned));
                }

                pinnedOn[stop.Task] = pin.Vehicle;
            }
        }

        if (pinned.GroupBy(p => p.Vehicle).Any(g => g.Count() > 1))
        {
            throw new ArgumentException("Pin the stops of one vehicle in one sequence.", nameof(pinned));
        }

        if (pinned.SelectMany(p => p.Stops).Distinct().Count() != pinned.Sum(p => p.Stops.Count))
        {
            throw new ArgumentException("A stop is pinned twice.", nameof(pinned));
        }

        Travel = travel;
        Depot = depot;
        Day = day;
        Vehicles = [.. vehicles];
        Tasks = [.. tasks];
        Pinned = [.. pinned];
    }

    public ITravelMatrix Travel { get; }

    public int Depot { get; }

    public WorkingDay Day { get; }

    public IReadOnlyList<Vehicle> Vehicles { get; }

    public IReadOnlyList<TransportTask> Tasks { get; }

    public IReadOnlyList<PinnedStops> Pinned { get; }

    public TourProblem WithPinned(IReadOnlyList<PinnedStops> pinned) => new(Travel, Depot, Day, Vehicles, Tasks, pinned);
}
