namespace ValDrome.Domain.Notices;

public enum NoticeKind
{
    /// <summary>The day before a loan's last day, to the borrower.</summary>
    ReturnReminder,

    /// <summary>A loan not returned after its last day, to borrower, owner and technician.</summary>
    Overdue,

    /// <summary>A later loan of an overdue unit, to its borrower, with alternatives.</summary>
    AtRisk,
}

/// <summary>How far the mail of a notice got. See ADR 7 for why "Sending" is never retried.</summary>
public enum MailState
{
    /// <summary>Claimed, mail not yet known to be sent: a crash here leaves it so, and it is never sent again.</summary>
    Sending,

    Sent,

    /// <summary>The mail server refused it: the next run may try again.</summary>
    Failed,
}

/// <summary>
/// Something ValDrome told a commune about a loan: shown on its loans page and mailed once. At most
/// one notice of a kind per loan (a unique key): the row is the claim that makes a job reentrant.
/// </summary>
public sealed class Notice
{
    private Notice()
    {
    }

    public Notice(int loanId, NoticeKind kind, int communeId, string text, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        LoanId = loanId;
        Kind = kind;
        CommuneId = communeId;
        Text = text;
        CreatedAt = at.ToUniversalTime();
        Mail = MailState.Sending;
    }

    public long Id { get; private set; }

    public int LoanId { get; private set; }

    public NoticeKind Kind { get; private set; }

    /// <summary>The commune whose loans page shows it.</summary>
    public int CommuneId { get; private set; }

    public string Text { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public MailState Mail { get; private set; }

    public DateTimeOffset? MailedAt { get; private set; }

    public int MailAttempts { get; private set; }

    /// <summary>PostgreSQL's xmin: two runs cannot both retry the same failed mail.</summary>
    public uint Version { get; private set; }

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

    /// <summary>A failed mail is tried again by claiming it anew.</summary>
    public void Retry()
    {
        if (Mail != MailState.Failed)
        {
            throw new InvalidOperationException("Only a failed mail is tried again.");
        }

        Mail = MailState.Sending;
    }
}
