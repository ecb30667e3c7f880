using System.Linq.Expressions;

namespace ValDrome.Domain.Notices;

/// <summary>
/// What every notice is, about a loan (<see cref="Notice"/>) or a service request
/// (<see cref="Services.ServiceNotice"/>): words fixed in the transaction of the move they tell of,
/// and a mail sent at most once from that outbox (ADR 7). Each kind keeps its own table, because
/// each is addressed differently (ADR 24); the outbox's states and moves are these, once.
/// </summary>
public abstract class MailedNotice
{
    /// <summary>After this many refused attempts a mail is given up (the notice stays on the page).</summary>
    public const int MaxMailAttempts = 5;

    protected MailedNotice()
    {
    }

    protected MailedNotice(string text, DateTimeOffset at, string subject, string body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(body);
        Text = Clip(text, 2000);
        Subject = Clip(subject, 300);
        Body = Clip(body, 8000);
        CreatedAt = at.ToUniversalTime();
        Mail = MailState.Queued;
    }

    public long Id { get; private set; }

    public string Text { get; private set; } = "";

    public string Subject { get; private set; } = "";

    /// <summary>The mail's text without the greeting, the link and the signature, which the sender adds.</summary>
    public string Body { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public MailState Mail { get; private set; }

    public DateTimeOffset? MailedAt { get; private set; }

    public int MailAttempts { get; private set; }

    /// <summary>PostgreSQL's xmin: two senders cannot both claim the same notice.</summary>
    public uint Version { get; private set; }

    /// <summary>The rule of <see cref="Waiting{T}"/>, compiled once: one statement of it for the query and the entity.</summary>
    private static readonly Func<MailedNotice, bool> Sendable = Waiting<MailedNotice>().Compile();

    /// <summary>Whether a sender may take it: queued, or refused fewer than <see cref="MaxMailAttempts"/> times.</summary>
    public bool IsSendable => Sendable(this);

    /// <summary>What a sender may take, as a query (what the sweep sends): <see cref="IsSendable"/>'s rule.</summary>
    public static Expression<Func<T, bool>> Waiting<T>()
        where T : MailedNotice =>
        n => n.Mail == MailState.Queued || (n.Mail == MailState.Failed && n.MailAttempts < MaxMailAttempts);

    /// <summary>A sender takes the notice; saved with the row version, so only one sender wins.</summary>
    public void Claim()
    {
        if (!IsSendable)
        {
            throw new InvalidOperationException($"A notice whose mail is {Mail} after {MailAttempts} attempt(s) is not sent again.");
        }

        Mail = MailState.Sending;
    }

    public void Sent(DateTimeOffset at)
    {
        Mail = MailState.Sent;
        MailedAt = at.ToUniversalTime();
        MailAttempts++;
    }

    public void Failed()
    {
        Mail = MailState.Failed;
        MailAttempts++;
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
