using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ValDrome.Domain;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Notices;
using ValDrome.Jobs;
using ValDrome.Jobs.Mail;
using ValDrome.Jobs.Notices;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Jobs;

public sealed class ReminderTests(MarketSite site) : IClassFixture<MarketSite>
{
    private int RemindersFor(int loanId) =>
        site.App.Mails().Count(m => (m.Subject ?? "").StartsWith("Rappel", StringComparison.Ordinal) && (m.TextBody ?? "").Contains($"prêt n°{loanId}", StringComparison.Ordinal));

    private async Task<Notice?> NoticeAsync(int loanId, NoticeKind kind)
    {
        await using var db = site.Database.CreateDb();
        return await db.Notices.AsNoTracking().SingleOrDefaultAsync(n => n.LoanId == loanId && n.Kind == kind);
    }

    [Fact]
    public async Task The_borrower_is_reminded_the_day_before_the_last_day_and_only_once()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26006-MP-01", "26144", first, first.AddDays(2), LoanStatus.Delivered);

        site.App.SetToday(first);
        await site.App.RunJobAsync<SendReturnReminders, int>(j => j.RunAsync(CancellationToken.None));
        Assert.Equal(0, RemindersFor(loan.Id)); // two days before: not yet

        site.App.SetToday(first.AddDays(1));
        await site.App.RunJobAsync<SendReturnReminders, int>(j => j.RunAsync(CancellationToken.None));
        await site.App.RunJobAsync<SendReturnReminders, int>(j => j.RunAsync(CancellationToken.None));

        Assert.Equal(1, RemindersFor(loan.Id));
        var mail = site.App.Mails().Single(m => (m.TextBody ?? "").Contains($"prêt n°{loan.Id}", StringComparison.Ordinal) && (m.Subject ?? "").StartsWith("Rappel", StringComparison.Ordinal));
        Assert.Equal("mairie-26144@valdrome.test", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal("Rappel : Mini-pelle Takeuchi TB216 à rendre demain", mail.Subject);
        Assert.Equal(MailState.Sent, (await NoticeAsync(loan.Id, NoticeKind.ReturnReminder))!.Mail);
        var page = await (await (await site.As("mairie-26144")).GetAsync("/prets")).TextAsync();
        Assert.Contains("Rappel : « Mini-pelle Takeuchi TB216 » est à rendre demain", page);
    }

    [Fact]
    public async Task A_crash_between_sending_and_saving_never_sends_twice()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "CCVD-MP-02", "26185", first, first, LoanStatus.Approved);
        site.App.SetToday(first.AddDays(-1));

        // The run dies right after the mail left, before "sent" is written (as if the server stopped there).
        await using (var scope = site.App.Services.CreateAsyncScope())
        {
            var options = new DbContextOptionsBuilder<ValDromeDb>();
            DomainServiceCollectionExtensions.Configure(options, site.Database.ConnectionString);
            options.AddInterceptors(new CrashWhenMarkedSent());
            await using var crashing = new ValDromeDb(options.Options);
            var sender = new NoticeSender(crashing, scope.ServiceProvider.GetRequiredService<Mailer>(), site.App.Clock,
                scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<PublicUrlOptions>>(), NullLogger<NoticeSender>.Instance);
            var job = new SendReturnReminders(crashing, sender, site.App.Clock);
            await Assert.ThrowsAsync<SimulatedCrash>(() => job.RunAsync(CancellationToken.None));
        }

        Assert.Equal(1, RemindersFor(loan.Id));
        Assert.Equal(MailState.Sending, (await NoticeAsync(loan.Id, NoticeKind.ReturnReminder))!.Mail);

        // The server is back: the job runs again, and again.
        await site.App.RunJobAsync<SendReturnReminders, int>(j => j.RunAsync(CancellationToken.None));
        await site.App.RunJobAsync<SendReturnReminders, int>(j => j.RunAsync(CancellationToken.None));

        Assert.Equal(1, RemindersFor(loan.Id));
        var page = await (await (await site.As("mairie-26185")).GetAsync("/prets")).TextAsync();
        Assert.Contains("Rappel : « Mini-pelle Yanmar SV26 » est à rendre demain", page); // the notice is there all the same
    }

    [Fact]
    public async Task A_mail_the_server_refused_is_tried_again_on_the_next_run()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26258-MP-01", "26165", first, first, LoanStatus.Approved);
        site.App.SetToday(first.AddDays(-1));

        await using (var scope = site.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ValDromeDb>();
            // A "mail server" that refuses: the pickup folder is a file.
            var blocked = Path.GetTempFileName();
            var broken = new Mailer(Microsoft.Extensions.Options.Options.Create(new MailOptions { PickupDirectory = blocked }), site.App.Clock,
                scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>());
            var job = new SendReturnReminders(db, new NoticeSender(db, broken, site.App.Clock,
                scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<PublicUrlOptions>>(), NullLogger<NoticeSender>.Instance), site.App.Clock);
            await job.RunAsync(CancellationToken.None);
            File.Delete(blocked);
        }

        Assert.Equal(MailState.Failed, (await NoticeAsync(loan.Id, NoticeKind.ReturnReminder))!.Mail);
        Assert.Equal(0, RemindersFor(loan.Id));

        await site.App.RunJobAsync<SendReturnReminders, int>(j => j.RunAsync(CancellationToken.None));

        Assert.Equal(MailState.Sent, (await NoticeAsync(loan.Id, NoticeKind.ReturnReminder))!.Mail);
        Assert.Equal(1, RemindersFor(loan.Id));
    }

    [Fact]
    public async Task Cancelled_and_returned_loans_get_no_reminder()
    {
        var first = site.Week();
        var cancelled = await Make.LoanAsync(site.Database, "26006-MP-01", "26144", first, first.AddDays(1), LoanStatus.Cancelled);
        var returned = await Make.LoanAsync(site.Database, "CCVD-MP-01", "26144", first, first.AddDays(1), LoanStatus.Returned);
        site.App.SetToday(first);

        await site.App.RunJobAsync<SendReturnReminders, int>(j => j.RunAsync(CancellationToken.None));

        Assert.Null(await NoticeAsync(cancelled.Id, NoticeKind.ReturnReminder));
        Assert.Null(await NoticeAsync(returned.Id, NoticeKind.ReturnReminder));
    }

    private sealed class SimulatedCrash : Exception
    {
        public SimulatedCrash()
            : base("Simulated crash between sending and saving.")
        {
        }
    }

    private sealed class CrashWhenMarkedSent : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            var marking = eventData.Context!.ChangeTracker.Entries<Notice>()
                .Any(e => e.State == EntityState.Modified && e.Entity.Mail == MailState.Sent);
            return marking ? throw new SimulatedCrash() : base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}
