using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Services;
using ValDrome.Jobs.Mail;

namespace ValDrome.Jobs.Notices;

/// <summary>
/// Mails a service notice at most once, as <see cref="NoticeSender"/> does for loans (ADR 7): claim
/// guarded by the row version, send, mark. To the commune's agents, to the agent (their address,
/// else their account's), or to staff for a dispute.
/// </summary>
public sealed partial class ServiceNoticeSender(ValDromeDb db, Mailer mailer, TimeProvider time, IOptions<PublicUrlOptions> site, ILogger<ServiceNoticeSender> logger)
{
    public async Task<bool> SendAsync(long noticeId, CancellationToken cancellationToken)
    {
        var notice = await db.ServiceNotices.SingleOrDefaultAsync(n => n.Id == noticeId, cancellationToken);
        return notice is not null && await NoticeOutbox.SendAsync(db, mailer, time, notice, token => ComposeAsync(notice, token),
            e => LogMailFailed(logger, e, notice.Id), cancellationToken);
    }

    /// <summary>The recipients are read when the mail leaves; the words were fixed at the move.</summary>
    private async Task<MailMessage> ComposeAsync(ServiceNotice notice, CancellationToken cancellationToken)
    {
        var to = new List<string>();
        if (notice.CommuneId is { } commune)
        {
            to.AddRange(await Recipients.AgentsOfAsync(db, commune, cancellationToken));
        }

        if (notice.AgentId is { } agentId)
        {
            var agent = await db.ServiceAgents.Where(a => a.Id == agentId)
                .Select(a => new { a.Email, Account = db.Users.Where(u => u.Id == a.UserId).Select(u => u.Email).FirstOrDefault() })
                .SingleAsync(cancellationToken);
            if ((agent.Email ?? agent.Account) is { } address)
            {
                to.Add(address);
            }
        }

        if (notice.Kind == ServiceNoticeKind.TimeDisputed)
        {
            to.AddRange(await Recipients.InRoleAsync(db, Roles.Staff, cancellationToken));
        }

        return NoticeOutbox.Mail(to, notice, site.Value.Link($"/services/demandes/{notice.RequestId}"));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail of service notice {NoticeId} failed; the sweep tries again")]
    private static partial void LogMailFailed(ILogger logger, Exception exception, long noticeId);
}

/// <summary>Mails one service notice, enqueued right after the move that wrote it.</summary>
public sealed class SendServiceNotice(ServiceNoticeSender sender)
{
    public Task<bool> RunAsync(long noticeId, CancellationToken cancellationToken) => sender.SendAsync(noticeId, cancellationToken);
}

/// <summary>The sweep of service notices still queued or refused by the mail server.</summary>
public sealed class SendPendingServiceNotices(ValDromeDb db, ServiceNoticeSender sender)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var waiting = await db.ServiceNotices
            .Where(Domain.Notices.MailedNotice.Waiting<ServiceNotice>())
            .OrderBy(n => n.Id).Select(n => n.Id).ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var id in waiting)
        {
            sent += await sender.SendAsync(id, cancellationToken) ? 1 : 0;
        }

        return sent;
    }
}

/// <summary>After a move and its service notices are committed, hands each to a job (the sweep catches what is lost).</summary>
public sealed partial class ServiceNoticeDispatch(IBackgroundJobClient jobs, ILogger<ServiceNoticeDispatch> logger)
{
    public void Enqueue(IEnumerable<ServiceNotice> notices)
    {
        ArgumentNullException.ThrowIfNull(notices);
        foreach (var id in notices.Where(n => n.Id > 0).Select(n => n.Id))
        {
            try
            {
                jobs.Enqueue<SendServiceNotice>(job => job.RunAsync(id, CancellationToken.None));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogEnqueueFailed(logger, e, id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service notice {NoticeId} could not be handed to a job; the sweep sends it")]
    private static partial void LogEnqueueFailed(ILogger logger, Exception exception, long noticeId);
}
