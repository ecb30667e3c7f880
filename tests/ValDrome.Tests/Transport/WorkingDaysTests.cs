using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Calendar;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Transport;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Transport;

/// <summary>Issue 12: tours on working days only, deliveries and pick-ups on days the mairie is open (ADR 18).</summary>
public sealed class WorkingDaysTests(MarketSite site) : IClassFixture<MarketSite>
{
    private static readonly TransportOptions Options = new();

    [Theory]
    [InlineData(2026, "2026-04-06", "2026-05-14", "2026-05-25")]
    [InlineData(2027, "2027-03-29", "2027-05-06", "2027-05-17")]
    [InlineData(2028, "2028-04-17", "2028-05-25", "2028-06-05")]
    public void French_public_holidays_are_computed_for_any_year(int year, string easterMonday, string ascension, string pentecostMonday)
    {
        var holidays = PublicHolidays.In(year);

        foreach (var day in new[] { $"{year}-01-01", $"{year}-05-01", $"{year}-05-08", $"{year}-07-14", $"{year}-08-15", $"{year}-11-01", $"{year}-11-11", $"{year}-12-25", easterMonday, ascension, pentecostMonday })
        {
            Assert.True(holidays.ContainsKey(Day(day)), $"{day} is not a holiday");
            Assert.False(WorkingCalendar.Statutory.IsWorkingDay(Day(day)));
        }

        // Good Friday is a holiday in Alsace-Moselle only, not in the Drôme.
        Assert.False(holidays.ContainsKey(Day(easterMonday).AddDays(-3)));
        Assert.True(WorkingCalendar.Statutory.IsWorkingDay(Day(ascension).AddDays(-1)));
        Assert.Equal("jour férié (Ascension)", WorkingCalendar.Statutory.WhyNotWorking(Day(ascension)));
        Assert.Equal("Noël", holidays[Day($"{year}-12-25")]);
    }

    [Fact]
    public async Task A_loan_starting_on_a_monday_is_delivered_on_the_friday_before_never_on_the_weekend()
    {
        var monday = await MondayAsync();
        var loan = await Make.LoanAsync(site.Database, "CCVD-MP-01", "26144", monday, monday.AddDays(2), LoanStatus.Approved);

        var delivery = Assert.Single(await MovementsAsync(monday.AddDays(-3)), m => m.DeliversLoanId == loan.Id);

        Assert.Equal(monday.AddDays(-3), delivery.Latest);
        Assert.Empty(await MovementsAsync(monday.AddDays(-1)));
        Assert.Empty(await MovementsAsync(monday.AddDays(-2)));
    }

    [Fact]
    public async Task Without_margin_a_monday_loan_is_delivered_that_morning_and_on_the_friday_when_the_mairie_is_shut_on_mondays()
    {
        var monday = await MondayAsync();
        var loan = await Make.LoanAsync(site.Database, "CCVD-SO-01", "26097", monday, monday, LoanStatus.Approved);
        Assert.Contains(await MovementsAsync(monday), m => m.DeliversLoanId == loan.Id);

        await SetHoursAsync("26097", "mardi-vendredi 8h30-12h");

        Assert.DoesNotContain(await MovementsAsync(monday), m => m.DeliversLoanId == loan.Id);
        var delivery = Assert.Single(await MovementsAsync(monday.AddDays(-3)), m => m.DeliversLoanId == loan.Id);
        Assert.Equal(monday.AddDays(-3), delivery.Latest);
    }

    [Fact]
    public async Task A_pick_up_goes_on_the_first_day_after_the_last_that_the_borrower_is_open()
    {
        var monday = await MondayAsync();
        var friday = monday.AddDays(4);
        var loan = await Make.LoanAsync(site.Database, "26006-MP-01", "26185", monday.AddDays(3), friday, LoanStatus.Delivered);
        await SetHoursAsync("26185", "fermé le lundi");

        Assert.Empty(await MovementsAsync(friday.AddDays(1)));
        Assert.DoesNotContain(await MovementsAsync(friday.AddDays(3)), m => m.CollectsLoanId == loan.Id);
        var pickup = Assert.Single(await MovementsAsync(friday.AddDays(4)), m => m.CollectsLoanId == loan.Id);
        Assert.Equal(friday.AddDays(4), pickup.Earliest);
    }

    [Fact]
    public async Task Closure_days_and_the_technicians_absences_move_the_delivery_earlier()
    {
        var monday = await MondayAsync();
        var loan = await Make.LoanAsync(site.Database, "CCVD-TP-01", "26336", monday, monday.AddDays(1), LoanStatus.Approved);
        var staff = await site.As("staff");
        site.App.SetToday(monday.AddDays(-14));

        using var closed = await staff.SubmitAsync("/admin/calendrier", new() { ["Day"] = Iso(monday.AddDays(-3)), ["Reason"] = "pont" }, "/admin/calendrier?handler=Closure");
        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        Assert.Empty(await MovementsAsync(monday.AddDays(-3)));
        Assert.Contains(await MovementsAsync(monday.AddDays(-4)), m => m.DeliversLoanId == loan.Id);

        using var away = await staff.SubmitAsync("/admin/calendrier",
            new() { ["FirstDay"] = Iso(monday.AddDays(-5)), ["LastDay"] = Iso(monday.AddDays(-4)), ["Reason"] = "formation CACES" }, "/admin/calendrier?handler=Absence");
        Assert.Equal(HttpStatusCode.Redirect, away.StatusCode);
        Assert.Empty(await MovementsAsync(monday.AddDays(-4)));
        var delivery = Assert.Single(await MovementsAsync(monday.AddDays(-6)), m => m.DeliversLoanId == loan.Id);
        Assert.Equal(monday.AddDays(-6), delivery.Latest);
    }

    [Fact]
    public async Task No_tour_is_planned_on_a_sunday_and_the_page_says_why()
    {
        var monday = await MondayAsync();
        await Make.LoanAsync(site.Database, "CCVD-NA-01", "26144", monday, monday, LoanStatus.Approved);
        var sunday = monday.AddDays(-1);
        site.App.SetToday(sunday.AddDays(-1));
        var technician = await site.As("technicien");

        using var plan = await technician.SubmitAsync($"/tournees?jour={Iso(sunday)}", [], $"/tournees?jour={Iso(sunday)}&handler=Plan");
        var page = await (await technician.GetAsync($"/tournees?jour={Iso(sunday)}")).TextAsync();

        Assert.Equal(HttpStatusCode.Redirect, plan.StatusCode);
        await using var db = site.Database.CreateDb();
        Assert.False(await db.TourDays.AnyAsync(t => t.Day == sunday));
        Assert.Contains("Pas de tournée ce jour : ce n'est pas un jour travaillé.", page);
        Assert.Contains("Jour non travaillé (dimanche) : aucune tournée.", page);
    }

    [Fact]
    public void The_planner_gets_the_mairies_hours_of_that_weekday_as_time_windows()
    {
        var tuesday = new DateOnly(2027, 2, 2);

        var windows = DayPlanning.Windows("mardi et jeudi 9h-12h, 14h-17h", tuesday);

        Assert.Equal([(9 * 3600, 12 * 3600), (14 * 3600, 17 * 3600)], windows.Select(w => (w.Earliest, w.Latest)));
        Assert.Empty(DayPlanning.Windows("mardi et jeudi 9h-12h, 14h-17h", tuesday.AddDays(1)));
    }

    [Fact]
    public async Task A_planned_stop_falls_within_that_days_hours_of_the_mairie()
    {
        var monday = await MondayAsync();
        var loan = await Make.LoanAsync(site.Database, "CCVD-SO-01", "26098", monday, monday, LoanStatus.Approved);
        await SetHoursAsync("26098", "lundi 14h-16h ; mardi-vendredi 8h-9h");
        site.App.SetToday(monday);
        var technician = await site.As("technicien");

        using var plan = await technician.SubmitAsync($"/tournees?jour={Iso(monday)}", [], $"/tournees?jour={Iso(monday)}&handler=Plan");

        Assert.Equal(HttpStatusCode.Redirect, plan.StatusCode);
        await using var db = site.Database.CreateDb();
        var unload = await db.TourStops.AsNoTracking().SingleAsync(s => s.DeliversLoanId == loan.Id && s.Action == StopAction.Unload);
        Assert.InRange(unload.DepartureSeconds - (Options.SmallItemServiceMinutes * 60), 14 * 3600, 16 * 3600);
    }

    /// <summary>A Monday of its own whose week around it has no public holiday.</summary>
    private Task<DateOnly> MondayAsync()
    {
        while (true)
        {
            var monday = site.Week();
            if (Enumerable.Range(-7, 14).All(d => PublicHolidays.On(monday.AddDays(d)) is null))
            {
                return Task.FromResult(monday);
            }
        }
    }

    private async Task<IReadOnlyList<Movement>> MovementsAsync(DateOnly day)
    {
        await using var db = site.Database.CreateDb();
        return await Movements.ForDayAsync(db, day, Options.DepotHours);
    }

    private async Task SetHoursAsync(string insee, string typed)
    {
        var kept = OpeningHours.Parse(typed).ToString();
        await using var db = site.Database.CreateDb();
        await db.Communes.Where(c => c.Insee == insee).ExecuteUpdateAsync(s => s.SetProperty(c => c.OpeningHours, kept));
    }

    private static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
