namespace ValDrome.Jobs.Notices;

/// <summary>Mails one notice, enqueued right after the move that wrote it; a second run finds it claimed and does nothing.</summary>
public sealed class SendNotice(NoticeSender sender)
{
    public Task<bool> RunAsync(long noticeId, CancellationToken cancellationToken) => sender.SendAsync(noticeId, cancellationToken);
}
