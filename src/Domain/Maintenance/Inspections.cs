using Microsoft.EntityFrameworkCore;

namespace ValDrome.Domain.Maintenance;

/// <summary>A regulatory inspection past its date: the unit is not lent until it is done (ADR 18).</summary>
public sealed record LateInspection(int UnitId, string Label, DateOnly DueOn)
{
    /// <summary>« VGP semestrielle en retard de 8 jours (prévue le 23/11/2026) ».</summary>
    public string Describe(DateOnly today) => $"{Label} {Inspections.Lateness(DueOn, today)} (prévue le {DueOn:dd/MM/yyyy})";
}

/// <summary>
/// Whether a unit may be lent follows from its plans at the moment of asking, not from the night
/// job having run: the same test as the nearest-available query's (an inspection plan whose next
/// date is before today).
/// </summary>
public static class Inspections
{
    /// <summary>« en retard de 1 jour », « en retard de 8 jours ».</summary>
    public static string Lateness(DateOnly dueOn, DateOnly today)
    {
        var days = today.DayNumber - dueOn.DayNumber;
        return days <= 1 ? "en retard de 1 jour" : $"en retard de {days} jours";
    }

    /// <summary>The unit's most overdue inspection on <paramref name="today"/>, or null.</summary>
    public static async Task<LateInspection?> LateAsync(ValDromeDb db, int unitId, DateOnly today, CancellationToken cancellationToken = default) =>
        (await LateByUnitAsync(db, [unitId], today, cancellationToken)).GetValueOrDefault(unitId);

    /// <summary>For a page of units: each one's most overdue inspection.</summary>
    public static async Task<IReadOnlyDictionary<int, LateInspection>> LateByUnitAsync(
        ValDromeDb db, IReadOnlyCollection<int> unitIds, DateOnly today, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var late = await db.MaintenancePlans
            .Where(p => unitIds.Contains(p.UnitId) && p.Kind == MaintenanceKind.Inspection && p.NextDueOn < today)
            .Select(p => new LateInspection(p.UnitId, p.Label, p.NextDueOn!.Value))
            .ToListAsync(cancellationToken);
        return late.GroupBy(l => l.UnitId).ToDictionary(g => g.Key, g => g.MinBy(l => l.DueOn)!);
    }
}
