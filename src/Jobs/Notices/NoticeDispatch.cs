using Hangfire;
using ValDrome.Domain.Notices;

namespace ValDrome.Jobs.Notices;

/// <summary>
/// After a move and its notices are committed, hands each notice to a Hangfire job: the web
/// request never talks to the mail server. Enqueueing may itself fail or never happen (a crash
/// right after the commit): <see cref="SendPendingNotices"/> sweeps up what is still queued.
/// </summary>
public sealed class NoticeDispatch(IBackgroundJobClient jobs)
{
    public void Enqueue(params IEnumerable<Notice?> notices)
    {
        ArgumentNullException.ThrowIfNull(notices);
        foreach (var notice in notices)
        {
            if (notice is { Id: > 0 } saved)
            {
                var id = saved.Id;
                jobs.Enqueue<SendNotice>(job => job.RunAsync(id, CancellationToken.None));
            }
        }
    }
}
