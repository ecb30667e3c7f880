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

    /// <summary>How far ahead a request may go: its last day is at most this many months after today.</summary>
    public int RequestHorizonMonths { get; set; } = 18;

    /// <summary>The days a request made on <paramref name="today"/> may ask for.</summary>
    public RequestWindow Window(DateOnly today) => RequestWindow.From(today, RequestHorizonMonths);
}
