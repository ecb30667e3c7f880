namespace ValDrome.Domain.Statements;

public enum StatementLineKind
{
    /// <summary>The commune borrowed a unit: it pays days × rate and the transport.</summary>
    Borrowed,

    /// <summary>The commune lent a unit: it is credited its share of the rental.</summary>
    Lent,

    /// <summary>The community's part: the rest of the rental of communes' units, all of its own units', and the transport.</summary>
    Community,

    /// <summary>An amount that changed after its month was closed, settled in a later month.</summary>
    Correction,

    /// <summary>A slot of a service to the communes (an agent's time and travel), at the convention's terms.</summary>
    Service,
}

/// <summary>
/// What a commune (or the community, <see cref="CommuneId"/> null) owes and is owed for one month.
/// Written once, whole, in one transaction, and never changed: a correction is a line of a later month.
/// </summary>
public sealed class Statement
{
    private readonly List<StatementLine> _lines = [];

    private Statement()
    {
    }

    public Statement(DateOnly month, int? communeId, DateTimeOffset at)
    {
        if (month.Day != 1)
        {
            throw new ArgumentException("A statement is for a whole month: give its first day.", nameof(month));
        }

        Month = month;
        CommuneId = communeId;
        ClosedAt = at.ToUniversalTime();
    }

    public int Id { get; private set; }

    /// <summary>The first day of the month.</summary>
    public DateOnly Month { get; private set; }

    public int? CommuneId { get; private set; }

    public DateTimeOffset ClosedAt { get; private set; }

    public IReadOnlyList<StatementLine> Lines => _lines;

    /// <summary>What the commune is owed minus what it owes: positive, the community pays it.</summary>
    public decimal Balance => _lines.Sum(l => l.Amount);

    public void Add(StatementLine line) => _lines.Add(line);
}

/// <summary>A signed amount: negative what the commune pays, positive what it receives.</summary>
public sealed class StatementLine
{
    private StatementLine()
    {
    }

    public StatementLine(StatementLineKind kind, int? loanId, string label, int days, decimal dailyRate, decimal transportKm, decimal amount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        if (decimal.Round(amount, 2) != amount)
        {
            throw new ArgumentException("Amounts are in cents.", nameof(amount));
        }

        Kind = kind;
        LoanId = loanId;
        Label = label;
        Days = days;
        DailyRate = dailyRate;
        TransportKm = transportKm;
        Amount = amount;
    }

    public long Id { get; private set; }

    public int StatementId { get; private set; }

    public StatementLineKind Kind { get; private set; }

    public int? LoanId { get; private set; }

    public string Label { get; private set; } = "";

    public int Days { get; private set; }

    public decimal DailyRate { get; private set; }

    public decimal TransportKm { get; private set; }

    public decimal Amount { get; private set; }
}
