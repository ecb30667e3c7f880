using ValDrome.Domain.Accounts;
using ValDrome.Domain.Calendar;

namespace ValDrome.Domain.Services;

public enum ServiceRequestStatus
{
    /// <summary>Waiting for staff (or the coordinator) to assign an agent.</summary>
    Requested,

    Assigned,

    Cancelled,
}

/// <summary>
/// A commune asks for a service on some slots (one, or every Tuesday morning for three months):
/// one request, its slots written in one transaction. The convention's terms are copied when it
/// is made, so that a later amendment does not change what was agreed.
/// </summary>
public sealed class ServiceRequest
{
    private readonly List<AgentBooking> _slots = [];

    private ServiceRequest()
    {
    }

    public int Id { get; private set; }

    public int CommuneId { get; private set; }

    public Communes.Commune Commune { get; private set; } = null!;

    public ServiceKind Service { get; private set; }

    public int ConventionId { get; private set; }

    public string Purpose { get; private set; } = "";

    public string Place { get; private set; } = "";

    public string Contact { get; private set; } = "";

    /// <summary>« Notre secrétaire est absente demain »: the commune chose the agent itself.</summary>
    public bool IsUrgent { get; private set; }

    public ServiceRequestStatus Status { get; private set; }

    public int? AgentId { get; private set; }

    public ServiceAgent? Agent { get; private set; }

    public BillingUnit Unit { get; private set; }

    public decimal Rate { get; private set; }

    public decimal MinimumUnits { get; private set; }

    public decimal RatePerKm { get; private set; }

    public string RequestedByUserId { get; private set; } = "";

    public string RequestedByName { get; private set; } = "";

    public DateTimeOffset RequestedAt { get; private set; }

    public string? AssignedByName { get; private set; }

    public DateTimeOffset? AssignedAt { get; private set; }

    public IReadOnlyList<AgentBooking> Slots => _slots;

    public ServiceCharge Terms => new(Unit, Rate, MinimumUnits, RatePerKm);

    /// <summary>The time of every slot at the convention's terms, travel not known yet.</summary>
    public decimal EstimatedCost => _slots.Where(s => s.IsActive).Sum(s => Terms.Amount(s.Starts, s.Ends));

    /// <summary>
    /// The request, refused (in French) when the commune has no convention for the service on
    /// one of the days, when a day is not worked (<paramref name="calendar"/>: <see cref="ServiceDays.CalendarAsync"/>)
    /// or out of <paramref name="earliest"/>..<paramref name="latest"/>, or when two of its slots overlap.
    /// </summary>
    public static ServiceRequest Create(
        Communes.Commune commune, ServiceKind service, ServiceConvention? convention, IReadOnlyCollection<ServiceSlot> slots,
        string purpose, string place, string contact, bool isUrgent, Actor by, DateTimeOffset at,
        DateOnly earliest, DateOnly latest, string whomToContact, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(commune);
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(calendar);
        if (slots.Count == 0)
        {
            throw new RuleException("Choisissez au moins un créneau.", "Slots");
        }

        if (slots.Count > ServiceDays.MaxSlots)
        {
            throw new RuleException($"Une demande compte au plus {ServiceDays.MaxSlots} créneaux : faites-en plusieurs.", "Slots");
        }

        var ordered = slots.OrderBy(s => s.Day).ThenBy(s => s.Start).ToList();
        var line = convention?.For(service);
        if (convention is null || line is null)
        {
            throw new RuleException(
                $"{commune.Name} n'a pas de convention pour le service « {ServiceWords.Name(service)} » en {ordered[0].Day.Year} : "
                + $"pour le réserver, contactez {whomToContact}.", "Service");
        }

        ServiceSlot? previous = null;
        foreach (var slot in ordered)
        {
            var day = Words.Day(slot.Day);
            if (slot.End <= slot.Start || slot.Start < new TimeOnly(7, 0) || slot.End > new TimeOnly(20, 0))
            {
                throw new RuleException($"Le créneau du {day} doit commencer après 7 h et finir avant 20 h, la fin après le début.", "Slots");
            }

            if (slot.Day < earliest || slot.Day > latest)
            {
                throw new RuleException($"Le {day} est hors des dates possibles (du {Words.Day(earliest)} au {Words.Day(latest)}).", "Slots");
            }

            if (calendar.WhyNotWorking(slot.Day) is { } why)
            {
                // A weekend says itself in the day's name; a holiday or a closure says why.
                var reason = slot.Day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? "" : " : " + why;
                throw new RuleException($"Le {day} n'est pas un jour travaillé par les services de la communauté{reason}.", "Slots");
            }

            if (!convention.Covers(slot.Day))
            {
                throw new RuleException(
                    $"Le {day} est hors de la convention {convention.Year} de {commune.Name} (du {Words.Day(convention.StartsOn)} au {Words.Day(convention.EndsOn)}) : "
                    + $"pour le réserver, contactez {whomToContact}.", "Slots");
            }

            if (previous is { } p && p.Day == slot.Day && slot.Start < p.End)
            {
                throw new RuleException($"Deux créneaux du {day} se chevauchent.", "Slots");
            }

            previous = slot;
        }

        purpose = (purpose ?? "").Trim();
        if (purpose.Length == 0)
        {
            throw new RuleException("Dites en quelques mots ce que l'agent viendra faire.", "Purpose");
        }

        var request = new ServiceRequest
        {
            Commune = commune,
            CommuneId = commune.Id,
            Service = service,
            ConventionId = convention.Id,
            Purpose = purpose,
            Place = (place ?? "").Trim(),
            Contact = (contact ?? "").Trim(),
            IsUrgent = isUrgent,
            Status = ServiceRequestStatus.Requested,
            Unit = line.Unit,
            Rate = line.Rate,
            MinimumUnits = line.MinimumUnits,
            RatePerKm = convention.RatePerKm,
            RequestedByUserId = by.UserId,
            RequestedByName = by.Name,
            RequestedAt = at.ToUniversalTime(),
        };
        request._slots.AddRange(ordered.Select(s => new AgentBooking(request, s)));
        return request;
    }

    /// <summary>Staff, admins, and the coordinator of the service (an agent whose account is linked) assign.</summary>
    public static bool MayAssign(Actor actor, ServiceAgent? actorsAgent, ServiceKind service)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsStaff || actor.IsAdmin || actorsAgent is { IsCoordinator: true, IsActive: true } a && a.Service == service;
    }

    /// <summary>
    /// Books every slot for the agent (or moves them to another agent). The agent must be of the
    /// service and work each day; overlaps with the agent's other bookings are refused by the database.
    /// </summary>
    public void AssignTo(ServiceAgent agent, Actor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(by);
        if (Status == ServiceRequestStatus.Cancelled)
        {
            throw new RuleException("Cette demande a été annulée.") { IsConflict = true };
        }

        if (agent.Service != Service || !agent.IsActive)
        {
            throw new RuleException($"{agent.Name} n'est pas un agent en activité du service « {ServiceWords.Name(Service)} ».", "AgentId");
        }

        var off = _slots.FirstOrDefault(s => s.IsActive && !agent.WorksOn(s.Day));
        if (off is not null)
        {
            throw new RuleException($"{agent.Name} ne travaille pas le {Words.Day(off.Day)}.", "AgentId");
        }

        foreach (var slot in _slots.Where(s => s.IsActive))
        {
            slot.AssignTo(agent.Id);
        }

        Agent = agent;
        AgentId = agent.Id;
        Status = ServiceRequestStatus.Assigned;
        AssignedByName = by.Name;
        AssignedAt = at.ToUniversalTime();
    }

    /// <summary>
    /// The commune cancels what has not started yet: its slots are freed and the request is
    /// cancelled. Once it has started (a slot today or past: every Tuesday for three months, cut
    /// short), only the slots to come are freed; what was worked stays, and is billed. Returns the
    /// slots freed.
    /// </summary>
    public IReadOnlyList<AgentBooking> Cancel(DateOnly today)
    {
        if (Status == ServiceRequestStatus.Cancelled)
        {
            throw new RuleException("Cette demande est déjà annulée.") { IsConflict = true };
        }

        var started = HasStarted(today);
        var freed = _slots.Where(s => s.IsActive && (!started || (s.Day > today && s.Time is null))).ToList();
        if (started && freed.Count == 0)
        {
            throw new RuleException("Cette demande n'a plus de créneau à venir : il n'y a rien à arrêter.");
        }

        foreach (var slot in freed)
        {
            slot.Release();
        }

        if (!started || _slots.All(s => !s.IsActive))
        {
            Status = ServiceRequestStatus.Cancelled;
        }

        return freed;
    }

    /// <summary>Whether a slot of the request is today or past: cancelling it then stops only what is to come.</summary>
    public bool HasStarted(DateOnly today) => _slots.Any(s => s.IsActive && s.Day <= today);

    /// <summary>
    /// The community closes <paramref name="day"/> (ADR 18): the agents do not work, so the
    /// request's slots of that day are freed, and a request left without a slot is cancelled. A
    /// slot whose time was already recorded was worked, and stays. Returns the slots freed.
    /// </summary>
    public IReadOnlyList<AgentBooking> CloseDay(DateOnly day)
    {
        var freed = _slots.Where(s => s.IsActive && s.Day == day && s.Time is null).ToList();
        foreach (var slot in freed)
        {
            slot.Release();
        }

        if (freed.Count > 0 && _slots.All(s => !s.IsActive))
        {
            Status = ServiceRequestStatus.Cancelled;
        }

        return freed;
    }

    public bool IsOfCommune(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.ActsFor(CommuneId);
    }
}

internal static class Words
{
    private static readonly System.Globalization.CultureInfo French = FrenchCulture.Instance;

    public static string Day(DateOnly day) => day.ToString("dddd d MMMM yyyy", French);
}
