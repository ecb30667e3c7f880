namespace ValDrome.Domain.Services;

/// <summary>
/// What one slot of a service costs under a convention's terms: the time (hours, rounded up to
/// the quarter, or half-days of four hours, a started one counted whole), never less than the
/// minimum billed per intervention, at the rate, plus the travel at the kilometre rate.
/// </summary>
public sealed record ServiceCharge(BillingUnit Unit, decimal Rate, decimal MinimumUnits, decimal RatePerKm)
{
    public static decimal Quantity(BillingUnit unit, TimeOnly start, TimeOnly end)
    {
        if (end <= start)
        {
            throw new ArgumentException("A slot ends after it starts.", nameof(end));
        }

        var minutes = (decimal)(end - start).TotalMinutes;
        return unit == BillingUnit.Hour
            ? Math.Ceiling(minutes / 15m) / 4m
            : Math.Ceiling(minutes / 60m / ServiceDays.HoursPerHalfDay);
    }

    /// <summary>The quantity billed: at least the convention's minimum.</summary>
    public decimal Billed(decimal quantity) => Math.Max(quantity, MinimumUnits);

    public decimal Time(decimal quantity) => Math.Round(Billed(quantity) * Rate, 2, MidpointRounding.AwayFromZero);

    public decimal Travel(decimal km) => Math.Round(km * RatePerKm, 2, MidpointRounding.AwayFromZero);

    public decimal Amount(TimeOnly start, TimeOnly end, decimal km = 0) => Time(Quantity(Unit, start, end)) + Travel(km);
}
