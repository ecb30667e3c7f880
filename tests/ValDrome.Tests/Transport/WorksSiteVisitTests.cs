using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Services;
using ValDrome.Domain.Transport;
using ValDrome.Tests.Services;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Transport;

/// <summary>The works-site technician's visits in his day's tour, beside the equipment he carries (ADR 27).</summary>
public sealed class WorksSiteVisitTests(MarketSite site) : IClassFixture<MarketSite>
{
    private static readonly TransportOptions Options = new();

    /// <summary>A works-site request of the commune for the slot, assigned to the technician's agent.</summary>
    private async Task<int> VisitAsync(string insee, ServiceSlot slot)
    {
        await using var db = site.Database.CreateDb();
        var request = await ServicesMake.RequestAsync(db, insee, ServiceKind.WorksSite, slot);
        var loaded = await ServiceStore.LoadForChangeAsync(db, request.Id);
        loaded!.AssignTo(await ServicesMake.AgentAsync(db, "Paul Chabert"), ServicesMake.Staff, ValDromeApp.DefaultNow);
        Assert.Equal(ServiceSaveOutcome.Saved, await ServiceStore.TrySaveAsync(db));
        return loaded.Slots.Single().Id;
    }

    private async Task<(HttpClient Client, string Date, TourDay Tour)> PlanAsync(DateOnly day)
    {
        site.App.SetToday(day);
        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var client = await site.As("technicien");
        using var plan = await client.SubmitAsync($"/tournees?jour={date}", [], $"/tournees?jour={date}&handler=Plan");
        Assert.Equal(HttpStatusCode.Redirect, plan.StatusCode);
        await using var db = site.Database.CreateDb();
        return (client, date, await db.TourDays.Include(t => t.Stops).Include(t => t.LeftOut).AsNoTracking().SingleAsync(t => t.Day == day));
    }

    [Fact]
    public async Task A_visit_is_planned_in_its_slot_with_the_days_deliveries_and_the_day_passes_the_checker()
    {
        var day = site.Week().AddDays(2); // a Wednesday
        var booking = await VisitAsync("26165", new ServiceSlot(day, new TimeOnly(10, 0), new TimeOnly(11, 30)));
        var loan = await Make.LoanAsync(site.Database, "CCVD-MP-01", "26144", day.AddDays(1), day.AddDays(1), LoanStatus.Approved);

        var (_, _, tour) = await PlanAsync(day);

        Assert.Empty(tour.LeftOut);
        var visit = Assert.Single(tour.Stops, s => s.Action == StopAction.Visit);
        Assert.Equal((booking, Visits.KeyOf(booking), (int?)null), (visit.VisitBookingId, visit.MovementKey, visit.UnitId));
        Assert.True(visit.ArrivalSeconds <= 10 * 3600, $"arrives at {visit.ArrivalSeconds}");
        Assert.Equal(11 * 3600 + 1800, visit.DepartureSeconds);
        Assert.Contains(tour.Stops, s => s.DeliversLoanId == loan.Id);
        var ordered = tour.Stops.OrderBy(s => s.Sequence).ToList();
        Assert.All(ordered.Zip(ordered.Skip(1)), p => Assert.True(p.First.DepartureSeconds <= p.Second.ArrivalSeconds));
        // The independent checker, through the hand-order path: the saved order as it stands is valid.
        await using var db = site.Database.CreateDb();
        var tracked = await db.TourDays.Include(t => t.Stops).SingleAsync(t => t.Day == day);
        Assert.Null(await DayPlanning.RetimeAsync(db, tracked, Options));
    }

    [Fact]
    public async Task A_morning_on_a_site_is_reached_on_time_by_leaving_the_depot_earlier()
    {
        var day = site.Week().AddDays(2);
        await VisitAsync("26144", ServicesMake.Morning(day));

        var (_, _, tour) = await PlanAsync(day);

        var visit = Assert.Single(tour.Stops);
        Assert.True(visit.ArrivalSeconds <= 8 * 3600 && visit.DepartureSeconds == 12 * 3600, $"{visit.ArrivalSeconds}–{visit.DepartureSeconds}");
        Assert.True(tour.StartSeconds < 8 * 3600, $"leaves at {tour.StartSeconds}");
    }

    [Fact]
    public async Task A_slot_outside_the_technicians_day_is_left_out_with_a_french_reason_and_no_error()
    {
        var day = site.Week().AddDays(2);
        await VisitAsync("26144", new ServiceSlot(day, new TimeOnly(19, 0), new TimeOnly(20, 0)));

        var (client, date, tour) = await PlanAsync(day);

        Assert.Empty(tour.Stops);
        var left = Assert.Single(tour.LeftOut);
        Assert.True(left.IsVisit && left.Mandatory);
        Assert.StartsWith("Le créneau réservé (19\u00a0h – 20\u00a0h) déborde de la journée du technicien", left.Reason, StringComparison.Ordinal);
        var page = await (await client.GetAsync($"/tournees?jour={date}")).TextAsync();
        Assert.Contains("Ne tient pas dans la journée", page);
        Assert.Contains("créneau réservé par la commune : prévenez-la", page);
    }

    [Fact]
    public async Task The_road_sheet_shows_the_visit_with_its_site_slot_duration_and_contact()
    {
        var day = site.Week().AddDays(2);
        await VisitAsync("26144", new ServiceSlot(day, new TimeOnly(14, 0), new TimeOnly(16, 30)));

        var (client, date, _) = await PlanAsync(day);
        var page = await (await client.GetAsync($"/tournees?jour={date}")).TextAsync();

        Assert.Contains("Visite de chantier — <strong>Suivi de chantier : Remplacement du secrétariat</strong>", page);
        Assert.Contains("Chantier — Grane", page);
        Assert.Contains("<dd class=\"stop-window\">14 h – 16 h 30</dd>", page); // (non-breaking spaces read as spaces)
        Assert.Contains("<dd class=\"stop-duration\">2 h 30</dd>", page);
        Assert.Contains("<dd class=\"stop-visit-contact\">Le maire</dd>", page);
        Assert.Contains("<dd class=\"stop-address\">Mairie</dd>", page);
        Assert.Contains("\"visit\":true", page);
        Assert.Contains("1 visite de chantier", page);
    }

    [Fact]
    public async Task Cancelling_the_works_site_request_takes_its_visit_off_the_planned_tour_its_road_sheet_and_its_map()
    {
        var day = site.Week().AddDays(2); // a Wednesday
        var booking = await VisitAsync("26144", new ServiceSlot(day, new TimeOnly(14, 0), new TimeOnly(16, 0)));
        var loan = await Make.LoanAsync(site.Database, "CCVD-MP-01", "26144", day.AddDays(1), day.AddDays(1), LoanStatus.Approved);
        var (technician, date, planned) = await PlanAsync(day);
        Assert.Contains(planned.Stops, s => s.VisitBookingId == booking);
        int requestId;
        await using (var db = site.Database.CreateDb())
        {
            requestId = await db.AgentBookings.Where(b => b.Id == booking).Select(b => b.RequestId!.Value).SingleAsync();
        }

        // Grane cancels the day before, from the request's page.
        site.App.SetToday(day.AddDays(-1));
        var grane = await site.As("mairie-26144");
        var url = $"/services/demandes/{requestId}";
        var seen = System.Text.RegularExpressions.Regex.Match(await (await grane.GetAsync(url)).Content.ReadAsStringAsync(), "name=\"Seen\" value=\"(\\d+)\"");
        Assert.True(seen.Success);
        using var cancelled = await grane.SubmitAsync(url, new() { ["Seen"] = seen.Groups[1].Value }, url + "?handler=Cancel");

        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        await using var check = site.Database.CreateDb();
        var tour = await check.TourDays.Include(t => t.Stops).Include(t => t.LeftOut).AsNoTracking().SingleAsync(t => t.Day == day);
        Assert.DoesNotContain(tour.Stops, s => s.Action == StopAction.Visit || s.VisitBookingId == booking);
        Assert.Contains(tour.Stops, s => s.DeliversLoanId == loan.Id);
        Assert.Equal(Enumerable.Range(1, tour.Stops.Count), tour.Stops.OrderBy(s => s.Sequence).Select(s => s.Sequence));
        var sheet = await (await technician.GetAsync($"/tournees?jour={date}")).TextAsync();
        Assert.DoesNotContain("stop-visit", sheet, StringComparison.Ordinal);
        Assert.DoesNotContain("Suivi de chantier : Remplacement du secrétariat", sheet, StringComparison.Ordinal);
        Assert.DoesNotContain("\"visit\":true", sheet, StringComparison.Ordinal);
        Assert.DoesNotContain("visite de chantier", sheet, StringComparison.Ordinal);
    }
}
