using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Notices;

namespace ValDrome.Jobs.Notices;

/// <summary>
/// The sweep: every notice still queued (its job was never enqueued, or was lost) and every mail
/// the server refused fewer than <see cref="MailedNotice.MaxMailAttempts"/> times is sent now. Racing the
/// enqueued jobs is harmless: each notice is claimed before its mail leaves.
/// </summary>
public sealed class SendPendingNotices(ValDromeDb db, NoticeSender sender)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var waiting = await db.Notices
            .Where(MailedNotice.Waiting<Notice>())
            .OrderBy(n => n.Id).Select(n => n.Id).ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var id in waiting)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sent += await sender.SendAsync(id, cancellationToken) ? 1 : 0;
        }

        return sent;
    }
}
