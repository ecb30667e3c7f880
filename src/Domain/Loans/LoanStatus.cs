namespace ValDrome.Domain.Loans;

public enum LoanStatus
{
    Requested,
    Approved,
    Refused,
    Delivered,
    Returned,
    Closed,
    Cancelled,
}
