namespace ValDrome.Domain.Calendar;

/// <summary>A day the community's services are closed (a « pont », the end-of-year week), set by staff: no tour.</summary>
public sealed class ClosureDay
{
    private ClosureDay()
    {
    }

    public ClosureDay(DateOnly day, string reason, string by, DateTimeOffset at)
    {
        Day = day;
        Reason = WorkingCalendar.CheckReason(reason, "Reason");
        CreatedBy = by;
        CreatedAt = at.ToUniversalTime();
    }

    /// <summary>Two staff closing the same day at once: the second is told, nothing is doubled.</summary>
    public const string UniqueDay = "ix_closure_days_day";

    /// <summary>
    /// The first key of the day's transaction lock, <c>pg_advisory_xact_lock(LockClass, day's number)</c>:
    /// closing a day takes it alone, booking a service slot on it shares it (migration
    /// <c>ClosedDaysTakeNoSlot</c>), so neither misses the other (ADR 32).
    /// </summary>
    public const int LockClass = 1447;

    /// <summary>The error a slot booked on a closed day raises (the trigger's SQLSTATE).</summary>
    public const string SlotOnClosedDay = "VD001";

    public int Id { get; private set; }

    public DateOnly Day { get; private set; }

    public string Reason { get; private set; } = "";

    public string CreatedBy { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }
}

/// <summary>Days the technician is away (leave, training), set by staff: no tour on those days.</summary>
public sealed class TechnicianAbsence
{
    private TechnicianAbsence()
    {
    }

    public TechnicianAbsence(DateOnly firstDay, DateOnly lastDay, string reason, string by, DateTimeOffset at)
    {
        if (lastDay < firstDay)
        {
            throw new RuleException("Le dernier jour d'absence doit être le même que le premier ou après lui.", "LastDay");
        }

        if (lastDay.DayNumber - firstDay.DayNumber >= WorkingCalendar.MaxAbsenceDays)
        {
            throw new RuleException($"Une absence dure au plus {WorkingCalendar.MaxAbsenceDays} jours : saisissez-en plusieurs.", "LastDay");
        }

        FirstDay = firstDay;
        LastDay = lastDay;
        Reason = WorkingCalendar.CheckReason(reason, "Reason");
        CreatedBy = by;
        CreatedAt = at.ToUniversalTime();
    }

    public int Id { get; private set; }

    public DateOnly FirstDay { get; private set; }

    public DateOnly LastDay { get; private set; }

    public string Reason { get; private set; } = "";

    public string CreatedBy { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }
}
