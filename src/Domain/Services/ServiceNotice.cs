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
public sealed class ServiceNotice : MailedNotice
{
    private ServiceNotice()
    {
    }

    public ServiceNotice(ServiceRequest request, ServiceNoticeKind kind, int? communeId, int? agentId, string text, DateTimeOffset at, string subject, string body)
        : base(text, at, subject, body)
    {
        ArgumentNullException.ThrowIfNull(request);
        Request = request;
        RequestId = request.Id;
        Kind = kind;
        CommuneId = communeId;
        AgentId = agentId;
    }

    public int RequestId { get; private set; }

    public ServiceRequest? Request { get; private set; }

    public ServiceNoticeKind Kind { get; private set; }

    /// <summary>To the agents of this commune, when set.</summary>
    public int? CommuneId { get; private set; }

    /// <summary>To this agent (their address, or their account's), when set.</summary>
    public int? AgentId { get; private set; }
}
