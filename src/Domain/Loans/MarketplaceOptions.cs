namespace ValDrome.Domain.Loans;

/// <summary>Settings of the marketplace (section <c>ValDrome:Marketplace</c>).</summary>
public sealed class MarketplaceOptions
{
    public const string Section = "ValDrome:Marketplace";

    /// <summary>Euros per kilometre the technician drives (fuel, vehicle, time), charged to the borrower.</summary>
    public decimal TransportRatePerKm { get; set; } = 0.65m;

    /// <summary>Proposals come from no further than this; the answer says so when nothing is found.</summary>
    public double SearchRadiusKm { get; set; } = 60;

    /// <summary>How many proposals a request shows.</summary>
    public int Proposals { get; set; } = 10;

    /// <summary>Days an owner has to decide on a request before it lapses (never past the day the unit must leave).</summary>
    public int PendingRequestDays { get; set; } = 5;

    /// <summary>Requests a commune may have waiting for a decision in one category: holding units "just in case" has a limit.</summary>
    public int MaxPendingPerCategory { get; set; } = 3;

    /// <summary>How far ahead a request may go: its last day is at most this many months after today.</summary>
    public int RequestHorizonMonths { get; set; } = 18;

    /// <summary>The days a request made on <paramref name="today"/> may ask for.</summary>
    public RequestWindow Window(DateOnly today) => RequestWindow.From(today, RequestHorizonMonths);
}
