using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Notices;
using ValDrome.Jobs;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Jobs;

/// <summary>Requests the owner leaves undecided lapse (issue 10: a commune held a unit for six months).</summary>
public sealed class ExpiryTests(MarketSite site) : IClassFixture<MarketSite>
{
    private Task<int> RunAsync() => site.App.RunJobAsync<ExpirePendingRequests, int>(j => j.RunAsync(CancellationToken.None));

    private async Task<Loan> LoadAsync(int id)
    {
        await using var db = site.Database.CreateDb();
        return await db.Loans.Include(l => l.Events).Include(l => l.Booking).AsNoTracking().SingleAsync(l => l.Id == id);
    }

    [Fact]
    public async Task A_request_left_undecided_five_days_expires_and_both_communes_are_told_once()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26006-MP-01", "26144", first, first.AddDays(1)); // requested on 1 December

        site.App.SetToday(new DateOnly(2026, 12, 6));
        await RunAsync();
        Assert.Equal(LoanStatus.Requested, (await LoadAsync(loan.Id)).Status); // the fifth day is still the owner's

        site.App.SetToday(new DateOnly(2026, 12, 7));
        await RunAsync();
        await RunAsync();
        await site.App.SendNoticesAsync();

        var expired = await LoadAsync(loan.Id);
        Assert.Equal((LoanStatus.Refused, false), (expired.Status, expired.Booking.IsActive));
        var line = Assert.Single(expired.Events, e => e.To == LoanStatus.Refused);
        Assert.Equal("ValDrome", line.ActorName);
        var mail = Assert.Single(site.App.Mails(), m => (m.TextBody ?? "").Contains($"/prets/{loan.Id}", StringComparison.Ordinal));
        Assert.StartsWith("Demande expirée : Mini-pelle Takeuchi TB216", mail.Subject, StringComparison.Ordinal);
        Assert.Equal(["mairie-26006@valdrome.test", "mairie-26144@valdrome.test"], mail.To.Mailboxes.Select(m => m.Address).Order(StringComparer.Ordinal));
        await using var db = site.Database.CreateDb();
        Assert.Equal(1, await db.Notices.CountAsync(n => n.LoanId == loan.Id && n.Kind == NoticeKind.Expired));
    }

    [Fact]
    public async Task A_request_expires_when_the_unit_must_leave_even_before_its_five_days()
    {
        // First day 4 December, requested 1 December: the unit must leave a margin before the 4th.
        var loan = await Make.LoanAsync(site.Database, "CCVD-MP-02", "26185", new DateOnly(2026, 12, 4), new DateOnly(2026, 12, 4));
        var leaves = new DateOnly(2026, 12, 4).AddDays(-(await LoadAsync(loan.Id)).Booking.MarginDays);

        site.App.SetToday(leaves);
        await RunAsync();
        Assert.Equal(LoanStatus.Requested, (await LoadAsync(loan.Id)).Status);

        site.App.SetToday(leaves.AddDays(1));
        await RunAsync();
        Assert.Equal(LoanStatus.Refused, (await LoadAsync(loan.Id)).Status);
    }

    [Fact]
    public async Task Two_runs_at_once_expire_a_request_with_one_event_and_one_notice()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "CCVD-MP-01", "26165", first, first);
        site.App.SetToday(new DateOnly(2026, 12, 8));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(RunAsync)));
        await site.App.SendNoticesAsync();

        var expired = await LoadAsync(loan.Id);
        Assert.Single(expired.Events, e => e.To == LoanStatus.Refused);
        Assert.Single(site.App.Mails(), m => (m.TextBody ?? "").Contains($"/prets/{loan.Id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Approved_loans_and_decided_requests_never_expire()
    {
        var first = site.Week();
        var approved = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first, LoanStatus.Approved);
        site.App.SetToday(new DateOnly(2026, 12, 20));

        await RunAsync();

        Assert.Equal(LoanStatus.Approved, (await LoadAsync(approved.Id)).Status);
    }
}
