using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Transport;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Transport;

public sealed class TransportTests(MarketSite site) : IClassFixture<MarketSite>
{
    private static readonly TransportOptions Options = new();

    private async Task<IReadOnlyList<Movement>> MovementsAsync(DateOnly day)
    {
        await using var db = site.Database.CreateDb();
        return await Movements.ForDayAsync(db, day, Options.DepotHours);
    }

    [Fact]
    public async Task A_machine_is_delivered_the_day_before_its_first_day_from_the_depot()
    {
        var first = site.Week().AddDays(2); // a Wednesday: the days before it are working days
        var loan = await Make.LoanAsync(site.Database, "CCVD-MP-01", "26144", first, first.AddDays(2), LoanStatus.Approved);

        var before = await MovementsAsync(first.AddDays(-2));
        var due = await MovementsAsync(first.AddDays(-1));

        Assert.DoesNotContain(before, m => m.DeliversLoanId == loan.Id);
        var delivery = Assert.Single(due, m => m.DeliversLoanId == loan.Id);
        Assert.Equal(("depot", "mairie-26144", (int?)null), (delivery.From.Key, delivery.To.Key, delivery.CollectsLoanId));
    }

    [Fact]
    public async Task A_unit_comes_back_home_after_its_last_day()
    {
        var first = site.Week().AddDays(2); // a Wednesday: the days before it are working days
        var loan = await Make.LoanAsync(site.Database, "26006-MP-01", "26185", first, first.AddDays(1), LoanStatus.Delivered);

        var back = Assert.Single(await MovementsAsync(first.AddDays(2)), m => m.CollectsLoanId == loan.Id);

        Assert.Equal(("mairie-26185", "mairie-26006"), (back.From.Key, back.To.Key));
        Assert.DoesNotContain(await MovementsAsync(first.AddDays(1)), m => m.CollectsLoanId == loan.Id);
    }

    [Fact]
    public async Task A_unit_booked_again_goes_straight_on_to_the_next_borrower()
    {
        var first = site.Week().AddDays(2); // a Wednesday: the days before it are working days
        var out1 = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first.AddDays(1), LoanStatus.Delivered);
        var out2 = await Make.LoanAsync(site.Database, "26165-TP-01", "26185", first.AddDays(4), first.AddDays(5), LoanStatus.Approved);

        var day = await MovementsAsync(first.AddDays(2));
        var relay = await MovementsAsync(first.AddDays(3));

        // Back to back: picked up at Grane on first+2 (or first+3 at the latest), unloaded straight at Mirmande.
        var move = Assert.Single(day.Concat(relay).Where(m => m.CollectsLoanId == out1.Id).DistinctBy(m => m.Key));
        Assert.Equal(out2.Id, move.DeliversLoanId);
        Assert.Equal(("mairie-26144", "mairie-26185"), (move.From.Key, move.To.Key));
        Assert.DoesNotContain(day.Concat(relay), m => m.CollectsLoanId == out1.Id && m.To.Key == "mairie-26165");
    }

    [Fact]
    public async Task Units_the_borrower_collects_need_no_transport()
    {
        var first = site.Week().AddDays(2); // a Wednesday: the days before it are working days
        var loan = await Make.LoanAsync(site.Database, "26125-BN-01", "26144", first, first, LoanStatus.Approved); // Eurre's small tent: collected

        Assert.DoesNotContain(await MovementsAsync(first), m => m.DeliversLoanId == loan.Id);
    }

    [Fact]
    public async Task A_planned_day_keeps_every_stop_in_order_and_in_opening_hours()
    {
        var first = site.Week().AddDays(2); // a Wednesday: the days before it are working days
        var loans = new[]
        {
            await Make.LoanAsync(site.Database, "CCVD-MP-01", "26144", first, first, LoanStatus.Approved),
            await Make.LoanAsync(site.Database, "CCVD-BN-01", "26098", first.AddDays(-1), first.AddDays(-1), LoanStatus.Delivered),
            await Make.LoanAsync(site.Database, "26166-PO-01", "26336", first.AddDays(2), first.AddDays(3), LoanStatus.Approved),
            await Make.LoanAsync(site.Database, "CCVD-SO-01", "26097", first.AddDays(-1), first.AddDays(-1), LoanStatus.Delivered),
        };
        site.App.SetToday(first.AddDays(-1));

        var client = await site.As("technicien");
        var date = first.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var plan = await client.SubmitAsync($"/tournees?jour={date}", [], $"/tournees?jour={date}&handler=Plan");

        Assert.Equal(HttpStatusCode.Redirect, plan.StatusCode);
        await using var db = site.Database.CreateDb();
        var tour = await db.TourDays.Include(t => t.Stops).Include(t => t.LeftOut).AsNoTracking().SingleAsync(t => t.Day == first.AddDays(-1));
        var movements = await MovementsAsync(first.AddDays(-1));
        Assert.Equal(2 * movements.Count, tour.Stops.Count + (2 * tour.LeftOut.Count));
        Assert.Contains(tour.Stops, s => s.DeliversLoanId == loans[0].Id);
        foreach (var group in tour.Stops.GroupBy(s => s.MovementKey))
        {
            var load = group.Single(s => s.Action == StopAction.Load);
            var unload = group.Single(s => s.Action == StopAction.Unload);
            Assert.True(load.Sequence < unload.Sequence, $"{group.Key}: loaded after it is unloaded");
        }

        var ordered = tour.Stops.OrderBy(s => s.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, ordered.Count), ordered.Select(s => s.Sequence));
        Assert.All(ordered.Zip(ordered.Skip(1)), p => Assert.True(p.First.DepartureSeconds <= p.Second.ArrivalSeconds));
        Assert.All(ordered, s => Assert.True(InHours(s, first.AddDays(-1)), $"{s.PlaceName} at {s.ArrivalSeconds}"));
        Assert.True(tour.StartSeconds >= 8 * 3600 && tour.EndSeconds <= 17.5 * 3600);

        var page = await (await client.GetAsync($"/tournees?jour={date}")).TextAsync();
        Assert.Contains("Feuille de route", page);
        Assert.Contains("Décharger <strong>Mini-pelle Kubota KX019-4</strong>", page);
    }

    [Fact]
    public async Task Marking_stops_done_records_the_delivery_and_the_kilometres()
    {
        var first = site.Week().AddDays(2); // a Wednesday: the days before it are working days
        var loan = await Make.LoanAsync(site.Database, "CCVD-BA-01", "26165", first, first.AddDays(1), LoanStatus.Approved); // sweeper, hour meter
        var date = first.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        site.App.SetToday(first.AddDays(-1));
        var client = await site.As("technicien");
        await client.SubmitAsync($"/tournees?jour={date}", [], $"/tournees?jour={date}&handler=Plan");
        await using var db = site.Database.CreateDb();
        var stops = await db.TourStops.Where(s => s.MovementKey == $"livraison-{loan.Id}").OrderBy(s => s.Sequence).AsNoTracking().ToListAsync();
        var tour = await db.TourDays.Include(t => t.Stops).Include(t => t.LeftOut).AsNoTracking().SingleAsync(t => t.Day == first.AddDays(-1));
        Assert.True(stops.Count == 2, string.Join("; ", tour.Stops.Select(s => s.MovementKey).Concat(tour.LeftOut.Select(l => l.MovementKey + ": " + l.Reason))));

        using var loaded = await client.SubmitAsync($"/tournees?jour={date}", [], $"/tournees?jour={date}&handler=Done&stop={stops[0].Id}");
        using var noMeter = await client.SubmitAsync($"/tournees?jour={date}", [], $"/tournees?jour={date}&handler=Done&stop={stops[1].Id}");
        using var unloaded = await client.SubmitAsync($"/tournees?jour={date}", new() { ["Meter"] = "812,5" }, $"/tournees?jour={date}&handler=Done&stop={stops[1].Id}");

        Assert.Equal(HttpStatusCode.Redirect, loaded.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noMeter.StatusCode);
        Assert.Contains("Relevez le compteur horaire", await noMeter.TextAsync());
        Assert.Equal(HttpStatusCode.Redirect, unloaded.StatusCode);
        var delivered = await db.Loans.AsNoTracking().SingleAsync(l => l.Id == loan.Id);
        Assert.Equal((LoanStatus.Delivered, 812.5m), (delivered.Status, delivered.DeliveryMeter));
        Assert.Equal(Math.Round((decimal)(stops[1].LegMetres / 1000), 1, MidpointRounding.AwayFromZero), delivered.ActualTransportKm);
        Assert.InRange(delivered.ActualTransportKm!.Value, 15m, 30m); // Eurre depot → Livron, × 1.3
    }

    [Fact]
    public async Task Tours_are_for_the_workshop_and_a_bad_date_is_refused()
    {
        using var agent = await (await site.As("mairie-26144")).GetAsync("/tournees");
        using var bad = await (await site.As("technicien")).GetAsync("/tournees?jour=demain");

        Assert.StartsWith("/acces-refuse", agent.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.True(HttpStatusCode.BadRequest == bad.StatusCode, bad.Headers.Location?.ToString());
        Assert.Contains("« demain » n'est pas une date valable", await bad.TextAsync());
    }

    private static bool InHours(TourStopEntry stop, DateOnly day)
    {
        var hours = stop.PlaceKey == "depot" ? OpeningHours.Parse(Options.DepotHours) : OpeningHours.Parse(OpeningHours.Default);
        var service = stop.DepartureSeconds - (stop.Need == Domain.Equipment.TransportNeed.TruckAndTrailer ? Options.MachineServiceMinutes : Options.SmallItemServiceMinutes) * 60;
        return hours.On(day.DayOfWeek).Any(p => service >= p.From.ToTimeSpan().TotalSeconds - 1 && service <= p.To.ToTimeSpan().TotalSeconds + 1);
    }
}
