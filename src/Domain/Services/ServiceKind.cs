namespace ValDrome.Domain.Services;

/// <summary>
/// The community's services to the communes: a fixed list, decided by the community's council,
/// so it is code (an enum stored by name), not a table staff edit (ADR 24).
/// </summary>
public enum ServiceKind
{
    /// <summary>An itinerant mairie secretary who replaces a commune's agent.</summary>
    Secretary,

    /// <summary>The intercommunal maintenance agent.</summary>
    Maintenance,

    /// <summary>IT assistance: internet, hardware, training.</summary>
    ItAssistance,

    /// <summary>The technician who follows the communes' works sites.</summary>
    WorksSite,
}

/// <summary>What a convention bills a service by.</summary>
public enum BillingUnit
{
    Hour,
    HalfDay,
}

/// <summary>The French words of the services.</summary>
public static class ServiceWords
{
    public static IReadOnlyList<ServiceKind> All { get; } = Enum.GetValues<ServiceKind>();

    public static string Name(ServiceKind kind) => kind switch
    {
        ServiceKind.Secretary => "Secrétariat de mairie itinérant",
        ServiceKind.Maintenance => "Agent d'entretien intercommunal",
        ServiceKind.ItAssistance => "Assistance informatique",
        ServiceKind.WorksSite => "Suivi de chantier",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The address slug (<c>/services/demandes/nouvelle?service=secretariat</c>).</summary>
    public static string Slug(ServiceKind kind) => kind switch
    {
        ServiceKind.Secretary => "secretariat",
        ServiceKind.Maintenance => "entretien",
        ServiceKind.ItAssistance => "informatique",
        ServiceKind.WorksSite => "chantier",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static ServiceKind? FromSlug(string? slug) =>
        All.Cast<ServiceKind?>().FirstOrDefault(k => string.Equals(Slug(k!.Value), slug, StringComparison.Ordinal));

    public static string Unit(BillingUnit unit) => unit == BillingUnit.Hour ? "heure" : "demi-journée";

    public static string Units(BillingUnit unit) => unit == BillingUnit.Hour ? "heures" : "demi-journées";

    public static string Status(ServiceRequestStatus status) => status switch
    {
        ServiceRequestStatus.Requested => "en attente d'un agent",
        ServiceRequestStatus.Assigned => "agent désigné",
        ServiceRequestStatus.Cancelled => "annulée",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
