using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Notices;
using ValDrome.Jobs;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Jobs;

public sealed class OverdueTests(MarketSite site) : IClassFixture<MarketSite>
{
    [Fact]
    public async Task A_loan_not_back_after_its_last_day_becomes_overdue_and_everyone_is_told_once()
    {
        var first = site.Week();
        var late = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first.AddDays(1), LoanStatus.Delivered);
        var next = await Make.LoanAsync(site.Database, "26165-TP-01", "26185", first.AddDays(5), first.AddDays(6), LoanStatus.Approved);
        var mailsBefore = site.App.Mails().Count;

        site.App.SetToday(first.AddDays(3));
        await site.App.RunJobAsync<MarkOverdueLoans>(j => j.RunAsync(CancellationToken.None));
        await site.App.RunJobAsync<MarkOverdueLoans>(j => j.RunAsync(CancellationToken.None));

        await using var db = site.Database.CreateDb();
        var overdue = await db.Loans.AsNoTracking().SingleAsync(l => l.Id == late.Id);
        Assert.Equal(first.AddDays(2), overdue.OverdueSince);
        Assert.Equal(2, overdue.OverdueDays(first.AddDays(3)));
        var atRisk = await db.Loans.AsNoTracking().SingleAsync(l => l.Id == next.Id);
        Assert.Equal(late.Id, atRisk.AtRiskBecauseOfLoanId);

        var mails = site.App.Mails().Skip(mailsBefore).ToList();
        var told = Assert.Single(mails, m => m.Subject == "Retard : Tractopelle Case 580ST non rendu");
        Assert.Equal(
            ["mairie-26144@valdrome.test", "mairie-26165@valdrome.test", "technicien@valdrome.test"],
            told.To.Mailboxes.Select(m => m.Address).Order(StringComparer.Ordinal));
        Assert.Contains("(2\u00a0jours de retard)", told.TextBody);
        var warned = Assert.Single(mails, m => m.Subject == "Votre réservation de « Tractopelle Case 580ST » est compromise");
        Assert.Equal("mairie-26185@valdrome.test", Assert.Single(warned.To.Mailboxes).Address);
        Assert.Equal(2, await db.Notices.CountAsync(n => (n.LoanId == late.Id && n.Kind == NoticeKind.Overdue) || (n.LoanId == next.Id && n.Kind == NoticeKind.AtRisk)));
    }

    [Fact]
    public async Task The_borrower_at_risk_sees_the_nearest_alternatives_and_switches_in_one_click()
    {
        var first = site.Week();
        await Make.LoanAsync(site.Database, "26006-MP-01", "26165", first, first, LoanStatus.Delivered);
        var next = await Make.LoanAsync(site.Database, "26006-MP-01", "26144", first.AddDays(4), first.AddDays(5), LoanStatus.Approved);
        site.App.SetToday(first.AddDays(2));
        await site.App.RunJobAsync<MarkOverdueLoans>(j => j.RunAsync(CancellationToken.None));
        var grane = await site.As("mairie-26144");

        var page = await (await grane.GetAsync($"/prets/{next.Id}")).TextAsync();
        Assert.Contains("Réservation compromise", page);
        Assert.Contains("Mini-pelle Kubota KX019-4", page); // the depot's, next nearest to Grane
        var alternative = await Make.UnitIdAsync(site.Database, "CCVD-MP-01");

        using var response = await grane.SubmitAsync($"/prets/{next.Id}", new() { ["UnitId"] = alternative.ToString(CultureInfo.InvariantCulture) },
            $"/prets/{next.Id}?handler=Switch");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = site.Database.CreateDb();
        Assert.Equal(LoanStatus.Cancelled, await db.Loans.Where(l => l.Id == next.Id).Select(l => l.Status).SingleAsync());
        var replacement = await db.Loans.AsNoTracking().SingleAsync(l => l.UnitId == alternative && l.FirstDay == first.AddDays(4));
        Assert.Equal((LoanStatus.Requested, first.AddDays(5), next.Purpose), (replacement.Status, replacement.LastDay, replacement.Purpose));
        Assert.Equal($"/prets/{replacement.Id}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Switching_is_for_the_borrowing_commune_only()
    {
        var first = site.Week();
        await Make.LoanAsync(site.Database, "26006-MP-01", "26165", first, first, LoanStatus.Delivered);
        var next = await Make.LoanAsync(site.Database, "26006-MP-01", "26144", first.AddDays(4), first.AddDays(5), LoanStatus.Approved);
        site.App.SetToday(first.AddDays(2));
        await site.App.RunJobAsync<MarkOverdueLoans>(j => j.RunAsync(CancellationToken.None));
        var alternative = (await Make.UnitIdAsync(site.Database, "CCVD-MP-01")).ToString(CultureInfo.InvariantCulture);

        using var byOwner = await (await site.As("mairie-26006")).SubmitAsync("/", new() { ["UnitId"] = alternative }, $"/prets/{next.Id}?handler=Switch");
        using var byOther = await (await site.As("mairie-26185")).SubmitAsync("/", new() { ["UnitId"] = alternative }, $"/prets/{next.Id}?handler=Switch");

        Assert.StartsWith("/acces-refuse", byOwner.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        Assert.Equal(LoanStatus.Approved, (await Make.StateAsync(site.Database, next.Id)).Status);
    }

    [Fact]
    public async Task A_loan_returned_on_time_is_never_overdue()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26166-PO-01", "26144", first, first, LoanStatus.Returned);
        site.App.SetToday(first.AddDays(5));

        await site.App.RunJobAsync<MarkOverdueLoans>(j => j.RunAsync(CancellationToken.None));

        await using var db = site.Database.CreateDb();
        Assert.Null(await db.Loans.Where(l => l.Id == loan.Id).Select(l => l.OverdueSince).SingleAsync());
    }
}
