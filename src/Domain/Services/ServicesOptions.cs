namespace ValDrome.Domain.Services;

/// <summary>Section <c>ValDrome:Services</c>.</summary>
public sealed class ServicesOptions
{
    public const string Section = "ValDrome:Services";

    /// <summary>Whom a commune without a convention contacts, as the refusal says it.</summary>
    public string Contact { get; set; } = "le pôle « Services aux communes » de la communauté de communes";
}
