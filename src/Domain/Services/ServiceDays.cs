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
    /// Whether the community works on <paramref name="day"/>: not on weekends nor France's public
    /// holidays, as the working-day calendar says (ADR 18). Every service rule asks here. The
    /// community's closure days are not read yet (they need the database; the technician's
    /// absences are his, not the services').
    /// </summary>
    public static bool IsCommunityWorkingDay(DateOnly day) => Calendar.WorkingCalendar.Statutory.IsWorkingDay(day);

    public static (TimeOnly Start, TimeOnly End) HalfDay(bool morning) =>
        morning ? (MorningStart, MorningEnd) : (AfternoonStart, AfternoonEnd);

    /// <summary>The bit of a weekday in <see cref="ServiceAgent.WorkingDays"/> (Sunday is bit 0, as <see cref="DayOfWeek"/>).</summary>
    public static int Bit(DayOfWeek day) => 1 << (int)day;

    /// <summary>Monday to Friday.</summary>
    public static readonly int Weekdays = Bit(DayOfWeek.Monday) | Bit(DayOfWeek.Tuesday) | Bit(DayOfWeek.Wednesday)
        | Bit(DayOfWeek.Thursday) | Bit(DayOfWeek.Friday);
}
