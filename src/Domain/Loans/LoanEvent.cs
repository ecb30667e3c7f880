namespace ValDrome.Domain.Loans;

/// <summary>One line of a loan's audit trail: who moved it, when, from which state to which.</summary>
public sealed class LoanEvent
{
    private LoanEvent()
    {
    }

    internal LoanEvent(DateTimeOffset at, string actorUserId, string actorName, LoanStatus? from, LoanStatus to, string? note)
    {
        At = at;
        ActorUserId = actorUserId;
        ActorName = actorName;
        From = from;
        To = to;
        Note = note;
    }

    public long Id { get; private set; }

    public int LoanId { get; private set; }

    public DateTimeOffset At { get; private set; }

    public string ActorUserId { get; private set; } = "";

    public string ActorName { get; private set; } = "";

    public LoanStatus? From { get; private set; }

    public LoanStatus To { get; private set; }

    public string? Note { get; private set; }
}
