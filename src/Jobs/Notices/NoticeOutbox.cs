using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Notices;
using ValDrome.Jobs.Mail;

namespace ValDrome.Jobs.Notices;

/// <summary>
/// How any notice, loan or service, leaves the outbox at most once (ADR 7): claimed (queued or
/// failed → sending, guarded by the row version, so of two senders one wins), mailed, marked. A
/// crash between mailing and marking leaves it « sending », never mailed again; a mail the server
/// refused is marked failed, for the sweep to try again a bounded number of times.
/// </summary>
internal static class NoticeOutbox
{
    /// <param name="compose">The mail, made once the notice is claimed: its recipients are read when it leaves.</param>
    /// <param name="refused">Told of the server's refusal before the notice is marked failed.</param>
    /// <returns>Whether this call mailed it.</returns>
    public static async Task<bool> SendAsync(
        ValDromeDb db, Mailer mailer, TimeProvider time, MailedNotice notice,
        Func<CancellationToken, Task<MailMessage>> compose, Action<Exception> refused, CancellationToken cancellationToken)
    {
        if (!notice.IsSendable)
        {
            return false;
        }

        notice.Claim();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.Entry(notice).State = EntityState.Detached;
            return false;
        }

        var mail = await compose(cancellationToken);
        try
        {
            await mailer.SendAsync(mail, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            refused(e);
            notice.Failed();
            await db.SaveChangesAsync(CancellationToken.None);
            return false;
        }

        // Sent: from here on, not saving would only leave the notice "sending", never re-sent.
        notice.Sent(time.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
        return true;
    }

    /// <summary>Every notice's mail: a greeting, the words fixed at the move, the link to its page (the mailer signs it).</summary>
    public static MailMessage Mail(IEnumerable<string> to, MailedNotice notice, string link) =>
        new([.. to], notice.Subject,
            $"""
            Bonjour,

            {notice.Body}

            {link}
            """);
}
