namespace ValDrome.Domain.Loans;

/// <summary>
/// The days a commune may ask for: from tomorrow (the owner must have time to answer and the
/// technician to carry) to the horizon, <see cref="MarketplaceOptions.RequestHorizonMonths"/>
/// after today. A year-9999 request would never be billed and breaks calendar clients.
/// </summary>
public readonly record struct RequestWindow(DateOnly Today, DateOnly Latest)
{
    public DateOnly Earliest => Today.AddDays(1);

    public static RequestWindow From(DateOnly today, int horizonMonths)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonMonths, 1);
        return new RequestWindow(today, today.AddMonths(horizonMonths));
    }
}
