using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Calendar;

namespace ValDrome.Domain.Services;

/// <summary>
/// The hours of a half-day and the days the services work. A half-day is four hours, so that
/// an hour rate and a half-day rate bill the same slot consistently.
/// </summary>
public static class ServiceDays
{
    public static readonly TimeOnly MorningStart = new(8, 0);
    public static readonly TimeOnly MorningEnd = new(12, 0);
    public static readonly TimeOnly AfternoonStart = new(13, 30);
    public static readonly TimeOnly AfternoonEnd = new(17, 30);

    public const decimal HoursPerHalfDay = 4m;

    /// <summary>Most slots a request may hold (a year of one slot a day, working days).</summary>
    public const int MaxSlots = 260;

    /// <summary>
    /// The days the services work, for [<paramref name="from"/>, <paramref name="to"/>]: not on
    /// weekends, France's public holidays nor the community's closure days set by staff (ADR 18).
    /// The technician's absences are left out: they are his, not the services' (an agent's own
    /// absences are bookings of that agent). Every service rule asks this calendar.
    /// </summary>
    public static async Task<WorkingCalendar> CalendarAsync(ValDromeDb db, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var closures = await db.ClosureDays.Where(c => c.Day >= from && c.Day <= to)
            .Select(c => new { c.Day, c.Reason }).ToDictionaryAsync(c => c.Day, c => c.Reason, cancellationToken);
        return new WorkingCalendar(closures, []);
    }

    public static (TimeOnly Start, TimeOnly End) HalfDay(bool morning) =>
        morning ? (MorningStart, MorningEnd) : (AfternoonStart, AfternoonEnd);

    /// <summary>The bit of a weekday in <see cref="ServiceAgent.WorkingDays"/> (Sunday is bit 0, as <see cref="DayOfWeek"/>).</summary>
    public static int Bit(DayOfWeek day) => 1 << (int)day;

    /// <summary>Monday to Friday.</summary>
    public static readonly int Weekdays = Bit(DayOfWeek.Monday) | Bit(DayOfWeek.Tuesday) | Bit(DayOfWeek.Wednesday)
        | Bit(DayOfWeek.Thursday) | Bit(DayOfWeek.Friday);
}
