using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Loans;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Loans;

/// <summary>
/// Every date the site takes has bounds: a delivery between the first day less the unit's
/// transport margin (one day for a backhoe) and today, a return between the delivery and today,
/// a tour stop done on its day or later, a request from tomorrow to the horizon (18 months).
/// </summary>
public sealed class DateBoundsTests(MarketSite site) : IClassFixture<MarketSite>
{
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> ActOnAsync(DateOnly today, int loanId, string handler, Dictionary<string, string> fields)
    {
        var client = await site.As("technicien");
        site.App.SetToday(today);
        try
        {
            return await client.SubmitAsync($"/prets/{loanId}", fields, $"/prets/{loanId}?handler={handler}");
        }
        finally
        {
            site.App.Clock.Now = ValDromeApp.DefaultNow;
        }
    }

    [Fact]
    public async Task A_delivery_cannot_be_dated_after_today()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first.AddDays(1), LoanStatus.Approved);

        using var response = await ActOnAsync(first.AddDays(-1), loan.Id, "Deliver", new() { ["Day"] = Day(first), ["Meter"] = "1200" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("La date de livraison ne peut pas être dans le futur.", await response.TextAsync());
        Assert.Equal(LoanStatus.Approved, (await Make.StateAsync(site.Database, loan.Id)).Status);
    }

    [Fact]
    public async Task A_delivery_cannot_precede_the_first_day_less_the_transport_margin()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first.AddDays(1), LoanStatus.Approved);

        using var tooEarly = await ActOnAsync(first, loan.Id, "Deliver", new() { ["Day"] = Day(first.AddDays(-2)), ["Meter"] = "1200" });
        var refused = await Make.StateAsync(site.Database, loan.Id);
        using var onTheMargin = await ActOnAsync(first, loan.Id, "Deliver", new() { ["Day"] = Day(first.AddDays(-1)), ["Meter"] = "1200" });

        Assert.Equal(HttpStatusCode.BadRequest, tooEarly.StatusCode);
        Assert.Contains($"La date de livraison ne peut pas précéder le {first.AddDays(-1):dd/MM/yyyy}", await tooEarly.TextAsync());
        Assert.Equal(LoanStatus.Approved, refused.Status);
        Assert.Equal(HttpStatusCode.Redirect, onTheMargin.StatusCode);
        Assert.Equal(LoanStatus.Delivered, (await Make.StateAsync(site.Database, loan.Id)).Status);
    }

    [Fact]
    public async Task A_return_cannot_be_dated_after_today()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first.AddDays(1), LoanStatus.Delivered);

        using var response = await ActOnAsync(first.AddDays(1), loan.Id, "Return", new() { ["Day"] = Day(first.AddDays(29)), ["Meter"] = "120" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("La date de retour ne peut pas être dans le futur.", await response.TextAsync());
        Assert.Equal(LoanStatus.Delivered, (await Make.StateAsync(site.Database, loan.Id)).Status);
    }

    [Fact]
    public async Task An_unreadable_delivery_day_is_refused_instead_of_becoming_today()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first.AddDays(1), LoanStatus.Approved);

        using var response = await ActOnAsync(first, loan.Id, "Deliver", new() { ["Day"] = "hier", ["Meter"] = "1200" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("« hier » n'est pas une date valable", await response.TextAsync());
        Assert.Equal(LoanStatus.Approved, (await Make.StateAsync(site.Database, loan.Id)).Status);
    }

    [Theory]
    [InlineData("2026-12-01", "2026-12-01", "Une demande commence au plus tôt demain, le 02/12/2026")]
    [InlineData("2028-06-02", "2028-06-02", "Une demande ne peut pas aller au-delà du 01/06/2028.")]
    [InlineData("2028-05-30", "2028-06-03", "Une demande ne peut pas aller au-delà du 01/06/2028.")]
    [InlineData("9999-12-30", "9999-12-31", "Une demande ne peut pas aller au-delà du 01/06/2028.")]
    public async Task A_request_runs_from_tomorrow_to_the_horizon(string first, string last, string message)
    {
        var client = await site.As("mairie-26144");
        var unit = await Make.UnitIdAsync(site.Database, "26165-TP-01");

        using var proposals = await client.GetAsync($"/prets/demander?categorie=tractopelle&du={first}&au={last}");
        using var request = await client.SubmitAsync("/prets/demander", new()
        {
            ["UnitId"] = unit.ToString(CultureInfo.InvariantCulture), ["du"] = first, ["au"] = last, ["usage"] = "Curage",
        }, "/prets/demander");

        Assert.Equal(HttpStatusCode.BadRequest, proposals.StatusCode);
        Assert.Contains(message, await proposals.TextAsync());
        Assert.Equal(HttpStatusCode.BadRequest, request.StatusCode);
        Assert.Contains(message, await request.TextAsync());
        await using var db = site.Database.CreateDb();
        Assert.False(await db.Loans.AnyAsync(l => l.UnitId == unit && l.Purpose == "Curage"));
    }

    [Fact]
    public async Task A_request_on_the_horizon_is_taken()
    {
        var client = await site.As("mairie-26144");

        using var proposals = await client.GetAsync("/prets/demander?categorie=tractopelle&du=2028-05-31&au=2028-06-01");

        Assert.Equal(HttpStatusCode.OK, proposals.StatusCode);
    }

    [Fact]
    public async Task A_tour_stop_cannot_be_marked_done_before_its_day()
    {
        var first = site.Week().AddDays(2); // a Wednesday: the day before is a working day
        var loan = await Make.LoanAsync(site.Database, "CCVD-BA-01", "26165", first, first.AddDays(1), LoanStatus.Approved);
        var tourDay = first.AddDays(-1);
        var date = Day(tourDay);
        var client = await site.As("technicien");
        site.App.SetToday(tourDay.AddDays(-1));
        try
        {
            await client.SubmitAsync($"/tournees?jour={date}", [], $"/tournees?jour={date}&handler=Plan");
            await using var db = site.Database.CreateDb();
            var tour = await db.TourDays.Include(t => t.Stops).Include(t => t.LeftOut).AsNoTracking().SingleOrDefaultAsync(t => t.Day == tourDay);
            var stop = await db.TourStops.Where(s => s.MovementKey == $"livraison-{loan.Id}").OrderBy(s => s.Sequence).FirstOrDefaultAsync();
            Assert.True(stop is not null, tour is null ? "no tour" : string.Join("; ", tour.Stops.Select(s => s.MovementKey).Concat(tour.LeftOut.Select(l => l.MovementKey + ": " + l.Reason))));

            using var early = await client.SubmitAsync($"/tournees?jour={date}", [], $"/tournees?jour={date}&handler=Done&stop={stop!.Id}");

            Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
            Assert.Contains($"Cet arrêt est prévu le {tourDay:dd/MM/yyyy} : il ne peut pas être marqué fait avant ce jour.", await early.TextAsync());
            Assert.Null(await db.TourStops.Where(s => s.Id == stop.Id).Select(s => s.DoneAt).SingleAsync());
        }
        finally
        {
            site.App.Clock.Now = ValDromeApp.DefaultNow;
        }
    }
}
