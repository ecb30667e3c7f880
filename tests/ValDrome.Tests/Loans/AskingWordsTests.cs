using ValDrome.Domain.Loans;

namespace ValDrome.Tests.Loans;

public sealed class AskingWordsTests
{
    [Theory]
    [InlineData("2027-07-09", "2027-07-12", 0)] // Friday → Monday: the weekend only
    [InlineData("2027-07-08", "2027-07-12", 1)] // Thursday → Monday: Friday
    [InlineData("2027-07-07", "2027-07-12", 2)]
    [InlineData("2027-07-12", "2027-07-12", 0)]
    public void Working_days_between_count_the_weekdays_strictly_between(string today, string first, int expected) =>
        Assert.Equal(expected, LoanCancellation.WorkingDaysBetween(DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Only_an_approved_loan_cancelled_close_to_its_day_is_late()
    {
        var monday = new DateOnly(2027, 7, 12);
        Assert.True(LoanCancellation.IsLate(LoanStatus.Approved, monday, monday.AddDays(-3)));
        Assert.True(LoanCancellation.IsLate(LoanStatus.Approved, monday, monday.AddDays(-4)));
        Assert.False(LoanCancellation.IsLate(LoanStatus.Approved, monday, monday.AddDays(-5)));
        Assert.False(LoanCancellation.IsLate(LoanStatus.Requested, monday, monday.AddDays(-1)));
    }

    [Fact]
    public void An_event_summary_counts_its_loans_by_how_they_stand() =>
        Assert.Equal("Fête du 14 juillet à Grane\u00a0: 4 prêts, 3 approuvés, 1 en attente",
            EventRequest.Summary("Fête du 14 juillet", "Grane", [LoanStatus.Approved, LoanStatus.Delivered, LoanStatus.Approved, LoanStatus.Requested]));

    [Theory]
    [InlineData("2027-07-12", "2027-07-14", "Libre du 12 au 14 juillet")]
    [InlineData("2027-06-30", "2027-07-02", "Libre du 30 juin au 2 juillet")]
    [InlineData("2027-07-01", "2027-07-01", "Libre le 1er juillet")]
    [InlineData("2027-12-31", "2028-01-01", "Libre du 31 décembre 2027 au 1er janvier 2028")]
    public void Free_days_are_said_the_french_way(string first, string last, string expected) =>
        Assert.Equal(expected, FreeUnits.FreeLabel(DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(last, System.Globalization.CultureInfo.InvariantCulture)));
}
