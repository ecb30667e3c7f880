namespace ValDrome.Domain.Statements;

/// <summary>
/// How one returned loan is shared out. The borrower pays the rental (days × rate, days counted to
/// the return when it came late) and the transport; the lending commune is credited its share of
/// the rental, rounded to the cent; the community gets the rest. By construction
/// borrower's cost = lender's credit + community's credit, to the cent.
/// </summary>
public sealed record LoanCharge(int Days, decimal DailyRate, decimal TransportKm, decimal RatePerKm, bool LentByCommune, decimal LenderShare)
{
    public decimal Rental => Days * DailyRate;

    public decimal Transport => Math.Round(TransportKm * RatePerKm, 2, MidpointRounding.AwayFromZero);

    public decimal BorrowerCost => Rental + Transport;

    public decimal LenderCredit => LentByCommune ? Math.Round(Rental * LenderShare, 2, MidpointRounding.AwayFromZero) : 0m;

    public decimal CommunityCredit => BorrowerCost - LenderCredit;

    public static int ChargedDays(DateOnly firstDay, DateOnly lastDay, DateOnly returnedOn) =>
        (returnedOn > lastDay ? returnedOn : lastDay).DayNumber - firstDay.DayNumber + 1;
}
