namespace ValDrome.Domain.Loans;

/// <summary>
/// A rule refused what a user asked (an expected refusal, not a bug). The message is French and
/// shown as is; <see cref="Field"/> names the form field it is about, when there is one.
/// </summary>
public sealed class LoanRuleException : Exception
{
    public LoanRuleException(string message, string? field = null)
        : base(message)
    {
        Field = field;
    }

    public LoanRuleException()
    {
    }

    public LoanRuleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string? Field { get; }
}
