using ValDrome.Domain.Equipment;

namespace ValDrome.Domain.Maintenance;

/// <summary>
/// A due maintenance or inspection, for the technician. It holds a booking of the unit for the
/// planned days (in the same exclusion constraint as loans); closing it frees the unit, records
/// what was done, and moves the plan on.
/// </summary>
public sealed class MaintenanceTask
{
    private MaintenanceTask()
    {
    }

    public MaintenanceTask(MaintenancePlan plan, DateOnly dueOn, DateOnly plannedFrom, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Plan = plan;
        PlanId = plan.Id;
        UnitId = plan.UnitId;
        DueOn = dueOn;
        PlannedFrom = plannedFrom;
        PlannedTo = plannedFrom.AddDays(plan.DurationDays - 1);
        CreatedAt = at.ToUniversalTime();
        Booking = UnitBooking.ForMaintenance(plan.UnitId, PlannedFrom, PlannedTo);
    }

    public int Id { get; private set; }

    public int PlanId { get; private set; }

    public MaintenancePlan Plan { get; private set; } = null!;

    public int UnitId { get; private set; }

    public DateOnly DueOn { get; private set; }

    public DateOnly PlannedFrom { get; private set; }

    public DateOnly PlannedTo { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public bool IsOpen => ClosedOn is null;

    public DateOnly? ClosedOn { get; private set; }

    public string? Notes { get; private set; }

    public decimal? Cost { get; private set; }

    public decimal? MeterReading { get; private set; }

    public string? ClosedBy { get; private set; }

    /// <summary>When it was closed on the site (<see cref="ClosedOn"/> is the day the work was done).</summary>
    public DateTimeOffset? ClosedAt { get; private set; }

    public UnitBooking Booking { get; private set; } = null!;

    /// <summary>Highest cost recorded for one intervention (the column holds less than 100 million).</summary>
    public const decimal MaxCost = 1_000_000m;

    /// <summary>Longest notes (the column's size).</summary>
    public const int MaxNotesLength = 2000;

    /// <summary>Done: frees the unit (its booking and any block), records the reading, and schedules the next one.</summary>
    public void Close(EquipmentUnit unit, DateOnly on, string? notes, decimal? cost, decimal? meter, string by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (!IsOpen)
        {
            throw new RuleException("Cette intervention est déjà close.") { IsConflict = true };
        }

        MaintenancePlan.CheckDoneOn(on, DateOnly.FromDateTime(at.ToParis().DateTime), "Day");
        if (on < Plan.LastDoneOn)
        {
            throw new RuleException($"La date de l'intervention ne peut pas précéder la précédente ({Plan.LastDoneOn:dd/MM/yyyy}).", "Day");
        }

        if (cost is < 0)
        {
            throw new RuleException("Le coût ne peut pas être négatif.", "Cost");
        }

        if (cost > MaxCost)
        {
            throw new RuleException($"Le coût d'une intervention ne dépasse pas {MaxCost:N0} € : vérifiez le montant.", "Cost");
        }

        if (notes?.Trim() is { Length: > MaxNotesLength } tooLong)
        {
            throw new RuleException($"Les notes sont limitées à {MaxNotesLength:N0} caractères ; vous en avez saisi {tooLong.Length:N0}.", "Notes");
        }

        EquipmentUnit.CheckMeterReading(meter, "Meter");

        if (unit.HasHourMeter && meter is null)
        {
            throw new RuleException("Relevez le compteur horaire de l'engin.", "Meter");
        }

        if (meter is { } reading && unit.MeterReading is { } last && reading < last)
        {
            throw new RuleException($"Le compteur ({reading:N1} h) ne peut pas être inférieur au dernier relevé ({last:N1} h).", "Meter");
        }

        ClosedOn = on;
        Notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
        Cost = cost;
        MeterReading = unit.HasHourMeter ? meter : null;
        ClosedBy = by;
        ClosedAt = at.ToUniversalTime();
        if (MeterReading is { } m)
        {
            unit.ReadMeter(m);
        }

        Booking.Release();
        Plan.Done(on, MeterReading);
        unit.BackInService();
    }
}
