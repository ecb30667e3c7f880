using ValDrome.Domain.Services;

namespace ValDrome.Tests.Services;

public sealed class ServiceChargeTests
{
    [Theory]
    [InlineData(8, 0, 12, 0, 4.0)]
    [InlineData(9, 0, 10, 10, 1.25)] // started quarters count whole
    [InlineData(14, 0, 14, 15, 0.25)]
    public void Hours_are_rounded_up_to_the_quarter(int h1, int m1, int h2, int m2, decimal hours) =>
        Assert.Equal(hours, ServiceCharge.Quantity(BillingUnit.Hour, new TimeOnly(h1, m1), new TimeOnly(h2, m2)));

    [Theory]
    [InlineData(8, 0, 12, 0, 1)]
    [InlineData(13, 30, 17, 30, 1)]
    [InlineData(9, 0, 10, 0, 1)] // a started half-day counts whole
    [InlineData(8, 0, 17, 0, 3)] // nine hours: more than two half-days of four hours
    public void Half_days_are_four_hours_and_a_started_one_counts(int h1, int m1, int h2, int m2, decimal halfDays) =>
        Assert.Equal(halfDays, ServiceCharge.Quantity(BillingUnit.HalfDay, new TimeOnly(h1, m1), new TimeOnly(h2, m2)));

    [Fact]
    public void The_rate_applies_to_the_quantity_and_travel_is_added_at_the_kilometre_rate()
    {
        var terms = new ServiceCharge(BillingUnit.Hour, 38m, 0m, 0.45m);

        Assert.Equal(3 * 38m + 12.15m, terms.Amount(new TimeOnly(9, 0), new TimeOnly(12, 0), 27m));
    }

    [Fact]
    public void Less_than_the_minimum_is_billed_as_the_minimum()
    {
        var terms = new ServiceCharge(BillingUnit.Hour, 38m, 2m, 0m);

        Assert.Equal(76m, terms.Amount(new TimeOnly(9, 0), new TimeOnly(9, 30)));
        Assert.Equal(114m, terms.Amount(new TimeOnly(9, 0), new TimeOnly(12, 0)));
    }

    [Fact]
    public void A_half_day_rate_bills_a_morning_once_and_an_hour_rate_bills_it_four_hours()
    {
        var (start, end) = ServiceDays.HalfDay(morning: true);

        Assert.Equal(95m, new ServiceCharge(BillingUnit.HalfDay, 95m, 1m, 0m).Amount(start, end));
        Assert.Equal(4 * 32m, new ServiceCharge(BillingUnit.Hour, 32m, 1m, 0m).Amount(start, end));
    }
}
