using NpgsqlTypes;

namespace ValDrome.Domain.Services;

/// <summary>A day and its hours, as a commune asks for them.</summary>
public readonly record struct ServiceSlot(DateOnly Day, TimeOnly Start, TimeOnly End);

/// <summary>
/// A slot of an agent's time: one of a request's slots, or an absence of the agent. Two
/// exclusion constraints guard it in the database (ADR 24): two active bookings of one agent
/// never overlap, and a commune never holds two overlapping requests of one service.
/// </summary>
public sealed class AgentBooking
{
    private AgentBooking()
    {
    }

    internal AgentBooking(ServiceRequest request, ServiceSlot slot)
    {
        Request = request;
        CommuneId = request.CommuneId;
        Service = request.Service;
        Day = slot.Day;
        Starts = slot.Start;
        Ends = slot.End;
        IsActive = true;
    }

    private AgentBooking(int agentId, DateOnly day, string reason)
    {
        AgentId = agentId;
        Day = day;
        Starts = TimeOnly.MinValue;
        Ends = TimeOnly.MaxValue;
        Reason = reason;
        IsActive = true;
    }

    /// <summary>The agent does not work that day (leave, training): nothing may be booked on it.</summary>
    public static AgentBooking Absence(int agentId, DateOnly day, string reason)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > 200)
        {
            throw new RuleException("Indiquez le motif de l'absence (200 caractères au plus).", "Reason");
        }

        return new AgentBooking(agentId, day, reason.Trim());
    }

    public int Id { get; private set; }

    /// <summary>Null while the request waits for an agent.</summary>
    public int? AgentId { get; private set; }

    public ServiceAgent? Agent { get; private set; }

    public int? RequestId { get; private set; }

    public ServiceRequest? Request { get; private set; }

    /// <summary>The requesting commune and service, copied so that the database can guard them.</summary>
    public int? CommuneId { get; private set; }

    public ServiceKind? Service { get; private set; }

    public DateOnly Day { get; private set; }

    public TimeOnly Starts { get; private set; }

    public TimeOnly Ends { get; private set; }

    /// <summary>[day + starts, day + ends): computed by PostgreSQL, read-only here.</summary>
    public NpgsqlRange<DateTime> Period { get; private set; }

    public bool IsActive { get; private set; }

    /// <summary>The reason of an absence.</summary>
    public string? Reason { get; private set; }

    public TimeEntry? Time { get; private set; }

    public bool IsAbsence => RequestId is null && Request is null;

    internal void AssignTo(int agentId) => AgentId = agentId;

    internal void Release() => IsActive = false;

    /// <summary>An absence is lifted (the agent works that day after all).</summary>
    public void Lift()
    {
        if (!IsAbsence)
        {
            throw new InvalidOperationException("Only an absence is lifted this way.");
        }

        IsActive = false;
    }
}
