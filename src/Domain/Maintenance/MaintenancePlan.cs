using ValDrome.Domain.Equipment;

namespace ValDrome.Domain.Maintenance;

public enum MaintenanceKind
{
    /// <summary>Every N days since the last time.</summary>
    EveryDays,

    /// <summary>Every N hours on the unit's meter since the last time.</summary>
    EveryHours,

    /// <summary>After every N loans returned since the last time.</summary>
    EveryLoans,

    /// <summary>A dated regulatory inspection (for example the periodic inspection of lifting machines), renewed every N days.</summary>
    Inspection,
}

/// <summary>
/// When a unit must be serviced or inspected. When it falls due, a task is created for the
/// technician and the unit is booked for <see cref="DurationDays"/> (the loans' exclusion
/// constraint keeps loans off those days); an inspection past its date blocks all lending.
/// </summary>
public sealed class MaintenancePlan
{
    private MaintenancePlan()
    {
    }

    /// <summary>How far back a plan's last time may go: older than that is a typing slip, not a record.</summary>
    public const int MaxYearsSinceLastDone = 10;

    public MaintenancePlan(EquipmentUnit unit, MaintenanceKind kind, string label, int interval, int durationDays, DateOnly lastDoneOn, DateOnly today, decimal? lastDoneMeter = null)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(durationDays, 1);
        if (kind == MaintenanceKind.EveryHours && !unit.HasHourMeter)
        {
            throw new ArgumentException("A plan on hours needs a unit with an hour meter.", nameof(kind));
        }

        CheckDoneOn(lastDoneOn, today, "LastDoneOn");

        Unit = unit;
        Kind = kind;
        Label = label;
        Interval = interval;
        DurationDays = durationDays;
        LastDoneOn = lastDoneOn;
        LastDoneMeter = lastDoneMeter;
        NextDueOn = kind is MaintenanceKind.EveryDays or MaintenanceKind.Inspection ? lastDoneOn.AddDays(interval) : null;
    }

    public int Id { get; private set; }

    public int UnitId { get; private set; }

    public EquipmentUnit Unit { get; private set; } = null!;

    public MaintenanceKind Kind { get; private set; }

    public string Label { get; private set; } = "";

    /// <summary>Days, hours or loans, as <see cref="Kind"/> says.</summary>
    public int Interval { get; private set; }

    /// <summary>How many days the unit is kept off loans for it.</summary>
    public int DurationDays { get; private set; }

    public DateOnly LastDoneOn { get; private set; }

    public decimal? LastDoneMeter { get; private set; }

    /// <summary>For dated plans (days, inspection): the day it falls due.</summary>
    public DateOnly? NextDueOn { get; private set; }

    /// <summary>
    /// Whether the plan is due on <paramref name="today"/> given the unit's meter and the loans
    /// returned since it was last done; dated plans fall due <paramref name="lookAheadDays"/> ahead
    /// so that the technician sees them coming.
    /// </summary>
    public bool IsDue(DateOnly today, int loansSinceLastDone, int lookAheadDays = 0) => Kind switch
    {
        MaintenanceKind.EveryDays or MaintenanceKind.Inspection => NextDueOn <= today.AddDays(lookAheadDays),
        MaintenanceKind.EveryHours => Unit.MeterReading is { } meter && meter - (LastDoneMeter ?? 0) >= Interval,
        MaintenanceKind.EveryLoans => loansSinceLastDone >= Interval,
        _ => false,
    };

    /// <summary>An inspection whose date has passed: the unit may not be lent at all.</summary>
    public bool IsOverdueInspection(DateOnly today) => Kind == MaintenanceKind.Inspection && NextDueOn < today;

    /// <summary>A maintenance is done on a past day (or today), at most <see cref="MaxYearsSinceLastDone"/> years ago.</summary>
    public static void CheckDoneOn(DateOnly on, DateOnly today, string field)
    {
        if (on > today)
        {
            throw new RuleException("La date de l'intervention ne peut pas être dans le futur.", field);
        }

        if (on < today.AddYears(-MaxYearsSinceLastDone))
        {
            throw new RuleException($"La date de l'intervention ({on:dd/MM/yyyy}) remonte à plus de {MaxYearsSinceLastDone} ans : vérifiez-la.", field);
        }
    }

    internal void Done(DateOnly on, decimal? meter)
    {
        LastDoneOn = on;
        LastDoneMeter = meter ?? LastDoneMeter;
        NextDueOn = Kind is MaintenanceKind.EveryDays or MaintenanceKind.Inspection ? on.AddDays(Interval) : null;
    }
}
