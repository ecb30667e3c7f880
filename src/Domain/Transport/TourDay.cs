using ValDrome.Domain.Equipment;

namespace ValDrome.Domain.Transport;

public enum StopAction
{
    /// <summary>Load the unit (at its home, or at a borrower's: then it is the loan's return).</summary>
    Load,

    /// <summary>Unload the unit (at a borrower's: the loan's delivery; at its home: back in store).</summary>
    Unload,

    /// <summary>A works-site visit (ADR 27): nothing loaded, the slot the commune booked.</summary>
    Visit,
}

/// <summary>
/// The technician's plan for one day: the stops in order, as the planner left them or as the
/// technician reordered and pinned them, and what could not fit, with why.
/// </summary>
public sealed class TourDay
{
    private readonly List<TourStopEntry> _stops = [];
    private readonly List<TourLeftOut> _leftOut = [];

    private TourDay()
    {
    }

    public TourDay(DateOnly day, string vehicle, DateTimeOffset at)
    {
        Day = day;
        Vehicle = vehicle;
        PlannedAt = at.ToUniversalTime();
    }

    public int Id { get; private set; }

    public DateOnly Day { get; private set; }

    public string Vehicle { get; private set; } = "";

    public DateTimeOffset PlannedAt { get; private set; }

    /// <summary>Road metres of the whole route, depot to depot (estimated).</summary>
    public double Metres { get; private set; }

    public int StartSeconds { get; private set; }

    public int EndSeconds { get; private set; }

    public int? LunchStartSeconds { get; private set; }

    public IReadOnlyList<TourStopEntry> Stops => _stops;

    public IReadOnlyList<TourLeftOut> LeftOut => _leftOut;

    /// <summary>Replaces the plan (stops already done stay as they were, first).</summary>
    public void Replace(IEnumerable<TourStopEntry> stops, IEnumerable<TourLeftOut> leftOut, double metres, int start, int end, int? lunchStart, DateTimeOffset at)
    {
        var done = _stops.Where(s => s.DoneAt is not null).OrderBy(s => s.Sequence).ToList();
        _stops.RemoveAll(s => s.DoneAt is null);
        var sequence = done.Count;
        foreach (var stop in stops)
        {
            stop.Renumber(++sequence);
            _stops.Add(stop);
        }

        _leftOut.Clear();
        _leftOut.AddRange(leftOut);
        Metres = metres;
        StartSeconds = start;
        EndSeconds = end;
        LunchStartSeconds = lunchStart;
        PlannedAt = at.ToUniversalTime();
    }

    /// <summary>New times for the same order, after a hand move or pin (see <see cref="DayPlanning.RetimeAsync"/>).</summary>
    internal void Retime(double metres, int start, int end, int? lunchStart)
    {
        Metres = metres;
        StartSeconds = start;
        EndSeconds = end;
        LunchStartSeconds = lunchStart;
    }

    /// <summary>Moves a stop up or down by one place among the stops not done yet; only that stop is pinned.</summary>
    public void Move(int stopId, int offset)
    {
        var open = _stops.Where(s => s.DoneAt is null).OrderBy(s => s.Sequence).ToList();
        var index = open.FindIndex(s => s.Id == stopId);
        var target = index + offset;
        if (index < 0 || target < 0 || target >= open.Count)
        {
            throw new RuleException("Cet arrêt ne peut pas être déplacé plus loin.");
        }

        (open[index], open[target]) = (open[target], open[index]);
        var first = _stops.Count - open.Count;
        for (var i = 0; i < open.Count; i++)
        {
            open[i].Renumber(first + i + 1);
        }

        open[target].Pin();
    }

    /// <summary>
    /// Takes a cancelled loan's delivery, or a cancelled works-site visit, out of the plan: its
    /// stops not done yet go, and its line among what did not fit; the others keep their order (a
    /// carry's load and unload leave together, so the route stays possible).
    /// </summary>
    public bool Withdraw(string movementKey)
    {
        _leftOut.RemoveAll(l => l.MovementKey == movementKey);
        var removed = _stops.RemoveAll(s => s.DoneAt is null && s.MovementKey == movementKey);
        var sequence = 0;
        foreach (var stop in _stops.OrderBy(s => s.Sequence).ToList())
        {
            stop.Renumber(++sequence);
        }

        return removed > 0;
    }
}

/// <summary>One stop of a day's route: load or unload one unit at one place, or a works-site visit.</summary>
public sealed class TourStopEntry
{
    private TourStopEntry()
    {
    }

    /// <summary>A works-site visit: its place and name are the site's; the booking says the rest (contact, hours).</summary>
    public TourStopEntry(Visit visit, int arrival, int departure)
    {
        ArgumentNullException.ThrowIfNull(visit);
        MovementKey = visit.Key;
        Action = StopAction.Visit;
        UnitName = Shorten("Suivi de chantier\u00a0: " + visit.Purpose, 120);
        Need = TransportNeed.None;
        PlaceKey = visit.Place.Key;
        PlaceName = Shorten(visit.Place.Name, 160);
        Longitude = visit.Place.Longitude;
        Latitude = visit.Place.Latitude;
        VisitBookingId = visit.BookingId;
        ArrivalSeconds = arrival;
        DepartureSeconds = departure;
    }

    public TourStopEntry(Movement movement, StopAction action, int arrival, int departure, double legMetres)
    {
        ArgumentNullException.ThrowIfNull(movement);
        MovementKey = movement.Key;
        Action = action;
        UnitId = movement.UnitId;
        UnitName = movement.UnitName;
        Need = movement.Need;
        var place = action == StopAction.Load ? movement.From : movement.To;
        PlaceKey = place.Key;
        PlaceName = place.Name;
        Longitude = place.Longitude;
        Latitude = place.Latitude;
        CollectsLoanId = action == StopAction.Load ? movement.CollectsLoanId : null;
        DeliversLoanId = action == StopAction.Unload ? movement.DeliversLoanId : null;
        CarryCollectsLoanId = movement.CollectsLoanId;
        CarryDeliversLoanId = movement.DeliversLoanId;
        ArrivalSeconds = arrival;
        DepartureSeconds = departure;
        LegMetres = legMetres;
    }

    public int Id { get; private set; }

    public int TourDayId { get; private set; }

    public int Sequence { get; private set; }

    public string MovementKey { get; private set; } = "";

    public StopAction Action { get; private set; }

    /// <summary>The unit loaded or unloaded; none on a visit.</summary>
    public int? UnitId { get; private set; }

    /// <summary>The unit's name, or what a visit is for.</summary>
    public string UnitName { get; private set; } = "";

    public TransportNeed Need { get; private set; }

    public string PlaceKey { get; private set; } = "";

    public string PlaceName { get; private set; } = "";

    public double Longitude { get; private set; }

    public double Latitude { get; private set; }

    /// <summary>Loading here is this loan's return (check-in).</summary>
    public int? CollectsLoanId { get; private set; }

    /// <summary>Unloading here is this loan's delivery (check-out).</summary>
    public int? DeliversLoanId { get; private set; }

    /// <summary>The carry's return, at whichever end of it this stop is: with <see cref="CarryDeliversLoanId"/>, the loans it serves.</summary>
    public int? CarryCollectsLoanId { get; private set; }

    /// <summary>The carry's delivery; both are set for a carry between two borrowers.</summary>
    public int? CarryDeliversLoanId { get; private set; }

    /// <summary>The loans the carry serves: one, or two for a carry between two borrowers.</summary>
    public IReadOnlyList<int> CarryLoanIds => [.. new[] { CarryCollectsLoanId, CarryDeliversLoanId }.OfType<int>()];

    /// <summary>The works-site slot (an agent booking) a visit serves.</summary>
    public int? VisitBookingId { get; private set; }

    public int ArrivalSeconds { get; private set; }

    public int DepartureSeconds { get; private set; }

    /// <summary>Road metres of the carry (from loading to unloading), charged to its loans.</summary>
    public double LegMetres { get; private set; }

    public bool Pinned { get; private set; }

    public DateTimeOffset? DoneAt { get; private set; }

    /// <summary>Who marked it done (a display name), to tell a second person who was quicker.</summary>
    public string? DoneBy { get; private set; }

    internal void Renumber(int sequence) => Sequence = sequence;

    internal void Retime(int arrival, int departure)
    {
        ArrivalSeconds = arrival;
        DepartureSeconds = departure;
    }

    public void Pin() => Pinned = true;

    public void Unpin() => Pinned = false;

    /// <summary>Done on the stop's <paramref name="day"/>: refused before that day, when nothing can have been carried yet.</summary>
    public void Done(DateTimeOffset at, string by, DateOnly day)
    {
        if (DateOnly.FromDateTime(at.ToParis().DateTime) < day)
        {
            throw new RuleException($"Cet arrêt est prévu le {day:dd/MM/yyyy} : il ne peut pas être marqué fait avant ce jour.");
        }

        Done(at, by);
    }

    internal static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    public void Done(DateTimeOffset at, string by)
    {
        if (DoneAt is not null)
        {
            throw new RuleException("Cet arrêt est déjà fait.") { IsConflict = true };
        }

        DoneAt = at.ToUniversalTime();
        DoneBy = by;
    }
}

/// <summary>A carry the day could not hold, and why (in French).</summary>
public sealed class TourLeftOut
{
    private TourLeftOut()
    {
    }

    public TourLeftOut(Movement movement, string reason, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(movement);
        MovementKey = movement.Key;
        Description = $"{movement.UnitName} : {movement.From.Name} → {movement.To.Name}";
        Reason = reason;
        Mandatory = movement.Latest <= day;
    }

    /// <summary>A works-site visit the day could not hold: its slot is the commune's, so it is always flagged.</summary>
    public TourLeftOut(Visit visit, string reason)
    {
        ArgumentNullException.ThrowIfNull(visit);
        ArgumentNullException.ThrowIfNull(reason);
        MovementKey = visit.Key;
        Description = TourStopEntry.Shorten($"Suivi de chantier\u00a0: {visit.Purpose} ({visit.Commune}, {visit.Hours})", 300);
        Reason = TourStopEntry.Shorten(reason, 200);
        Mandatory = true;
    }

    public int Id { get; private set; }

    public int TourDayId { get; private set; }

    public string MovementKey { get; private set; } = "";

    public bool IsVisit => Visits.IsVisitKey(MovementKey);

    public string Description { get; private set; } = "";

    public string Reason { get; private set; } = "";

    /// <summary>Its last possible day: leaving it out makes a loan late.</summary>
    public bool Mandatory { get; private set; }
}
