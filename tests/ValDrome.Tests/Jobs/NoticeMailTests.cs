using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Notices;
using ValDrome.Jobs.Mail;
using ValDrome.Jobs.Notices;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Jobs;

/// <summary>ADR 7 extended: a move's mail is a notice committed with it, and Hangfire jobs mail it once.</summary>
public sealed class NoticeMailTests(MarketSite site) : IClassFixture<MarketSite>
{
    [Fact]
    public void A_notice_refused_the_most_times_allowed_is_no_longer_taken_by_the_entity_nor_the_query()
    {
        var notice = new Notice(1, NoticeKind.ReturnReminder, 1, "Rappel", DateTimeOffset.UnixEpoch, "Rappel", "Bonjour");
        var waiting = MailedNotice.Waiting<Notice>().Compile();
        for (var attempt = 0; attempt < MailedNotice.MaxMailAttempts; attempt++)
        {
            Assert.True(notice.IsSendable);
            Assert.True(waiting(notice));
            notice.Claim();
            Assert.False(waiting(notice));
            notice.Failed();
        }

        Assert.False(notice.IsSendable);
        Assert.False(waiting(notice));
        Assert.Throws<InvalidOperationException>(notice.Claim);
    }

    private int MailsAbout(int loanId) => site.App.Mails().Count(m => (m.TextBody ?? "").Contains($"/prets/{loanId}", StringComparison.Ordinal));

    private async Task<Notice> NoticeAsync(int loanId, NoticeKind kind)
    {
        await using var db = site.Database.CreateDb();
        return await db.Notices.AsNoTracking().SingleAsync(n => n.LoanId == loanId && n.Kind == kind);
    }

    private async Task<long> LeaveQueuedNoticeAsync(int loanId)
    {
        // What a crash right after the commit leaves: the notice row, and no job to send it.
        await using var db = site.Database.CreateDb();
        var borrower = await db.Loans.Where(l => l.Id == loanId).Select(l => l.BorrowerCommuneId).SingleAsync();
        var notice = new Notice(loanId, NoticeKind.Approved, borrower, "Votre demande a été approuvée.", site.App.Clock.GetUtcNow(),
            "Prêt approuvé : essai", "Votre demande a été approuvée.");
        db.Notices.Add(notice);
        await db.SaveChangesAsync();
        return notice.Id;
    }

    [Fact]
    public async Task A_decision_writes_its_notice_with_the_move_and_the_web_request_sends_no_mail()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26006-MP-01", "26144", first, first);
        await site.App.SendNoticesAsync();
        var before = site.App.Mails().Count;

        using var response = await (await site.As("mairie-26006")).SubmitAsync($"/prets/{loan.Id}", [], $"/prets/{loan.Id}?handler=Approve");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(before, site.App.Mails().Count); // SMTP is not the web request's business
        var notice = await NoticeAsync(loan.Id, NoticeKind.Approved);
        Assert.Equal(MailState.Queued, notice.Mail);

        Assert.Equal(1, await site.App.SendNoticesAsync());
        var mail = Assert.Single(site.App.Mails().Skip(before));
        Assert.Equal("mairie-26144@valdrome.test", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal("Prêt approuvé : Mini-pelle Takeuchi TB216", mail.Subject);
        Assert.Equal(MailState.Sent, (await NoticeAsync(loan.Id, NoticeKind.Approved)).Mail);
    }

    [Fact]
    public async Task A_move_whose_notice_cannot_be_written_is_not_written_either()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26006-MP-01", "26185", first, first);
        await LeaveQueuedNoticeAsync(loan.Id); // an "approved" notice already exists: a second one breaks the unique key

        await using (var db = site.Database.CreateDb())
        {
            var tracked = await LoanStore.LoadForChangeAsync(db, loan.Id);
            tracked!.Approve(Make.Admin, site.App.Clock.GetUtcNow());
            db.Notices.Add(LoanNotices.Decided(tracked, site.App.Clock.GetUtcNow()));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        await using var check = site.Database.CreateDb();
        var after = await check.Loans.Include(l => l.Events).Include(l => l.Booking).AsNoTracking().SingleAsync(l => l.Id == loan.Id);
        Assert.Equal((LoanStatus.Requested, 1, true), (after.Status, after.Events.Count, after.Booking.IsActive));
        Assert.Equal(1, await check.Notices.CountAsync(n => n.LoanId == loan.Id));
    }

    [Fact]
    public async Task The_sweep_mails_a_notice_left_without_a_job_by_a_crash_and_only_once()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "CCVD-MP-01", "26185", first, first);
        var id = await LeaveQueuedNoticeAsync(loan.Id);

        await site.App.SendNoticesAsync();
        await site.App.SendNoticesAsync();
        await site.App.RunJobAsync<SendNotice, bool>(j => j.RunAsync(id, CancellationToken.None)); // the lost job, run late after all

        Assert.Equal(1, MailsAbout(loan.Id));
        Assert.Equal(MailState.Sent, (await NoticeAsync(loan.Id, NoticeKind.Approved)).Mail);
    }

    [Fact]
    public async Task A_notice_is_mailed_once_when_senders_race_for_it()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "CCVD-MP-02", "26185", first, first);
        var id = await LeaveQueuedNoticeAsync(loan.Id);

        // Six senders, each slowed after every read so that all of them find the notice queued.
        await using var scope = site.App.Services.CreateAsyncScope();
        var won = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            var options = new DbContextOptionsBuilder<ValDromeDb>();
            DomainServiceCollectionExtensions.Configure(options, site.Database.ConnectionString);
            options.AddInterceptors(new SlowReads());
            await using var db = new ValDromeDb(options.Options);
            var sender = new NoticeSender(db, scope.ServiceProvider.GetRequiredService<Mailer>(), site.App.Clock,
                scope.ServiceProvider.GetRequiredService<IOptions<PublicUrlOptions>>(), NullLogger<NoticeSender>.Instance);
            return await sender.SendAsync(id, CancellationToken.None);
        })));

        Assert.Equal(1, won.Count(w => w));
        Assert.Equal(1, MailsAbout(loan.Id));
        Assert.Equal(MailState.Sent, (await NoticeAsync(loan.Id, NoticeKind.Approved)).Mail);
    }

    private sealed class SlowReads : DbCommandInterceptor
    {
        public override async ValueTask<DbDataReader> ReaderExecutedAsync(
            DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            await Task.Delay(400, cancellationToken);
            return result;
        }
    }

    [Fact]
    public async Task A_forged_host_header_does_not_reach_the_mail_which_links_to_the_public_url()
    {
        var first = site.Week();
        var unitId = await Make.UnitIdAsync(site.Database, "26006-MP-01");
        using var client = await site.App.SignedInAsync("mairie-26165");
        client.DefaultRequestHeaders.Host = "piege.example";
        var day = first.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        using var response = await client.SubmitAsync($"/prets/demander?categorie=mini-pelle&du={day}&au={day}&usage=Essai",
            new() { ["UnitId"] = unitId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["du"] = day, ["au"] = day, ["usage"] = "Curage" },
            "/prets/demander");
        await site.App.SendNoticesAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var loanId = int.Parse(response.Headers.Location!.OriginalString["/prets/".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var mail = Assert.Single(site.App.Mails(), m => (m.TextBody ?? "").Contains($"/prets/{loanId}", StringComparison.Ordinal));
        Assert.Contains($"http://localhost:5080/prets/{loanId}", mail.TextBody);
        Assert.DoesNotContain("piege.example", mail.TextBody);
    }

    [Fact]
    public void The_site_refuses_to_start_in_production_without_a_public_url()
    {
        using var production = site.App.WithWebHostBuilder(b => b.UseEnvironment("Production").UseSetting("ValDrome:PublicUrl", ""));

        var error = Assert.ThrowsAny<Exception>(() => production.CreateClient());

        Assert.Contains("ValDrome__PublicUrl must be set in Production", error.ToString());
    }
}
