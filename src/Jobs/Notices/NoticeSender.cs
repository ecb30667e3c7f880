using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Notices;
using ValDrome.Jobs.Mail;

namespace ValDrome.Jobs.Notices;

/// <summary>
/// Mails a notice at most once (ADR 7). The notice row was committed with the move it tells of;
/// a sender claims it (queued or failed → sending, guarded by the row version, so of two senders
/// one wins), sends the mail, and marks it sent. A crash between sending and marking leaves it
/// "sending", and a "sending" notice is never mailed again: at most one mail, and the notice is on
/// the page. A mail the server refused is marked failed and tried again, a bounded number of times.
/// </summary>
public sealed partial class NoticeSender(ValDromeDb db, Mailer mailer, TimeProvider time, IOptions<PublicUrlOptions> site, ILogger<NoticeSender> logger)
{
    /// <summary>
    /// For jobs that find what to tell by a query: saves the notice, the claim on (loan, kind),
    /// then mails it. False when this notice was claimed before, by this run or another.
    /// </summary>
    public async Task<bool> SendOnceAsync(Notice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        db.Notices.Add(notice);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.Entry(notice).State = EntityState.Detached;
            return false;
        }

        return await SendAsync(notice, cancellationToken);
    }

    /// <summary>Sends the notice with this id if it is still waiting; false when it is not (sent, sending, given up, or taken by another sender).</summary>
    public async Task<bool> SendAsync(long noticeId, CancellationToken cancellationToken)
    {
        var notice = await db.Notices.SingleOrDefaultAsync(n => n.Id == noticeId, cancellationToken);
        return notice is not null && await SendAsync(notice, cancellationToken);
    }

    private Task<bool> SendAsync(Notice notice, CancellationToken cancellationToken) =>
        NoticeOutbox.SendAsync(db, mailer, time, notice, token => ComposeAsync(notice, token),
            e => LogMailFailed(logger, e, notice.LoanId, notice.Kind, notice.MailAttempts + 1), cancellationToken);

    /// <summary>The recipients are read when the mail leaves (an agent who joined since gets it); the words were fixed at the move.</summary>
    private async Task<MailMessage> ComposeAsync(Notice notice, CancellationToken cancellationToken)
    {
        if (notice.FaultReportId is { } reportId)
        {
            // A fault on a unit: to its owner side (the commune's agents, or the community's staff).
            var unit = await db.FaultReports.Where(r => r.Id == reportId)
                .Select(r => new { r.UnitId, r.Unit.OwnerCommuneId }).SingleAsync(cancellationToken);
            return Mail(await Recipients.OwnersAsync(db, unit.OwnerCommuneId, cancellationToken), notice, $"/materiel/{unit.UnitId}");
        }

        var loan = await db.Loans.Where(l => l.Id == notice.LoanId)
            .Select(l => new { l.BorrowerCommuneId, l.LenderCommuneId }).SingleAsync(cancellationToken);
        var to = new List<string>();
        if (notice.Kind is not NoticeKind.Cancelled)
        {
            to.AddRange(await Recipients.AgentsOfAsync(db, loan.BorrowerCommuneId, cancellationToken));
        }

        if (notice.Kind is NoticeKind.Requested or NoticeKind.Cancelled or NoticeKind.Expired or NoticeKind.Overdue)
        {
            to.AddRange(await Recipients.OwnersAsync(db, loan.LenderCommuneId, cancellationToken));
        }

        if (notice.Kind is NoticeKind.Overdue)
        {
            to.AddRange(await Recipients.InRoleAsync(db, Roles.Technician, cancellationToken));
        }

        return Mail(to, notice, $"/prets/{notice.LoanId}");
    }

    private MailMessage Mail(IEnumerable<string> to, Notice notice, string path) => NoticeOutbox.Mail(to, notice, site.Value.Link(path));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail of the {Kind} notice of loan {LoanId} failed (attempt {Attempt}); the sweep tries again")]
    private static partial void LogMailFailed(ILogger logger, Exception exception, int? loanId, NoticeKind kind, int attempt);
}
