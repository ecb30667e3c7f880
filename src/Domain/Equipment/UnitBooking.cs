using NpgsqlTypes;

namespace ValDrome.Domain.Equipment;

/// <summary>
/// Days a unit is taken, transport margins included. The database refuses two active bookings
/// of one unit whose periods overlap (an exclusion constraint): that, not a check in code, is
/// what makes double booking impossible. Loans hold one; maintenance windows will too.
/// </summary>
public sealed class UnitBooking
{
    private UnitBooking()
    {
    }

    internal UnitBooking(int unitId, DateOnly firstDay, DateOnly lastDay, int marginDays)
    {
        UnitId = unitId;
        Move(firstDay, lastDay, marginDays);
        IsActive = true;
    }

    public int Id { get; private set; }

    public int UnitId { get; private set; }

    public DateOnly FirstDay { get; private set; }

    public DateOnly LastDay { get; private set; }

    public int MarginDays { get; private set; }

    /// <summary>[first − margin, last + margin + 1): computed by PostgreSQL, read-only here.</summary>
    public NpgsqlRange<DateOnly> Period { get; private set; }

    public bool IsActive { get; private set; }

    public int? LoanId { get; private set; }

    public int? MaintenanceTaskId { get; private set; }

    /// <summary>A maintenance window: no margin, the technician works where the unit is.</summary>
    internal static UnitBooking ForMaintenance(int unitId, DateOnly firstDay, DateOnly lastDay) => new(unitId, firstDay, lastDay, 0);

    /// <summary>The days the unit is unavailable, margins included.</summary>
    public (DateOnly From, DateOnly To) BlockedDays => (FirstDay.AddDays(-MarginDays), LastDay.AddDays(MarginDays));

    internal void Move(DateOnly firstDay, DateOnly lastDay, int marginDays)
    {
        if (lastDay < firstDay)
        {
            throw new ArgumentException("A booking cannot end before it starts.", nameof(lastDay));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(marginDays);
        FirstDay = firstDay;
        LastDay = lastDay;
        MarginDays = marginDays;
    }

    internal void Release() => IsActive = false;
}
