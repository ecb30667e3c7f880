using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using ValDrome.Domain;
using ValDrome.Domain.Notices;
using ValDrome.Jobs.Mail;

namespace ValDrome.Jobs.Notices;

/// <summary>
/// Tells a commune something exactly once (ADR 7): the notice row is committed first — it is the
/// claim, unique per loan and kind, and it is what the loans page shows — then the mail is sent,
/// then the notice is marked sent. A crash between sending and marking leaves it "sending", and
/// a "sending" notice is never mailed again: at most one mail, and the notice is on the page.
/// </summary>
public sealed partial class NoticeSender(ValDromeDb db, Mailer mailer, TimeProvider time, ILogger<NoticeSender> logger)
{
    /// <summary>False when this notice (loan and kind) was claimed before, by this run or another.</summary>
    public async Task<bool> SendOnceAsync(Notice notice, MailMessage mail, CancellationToken cancellationToken)
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

        await DeliverAsync(notice, mail, cancellationToken);
        return true;
    }

    /// <summary>Tries again a notice whose mail the server refused; false when another run took it first.</summary>
    public async Task<bool> RetryAsync(Notice notice, MailMessage mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        notice.Retry();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.Entry(notice).State = EntityState.Detached;
            return false;
        }

        await DeliverAsync(notice, mail, cancellationToken);
        return true;
    }

    private async Task DeliverAsync(Notice notice, MailMessage mail, CancellationToken cancellationToken)
    {
        try
        {
            await mailer.SendAsync(mail, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogMailFailed(logger, e, notice.LoanId, notice.Kind);
            notice.Failed();
            await db.SaveChangesAsync(CancellationToken.None);
            return;
        }

        // Sent: from here on, not saving would only leave the notice "sending", never re-sent.
        notice.Sent(time.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail of the {Kind} notice of loan {LoanId} failed; the next run tries again")]
    private static partial void LogMailFailed(ILogger logger, Exception exception, int loanId, NoticeKind kind);
}
