namespace ValDrome.Domain.Statements;

/// <summary>Section <c>ValDrome:Statements</c>.</summary>
public sealed class StatementOptions
{
    public const string Section = "ValDrome:Statements";

    /// <summary>The part of the rental credited to the lending commune (the rest funds the service).</summary>
    public decimal LenderShare { get; set; } = 0.80m;
}
