using Microsoft.EntityFrameworkCore;

namespace ValDrome.Domain.Calendar;

/// <summary>
/// The one place that says whether the technician works on a day (ADR 18): not on Saturdays and
/// Sundays, not on France's public holidays, not on the community's closure days, not while he
/// is away. Loaded for a span of days, then asked day by day without going back to the database.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly IReadOnlyDictionary<DateOnly, string> _closed;
    private readonly IReadOnlyList<(DateOnly First, DateOnly Last, string Reason)> _absences;

    public WorkingCalendar(IReadOnlyDictionary<DateOnly, string> closures, IReadOnlyList<(DateOnly First, DateOnly Last, string Reason)> absences)
    {
        _closed = closures;
        _absences = absences;
    }

    /// <summary>Only weekends and public holidays: no closure, no absence.</summary>
    public static WorkingCalendar Statutory { get; } = new(new Dictionary<DateOnly, string>(), []);

    public const int MaxReasonLength = 200;

    /// <summary>A leave or training longer than this is typed as several absences (and a typo in a year is caught).</summary>
    public const int MaxAbsenceDays = 92;

    /// <summary>How far ahead staff may close a day or record an absence, and how far back they may still remove one.</summary>
    public const int HorizonDays = 730;

    public bool IsWorkingDay(DateOnly day) => WhyNotWorking(day) is null;

    /// <summary>Why the technician does not work on <paramref name="day"/>, in French, or null on a working day.</summary>
    public string? WhyNotWorking(DateOnly day)
    {
        if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            return day.DayOfWeek == DayOfWeek.Saturday ? "samedi" : "dimanche";
        }

        if (PublicHolidays.On(day) is { } holiday)
        {
            return $"jour férié ({holiday})";
        }

        if (_closed.TryGetValue(day, out var closure))
        {
            return $"fermeture de la communauté ({closure})";
        }

        foreach (var (first, last, reason) in _absences)
        {
            if (day >= first && day <= last)
            {
                return $"absence du technicien ({reason})";
            }
        }

        return null;
    }

    /// <summary>The closures and absences that touch [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public static async Task<WorkingCalendar> LoadAsync(ValDromeDb db, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var closures = await db.ClosureDays.Where(c => c.Day >= from && c.Day <= to)
            .Select(c => new { c.Day, c.Reason }).ToDictionaryAsync(c => c.Day, c => c.Reason, cancellationToken);
        var absences = await db.TechnicianAbsences.Where(a => a.LastDay >= from && a.FirstDay <= to)
            .Select(a => new { a.FirstDay, a.LastDay, a.Reason }).ToListAsync(cancellationToken);
        return new WorkingCalendar(closures, [.. absences.Select(a => (a.FirstDay, a.LastDay, a.Reason))]);
    }

    internal static string CheckReason(string? reason, string field)
    {
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new RuleException("Indiquez le motif (par exemple « pont de l'Ascension » ou « congés »).", field);
        }

        if (trimmed.Length > MaxReasonLength)
        {
            throw new RuleException($"Le motif est limité à {MaxReasonLength} caractères ; vous en avez saisi {trimmed.Length}.", field);
        }

        return trimmed;
    }
}
