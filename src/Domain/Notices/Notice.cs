using ValDrome.Domain.Loans;

namespace ValDrome.Domain.Notices;

public enum NoticeKind
{
    /// <summary>The day before a loan's last day, to the borrower.</summary>
    ReturnReminder,

    /// <summary>A loan not returned after its last day, to borrower, owner and technician.</summary>
    Overdue,

    /// <summary>A later loan of an overdue unit, to its borrower, with alternatives.</summary>
    AtRisk,

    /// <summary>A new request (or an automatic approval), to the owner and the borrower.</summary>
    Requested,

    /// <summary>The owner approved the request, to the borrower.</summary>
    Approved,

    /// <summary>The owner refused the request, to the borrower.</summary>
    Refused,

    /// <summary>The borrower cancelled, to the owner.</summary>
    Cancelled,

    /// <summary>The owner did not decide in time: the request lapsed, to both.</summary>
    Expired,

    /// <summary>Someone reported a fault on a unit, to its owner (no loan: <see cref="Notice.FaultReportId"/>).</summary>
    FaultReported,
}

/// <summary>How far the mail of a notice got. See ADR 7 for why "Sending" is never retried.</summary>
public enum MailState
{
    /// <summary>Claimed, mail not yet known to be sent: a crash here leaves it so, and it is never sent again.</summary>
    Sending,

    Sent,

    /// <summary>The mail server refused it: the next run may try again, a bounded number of times.</summary>
    Failed,

    /// <summary>Written with the move it tells of, waiting for a sender (the job enqueued after commit, or the sweep).</summary>
    Queued,
}

/// <summary>
/// Something ValDrome told a commune about a loan: shown on its loans page and mailed once. At most
/// one notice of a kind per loan (a unique key): the row is the claim that makes a job reentrant.
/// The mail's subject and body are written with the notice, in the transaction of the move, so
/// that what is mailed is what happened, whenever the sender gets to it.
/// </summary>
public sealed class Notice
{
    /// <summary>After this many refused attempts a mail is given up (the notice stays on the page).</summary>
    public const int MaxMailAttempts = 5;

    private Notice()
    {
    }

    public Notice(int loanId, NoticeKind kind, int communeId, string text, DateTimeOffset at, string subject, string body)
        : this(kind, communeId, text, at, subject, body)
    {
        LoanId = loanId;
    }

    /// <summary>About a fault report, saved with it; <paramref name="communeId"/> null: the community's own unit (mailed to staff, on no commune's page).</summary>
    public Notice(Equipment.FaultReport report, int? communeId, string text, DateTimeOffset at, string subject, string body)
        : this(NoticeKind.FaultReported, communeId, text, at, subject, body)
    {
        ArgumentNullException.ThrowIfNull(report);
        FaultReport = report;
    }

    private Notice(NoticeKind kind, int? communeId, string text, DateTimeOffset at, string subject, string body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(body);
        Kind = kind;
        CommuneId = communeId;
        Text = Clip(text, 2000);
        Subject = Clip(subject, 300);
        Body = Clip(body, 8000);
        CreatedAt = at.ToUniversalTime();
        Mail = MailState.Queued;
    }

    /// <summary>About a loan that may not be saved yet (a new request): its id is known at insert.</summary>
    public Notice(Loan loan, NoticeKind kind, int communeId, string text, DateTimeOffset at, string subject, string body)
        : this(0, kind, communeId, text, at, subject, body)
    {
        ArgumentNullException.ThrowIfNull(loan);
        Loan = loan;
        LoanId = loan.Id;
    }

    public long Id { get; private set; }

    /// <summary>The loan it tells of; null for a notice about a unit (a fault report).</summary>
    public int? LoanId { get; private set; }

    public Loan? Loan { get; private set; }

    /// <summary>The fault report it tells of (<see cref="NoticeKind.FaultReported"/>).</summary>
    public int? FaultReportId { get; private set; }

    public Equipment.FaultReport? FaultReport { get; private set; }

    public NoticeKind Kind { get; private set; }

    /// <summary>The commune whose loans page shows it; null: the community's staff (a fault on its own unit).</summary>
    public int? CommuneId { get; private set; }

    public string Text { get; private set; } = "";

    public string Subject { get; private set; } = "";

    /// <summary>The mail's text without the link and signature, which the sender adds.</summary>
    public string Body { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public MailState Mail { get; private set; }

    public DateTimeOffset? MailedAt { get; private set; }

    public int MailAttempts { get; private set; }

    /// <summary>PostgreSQL's xmin: two senders cannot both claim the same notice.</summary>
    public uint Version { get; private set; }

    /// <summary>Whether a sender may take it: queued, or refused fewer than <see cref="MaxMailAttempts"/> times.</summary>
    public bool IsSendable => Mail == MailState.Queued || (Mail == MailState.Failed && MailAttempts < MaxMailAttempts);

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

    /// <summary>A sender takes the notice; saved with the row version, so only one sender wins.</summary>
    public void Claim()
    {
        if (!IsSendable)
        {
            throw new InvalidOperationException($"A notice whose mail is {Mail} after {MailAttempts} attempt(s) is not sent again.");
        }

        Mail = MailState.Sending;
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
