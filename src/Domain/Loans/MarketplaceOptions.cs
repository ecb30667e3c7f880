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
}
