using ValDrome.Domain.Accounts;

namespace ValDrome.Domain.Services;

public enum TimeEntryStatus
{
    /// <summary>Recorded by the agent (or staff for them), waiting for the commune.</summary>
    Recorded,

    Confirmed,

    /// <summary>The commune disagrees: staff settle it.</summary>
    Disputed,

    /// <summary>Staff settled a dispute: what they recorded is billed.</summary>
    Settled,
}

/// <summary>
/// The time an agent actually spent on one slot: start, end, a note and the kilometres driven.
/// The commune confirms it or disputes it; staff settle a dispute. What is billed is this time
/// when it is confirmed or settled, the booked slot otherwise.
/// </summary>
public sealed class TimeEntry
{
    private TimeEntry()
    {
    }

    public TimeEntry(AgentBooking booking, TimeOnly started, TimeOnly ended, string? note, decimal travelKm, Actor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(booking);
        ArgumentNullException.ThrowIfNull(by);
        Booking = booking;
        BookingId = booking.Id;
        Set(started, ended, note, travelKm);
        RecordedByName = by.Name;
        RecordedAt = at.ToUniversalTime();
        Status = TimeEntryStatus.Recorded;
    }

    public int Id { get; private set; }

    public int BookingId { get; private set; }

    public AgentBooking Booking { get; private set; } = null!;

    public TimeOnly Started { get; private set; }

    public TimeOnly Ended { get; private set; }

    public string Note { get; private set; } = "";

    public decimal TravelKm { get; private set; }

    public string RecordedByName { get; private set; } = "";

    public DateTimeOffset RecordedAt { get; private set; }

    public TimeEntryStatus Status { get; private set; }

    public string? DisputeReason { get; private set; }

    public string? DecidedByName { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>The agent corrects what they recorded, until the commune has answered.</summary>
    public void Correct(TimeOnly started, TimeOnly ended, string? note, decimal travelKm, Actor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (Status != TimeEntryStatus.Recorded)
        {
            throw new RuleException("La commune a déjà répondu sur ce temps : il ne se corrige plus.") { IsConflict = true };
        }

        Set(started, ended, note, travelKm);
        RecordedByName = by.Name;
        RecordedAt = at.ToUniversalTime();
    }

    public void Confirm(Actor by, DateTimeOffset at) => Answer(TimeEntryStatus.Confirmed, null, by, at);

    public void Dispute(string reason, Actor by, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > 1000)
        {
            throw new RuleException("Dites ce qui ne va pas (1 000 caractères au plus).", "Reason");
        }

        Answer(TimeEntryStatus.Disputed, reason.Trim(), by, at);
    }

    /// <summary>Staff settle a dispute with the time they hold for right.</summary>
    public void Settle(TimeOnly started, TimeOnly ended, string? note, decimal travelKm, Actor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (Status != TimeEntryStatus.Disputed)
        {
            throw new RuleException("Ce temps n'est pas contesté, ou a déjà été tranché.") { IsConflict = true };
        }

        Set(started, ended, note, travelKm);
        Status = TimeEntryStatus.Settled;
        DecidedByName = by.Name;
        DecidedAt = at.ToUniversalTime();
    }

    /// <summary>Billed as recorded: confirmed by the commune or settled by staff.</summary>
    public bool IsAgreed => Status is TimeEntryStatus.Confirmed or TimeEntryStatus.Settled;

    private void Answer(TimeEntryStatus status, string? reason, Actor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (Status != TimeEntryStatus.Recorded)
        {
            throw new RuleException("La commune a déjà répondu sur ce temps.") { IsConflict = true };
        }

        Status = status;
        DisputeReason = reason;
        DecidedByName = by.Name;
        DecidedAt = at.ToUniversalTime();
    }

    private void Set(TimeOnly started, TimeOnly ended, string? note, decimal travelKm)
    {
        if (ended <= started)
        {
            throw new RuleException("L'heure de fin vient après l'heure de début.", "Ended");
        }

        if (travelKm is < 0 or > 1000)
        {
            throw new RuleException("Les kilomètres parcourus vont de 0 à 1 000.", "TravelKm");
        }

        if (note is { Length: > 1000 })
        {
            throw new RuleException("La note est limitée à 1 000 caractères.", "Note");
        }

        Started = started;
        Ended = ended;
        Note = note?.Trim() ?? "";
        TravelKm = Math.Round(travelKm, 1);
    }
}
