namespace ValDrome.Domain;

/// <summary>
/// A rule refused what a user asked (an expected refusal, not a bug). The message is French and
/// shown as is; <see cref="Field"/> names the form field it is about, when there is one.
/// </summary>
public sealed class RuleException : Exception
{
    public RuleException(string message, string? field = null)
        : base(message)
    {
        Field = field;
    }

    public RuleException()
    {
    }

    public RuleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string? Field { get; }

    /// <summary>
    /// The move met a state that another move has just made (the button was on a page read
    /// before): not a mistake of the person, so pages answer 409 and say what happened instead.
    /// </summary>
    public bool IsConflict { get; init; }
}
