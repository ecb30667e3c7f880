using Hangfire;
using Microsoft.Extensions.Logging;
using ValDrome.Domain.Notices;

namespace ValDrome.Jobs.Notices;

/// <summary>
/// After a move and its notices are committed, hands each notice to a Hangfire job: the web
/// request never talks to the mail server. Enqueueing may itself fail or never happen (a crash
/// right after the commit): <see cref="SendPendingNotices"/> sweeps up what is still queued.
/// </summary>
public sealed partial class NoticeDispatch(IBackgroundJobClient jobs, ILogger<NoticeDispatch> logger)
{
    public void Enqueue(params IEnumerable<Notice?> notices)
    {
        ArgumentNullException.ThrowIfNull(notices);
        foreach (var notice in notices)
        {
            if (notice is not { Id: > 0 } saved)
            {
                continue;
            }

            var id = saved.Id;
            try
            {
                jobs.Enqueue<SendNotice>(job => job.RunAsync(id, CancellationToken.None));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The move is committed: it must not turn into an error page. The sweep sends the notice.
                LogEnqueueFailed(logger, e, id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notice {NoticeId} could not be handed to a job; the sweep sends it")]
    private static partial void LogEnqueueFailed(ILogger logger, Exception exception, long noticeId);
}
