using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Transport;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Transport;

/// <summary>The technician reorders a planned day by hand: the day is timed again and checked, or refused in French.</summary>
public sealed class HandMoveTests(MarketSite site) : IClassFixture<MarketSite>
{
    [Fact]
    public async Task A_stop_moved_by_hand_is_the_only_one_pinned_and_the_day_is_timed_again()
    {
        var first = site.Week().AddDays(2); // a Wednesday: the days before it are working days
        // The mini-pelle goes out the day before its first day, the sound system (no margin) on its first day.
        await Make.LoanAsync(site.Database, "CCVD-MP-01", "26144", first, first, LoanStatus.Approved);
        await Make.LoanAsync(site.Database, "CCVD-SO-01", "26097", first.AddDays(-1), first.AddDays(-1), LoanStatus.Approved);
        var (client, date, tour) = await PlanAsync(first.AddDays(-1));
        var open = tour.Stops.OrderBy(s => s.Sequence).ToList();
        var unloads = open.Where(s => s.Action == StopAction.Unload).ToList();
        Assert.Equal(2, unloads.Count);
        Assert.Equal(unloads[0].Sequence + 1, unloads[1].Sequence); // both loaded at the depot first

        using var moved = await client.SubmitAsync($"/tournees?jour={date}", [], $"/tournees?jour={date}&handler=Move&stop={unloads[1].Id}&by=-1");

        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        var after = await TourAsync(tour.Day);
        var stops = after.Stops.OrderBy(s => s.Sequence).ToList();
        Assert.Equal(unloads[1].Id, stops[unloads[0].Sequence - 1].Id);
        Assert.Equal([unloads[1].Id], stops.Where(s => s.Pinned).Select(s => s.Id));
        // Timed for the new order: each stop after the one before, and the route ends after the last.
        Assert.All(stops.Zip(stops.Skip(1)), p => Assert.True(p.First.DepartureSeconds <= p.Second.ArrivalSeconds));
        Assert.True(stops[^1].DepartureSeconds <= after.EndSeconds);
        Assert.NotEqual(open.Select(s => s.ArrivalSeconds), stops.Select(s => s.ArrivalSeconds));
    }

    [Fact]
    public async Task An_order_that_unloads_before_loading_is_refused_in_french_and_changes_nothing()
    {
        var first = site.Week().AddDays(2); // a Wednesday: the days before it are working days
        await Make.LoanAsync(site.Database, "CCVD-MP-01", "26144", first, first, LoanStatus.Approved);
        var (client, date, tour) = await PlanAsync(first.AddDays(-1));
        var unload = Assert.Single(tour.Stops, s => s.Action == StopAction.Unload);

        using var moved = await client.SubmitAsync($"/tournees?jour={date}", [], $"/tournees?jour={date}&handler=Move&stop={unload.Id}&by=-1");

        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        Assert.Contains("Cet ordre n'est pas réalisable : un matériel serait déchargé avant d'être chargé.", await moved.TextAsync());
        var after = await TourAsync(tour.Day);
        Assert.Equal(tour.Stops.OrderBy(s => s.Id).Select(s => (s.Sequence, s.Pinned, s.ArrivalSeconds)), after.Stops.OrderBy(s => s.Id).Select(s => (s.Sequence, s.Pinned, s.ArrivalSeconds)));
    }

    [Fact]
    public async Task A_planned_lunch_break_is_never_after_the_return_to_the_depot()
    {
        var first = site.Week().AddDays(2); // a Wednesday: the days before it are working days
        await Make.LoanAsync(site.Database, "CCVD-SO-01", "26097", first, first, LoanStatus.Approved);

        var (_, _, tour) = await PlanAsync(first);

        Assert.True(tour.LunchStartSeconds is null || tour.LunchStartSeconds < tour.EndSeconds, $"lunch at {tour.LunchStartSeconds}, back at {tour.EndSeconds}");
    }

    private async Task<(HttpClient Client, string Date, TourDay Tour)> PlanAsync(DateOnly day)
    {
        site.App.SetToday(day);
        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var client = await site.As("technicien");
        using var plan = await client.SubmitAsync($"/tournees?jour={date}", [], $"/tournees?jour={date}&handler=Plan");
        Assert.Equal(HttpStatusCode.Redirect, plan.StatusCode);
        return (client, date, await TourAsync(day));
    }

    private async Task<TourDay> TourAsync(DateOnly day)
    {
        await using var db = site.Database.CreateDb();
        return await db.TourDays.Include(t => t.Stops).AsNoTracking().SingleAsync(t => t.Day == day);
    }
}
