using ValDrome.Domain.Notices;

namespace ValDrome.Domain.Services;

public enum ServiceNoticeKind
{
    /// <summary>An agent was assigned (or chosen, for an urgent replacement), to the commune.</summary>
    AgentComing,

    /// <summary>The same, to the agent: where, when, whom to ask for.</summary>
    AgentBooked,

    /// <summary>The commune disputed an agent's time, to staff.</summary>
    TimeDisputed,

    /// <summary>Staff closed a day a slot was booked on: the slot is cancelled, to the commune and its agent.</summary>
    DayClosed,

    /// <summary>The commune cancelled its request, or the slots to come of one under way: to the agent assigned.</summary>
    Cancelled,
}

/// <summary>
/// What ValDrome told about a service request: written in the transaction of the move, mailed
/// once by a job after the commit, as loan notices are (ADR 7). It has its own table because it
/// is addressed to a commune or to a person (an agent), not to the two communes of a loan (ADR 24).
/// </summary>
public sealed class ServiceNotice
{
    private ServiceNotice()
    {
    }

    public ServiceNotice(ServiceRequest request, ServiceNoticeKind kind, int? communeId, int? agentId, string text, DateTimeOffset at, string subject, string body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(body);
        Request = request;
        RequestId = request.Id;
        Kind = kind;
        CommuneId = communeId;
        AgentId = agentId;
        Text = text.Length <= 2000 ? text : text[..1999] + "…";
        Subject = subject.Length <= 300 ? subject : subject[..299] + "…";
        Body = body.Length <= 8000 ? body : body[..7999] + "…";
        CreatedAt = at.ToUniversalTime();
        Mail = MailState.Queued;
    }

    public long Id { get; private set; }

    public int RequestId { get; private set; }

    public ServiceRequest? Request { get; private set; }

    public ServiceNoticeKind Kind { get; private set; }

    /// <summary>To the agents of this commune, when set.</summary>
    public int? CommuneId { get; private set; }

    /// <summary>To this agent (their address, or their account's), when set.</summary>
    public int? AgentId { get; private set; }

    public string Text { get; private set; } = "";

    public string Subject { get; private set; } = "";

    public string Body { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public MailState Mail { get; private set; }

    public DateTimeOffset? MailedAt { get; private set; }

    public int MailAttempts { get; private set; }

    public uint Version { get; private set; }

    public bool IsSendable => Mail == MailState.Queued || (Mail == MailState.Failed && MailAttempts < Notice.MaxMailAttempts);

    public void Claim()
    {
        if (!IsSendable)
        {
            throw new InvalidOperationException($"A service notice whose mail is {Mail} is not sent again.");
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
}
