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
public sealed class Notice : MailedNotice
{
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
        : base(text, at, subject, body)
    {
        Kind = kind;
        CommuneId = communeId;
    }

    /// <summary>About a loan that may not be saved yet (a new request): its id is known at insert.</summary>
    public Notice(Loan loan, NoticeKind kind, int communeId, string text, DateTimeOffset at, string subject, string body)
        : this(0, kind, communeId, text, at, subject, body)
    {
        ArgumentNullException.ThrowIfNull(loan);
        Loan = loan;
        LoanId = loan.Id;
    }

    /// <summary>The loan it tells of; null for a notice about a unit (a fault report).</summary>
    public int? LoanId { get; private set; }

    public Loan? Loan { get; private set; }

    /// <summary>The fault report it tells of (<see cref="NoticeKind.FaultReported"/>).</summary>
    public int? FaultReportId { get; private set; }

    public Equipment.FaultReport? FaultReport { get; private set; }

    public NoticeKind Kind { get; private set; }

    /// <summary>The commune whose loans page shows it; null: the community's staff (a fault on its own unit).</summary>
    public int? CommuneId { get; private set; }
}
