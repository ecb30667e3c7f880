using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Loans;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Loans;

public sealed class LifecycleTests(MarketSite site) : IClassFixture<MarketSite>
{
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> ActAsync(string user, int loanId, string handler, Dictionary<string, string>? fields = null)
    {
        var client = await site.As(user);
        // A delivery or a return is recorded on its day or later: the clock goes to the day posted, then back.
        if (fields is not null && fields.TryGetValue("Day", out var day) && DateOnly.TryParseExact(day, "yyyy-MM-dd", out var posted) && posted > site.App.Today)
        {
            site.App.SetToday(posted);
        }

        try
        {
            return await client.SubmitAsync($"/prets/{loanId}", fields ?? [], $"/prets/{loanId}?handler={handler}");
        }
        finally
        {
            site.App.Clock.Now = ValDromeApp.DefaultNow;
        }
    }

    private async Task<Loan> LoadAsync(int loanId)
    {
        await using var db = site.Database.CreateDb();
        return await db.Loans.Include(l => l.Booking).Include(l => l.Events).AsNoTracking().SingleAsync(l => l.Id == loanId);
    }

    [Fact]
    public async Task A_loan_runs_from_request_to_close_with_its_timeline()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first.AddDays(2)); // Livron's backhoe, hour meter

        using var approve = await ActAsync("mairie-26165", loan.Id, "Approve");
        using var deliver = await ActAsync("technicien", loan.Id, "Deliver", new() { ["Day"] = Day(first), ["Meter"] = "1234,5", ["Note"] = "Bon état, plein fait" });
        using var giveBack = await ActAsync("technicien", loan.Id, "Return", new() { ["Day"] = Day(first.AddDays(2)), ["Meter"] = "1251.0", ["Damage"] = "Rétroviseur fendu" });
        using var close = await ActAsync("mairie-26165", loan.Id, "Close", new() { ["Note"] = "Rétroviseur facturé" });

        Assert.All([approve, deliver, giveBack, close], r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        var done = await LoadAsync(loan.Id);
        Assert.Equal(LoanStatus.Closed, done.Status);
        Assert.Equal((1234.5m, 1251.0m), (done.DeliveryMeter, done.ReturnMeter));
        Assert.Equal("Rétroviseur fendu", done.DamageReport);
        Assert.False(done.Booking.IsActive);
        Assert.Equal(
            [(null, LoanStatus.Requested), (LoanStatus.Requested, LoanStatus.Approved), (LoanStatus.Approved, LoanStatus.Delivered),
             (LoanStatus.Delivered, LoanStatus.Returned), (LoanStatus.Returned, LoanStatus.Closed)],
            done.Events.OrderBy(e => e.Id).Select(e => (e.From, e.To)));
        Assert.Equal("Technicien de la communauté de communes", done.Events.Single(e => e.To == LoanStatus.Delivered).ActorName);

        var page = await (await site.As("mairie-26144")).GetAsync($"/prets/{loan.Id}");
        var html = await page.TextAsync();
        Assert.Contains("Livré → Rendu", html);
        Assert.Contains("Dommages : Rétroviseur fendu", html);
        Assert.Contains("compteur 1 234,5 h", html);
    }

    [Fact]
    public async Task A_machine_with_an_hour_meter_is_not_delivered_without_its_reading()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first, LoanStatus.Approved);

        using var response = await ActAsync("technicien", loan.Id, "Deliver", new() { ["Day"] = Day(first) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Relevez le compteur horaire de l'engin à la livraison.", await response.TextAsync());
        Assert.Equal(LoanStatus.Approved, (await LoadAsync(loan.Id)).Status);
    }

    [Theory]
    [InlineData("99,5", "Le compteur au retour (99,5 h) ne peut pas être inférieur à celui de la livraison (100,0 h)")]
    [InlineData("cent", "« cent » n'est pas un relevé de compteur valable")]
    public async Task A_return_reading_below_the_delivery_one_or_unreadable_is_refused(string meter, string message)
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first, LoanStatus.Delivered);

        using var response = await ActAsync("technicien", loan.Id, "Return", new() { ["Day"] = Day(first), ["Meter"] = meter });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.TextAsync());
        Assert.Equal(LoanStatus.Delivered, (await LoadAsync(loan.Id)).Status);
    }

    [Fact]
    public async Task A_refusal_needs_a_reason_and_mails_the_borrower()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26006-MP-01", "26144", first, first);

        using var noReason = await ActAsync("mairie-26006", loan.Id, "Refuse", new() { ["Reason"] = "" });
        await site.App.SendNoticesAsync();
        var before = site.App.Mails().Count;
        using var refused = await ActAsync("mairie-26006", loan.Id, "Refuse", new() { ["Reason"] = "Pelle en panne" });
        await site.App.SendNoticesAsync();

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("Indiquez la raison du refus", await noReason.TextAsync());
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var done = await LoadAsync(loan.Id);
        Assert.Equal((LoanStatus.Refused, "Pelle en panne", false), (done.Status, done.RefusalReason, done.Booking.IsActive));
        var mail = Assert.Single(site.App.Mails().Skip(before));
        Assert.Equal("mairie-26144@valdrome.test", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Contains("Raison : Pelle en panne", mail.TextBody);
    }

    [Fact]
    public async Task Impossible_moves_are_refused_in_french()
    {
        var first = site.Week();
        var requested = await Make.LoanAsync(site.Database, "26006-MP-01", "26144", first, first);
        var delivered = await Make.LoanAsync(site.Database, "CCVD-MP-01", "26144", first, first, LoanStatus.Delivered);

        using var deliverRequested = await ActAsync("technicien", requested.Id, "Deliver", new() { ["Day"] = Day(first), ["Meter"] = "10" });
        using var cancelDelivered = await ActAsync("mairie-26144", delivered.Id, "Cancel");
        using var approveDelivered = await ActAsync("staff", delivered.Id, "Approve");

        Assert.Contains("Impossible de livrer ce prêt : il est demandé.", await deliverRequested.TextAsync());
        Assert.Contains("Impossible d'annuler ce prêt : il est livré.", await cancelDelivered.TextAsync());
        Assert.Contains("Impossible d'approuver ce prêt : il est livré.", await approveDelivered.TextAsync());
        Assert.All([deliverRequested, cancelDelivered, approveDelivered], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
    }

    [Fact]
    public async Task The_borrower_cancels_before_delivery_and_the_owner_is_told()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26006-MP-01", "26144", first, first, LoanStatus.Approved);
        await site.App.SendNoticesAsync();
        var before = site.App.Mails().Count;

        using var response = await ActAsync("mairie-26144", loan.Id, "Cancel", new() { ["Note"] = "Fête reportée" });
        await site.App.SendNoticesAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var done = await LoadAsync(loan.Id);
        Assert.Equal((LoanStatus.Cancelled, false), (done.Status, done.Booking.IsActive));
        var mail = Assert.Single(site.App.Mails().Skip(before));
        Assert.Equal("mairie-26006@valdrome.test", Assert.Single(mail.To.Mailboxes).Address);
        Assert.StartsWith("Prêt annulé", mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_extension_is_granted_by_the_owner_and_moves_the_booking()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26006-MP-01", "26144", first, first.AddDays(1), LoanStatus.Delivered);

        using var ask = await ActAsync("mairie-26144", loan.Id, "Extend", new() { ["NewLastDay"] = Day(first.AddDays(3)) });
        Assert.Equal(LoanStatus.Delivered, (await LoadAsync(loan.Id)).Status);
        Assert.Equal(first.AddDays(3), (await LoadAsync(loan.Id)).ExtensionLastDay);
        using var grant = await ActAsync("mairie-26006", loan.Id, "ApproveExtension");

        Assert.Equal(HttpStatusCode.Redirect, ask.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, grant.StatusCode);
        var done = await LoadAsync(loan.Id);
        Assert.Equal((first.AddDays(3), (DateOnly?)null), (done.LastDay, done.ExtensionLastDay));
        Assert.Equal(first.AddDays(5), done.Booking.Period.UpperBound);
        Assert.Equal(4 * 110m + Math.Round(done.TransportKm * 0.65m, 2, MidpointRounding.AwayFromZero), done.EstimatedCost);
    }

    [Fact]
    public async Task An_extension_over_the_next_booking_is_refused_like_a_new_request()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "CCVD-MP-02", "26144", first, first.AddDays(1), LoanStatus.Approved);
        await Make.LoanAsync(site.Database, "CCVD-MP-02", "26185", first.AddDays(5), first.AddDays(6));

        // Days first+2 … first+3 plus the two margins would touch first+4, the next loan's margin day.
        using var response = await ActAsync("mairie-26144", loan.Id, "Extend", new() { ["NewLastDay"] = Day(first.AddDays(3)) });
        using var shorter = await ActAsync("mairie-26144", loan.Id, "Extend", new() { ["NewLastDay"] = Day(first.AddDays(2)) });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("la prolongation n'est pas possible", await response.TextAsync());
        Assert.Equal(HttpStatusCode.Redirect, shorter.StatusCode);
    }

    [Fact]
    public async Task The_database_refuses_two_active_bookings_that_overlap()
    {
        var first = site.Week();
        await Make.LoanAsync(site.Database, "26166-PO-01", "26144", first, first.AddDays(1));

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => Make.LoanAsync(site.Database, "26166-PO-01", "26185", first.AddDays(1), first.AddDays(2)));

        Assert.Contains("ex_unit_bookings_no_overlap", error.InnerException!.Message, StringComparison.Ordinal);
    }
}
