namespace ValDrome.Domain.Loans;

/// <summary>
/// What a loan costs the borrower: days × daily rate, plus transport when the technician carries
/// the unit (there and back: 2 × the distance, × the rate per km). Money is decimal, rounded to the cent.
/// </summary>
public sealed record LoanPricing(int Days, decimal DailyRate, decimal TransportKm, decimal RatePerKm)
{
    public decimal Rental => Days * DailyRate;

    public decimal Transport => Math.Round(TransportKm * RatePerKm, 2, MidpointRounding.AwayFromZero);

    public decimal Total => Rental + Transport;

    public static LoanPricing For(int days, decimal dailyRate, double distanceMetres, bool carriedByTechnician, decimal ratePerKm)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(distanceMetres);
        var km = carriedByTechnician ? Math.Round((decimal)(2 * distanceMetres / 1000), 1, MidpointRounding.AwayFromZero) : 0m;
        return new LoanPricing(days, dailyRate, km, ratePerKm);
    }
}
