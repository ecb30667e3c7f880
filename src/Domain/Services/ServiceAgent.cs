using NetTopologySuite.Geometries;
using ValDrome.Domain.Communes;

namespace ValDrome.Domain.Services;

/// <summary>
/// A person of a service (an itinerant secretary, the maintenance agent…), based in a commune
/// (its reference point is where distances to the agent start). Staff keep the list. An agent
/// may be linked to an account, which then records the agent's time and, for a coordinator,
/// assigns the service's agents.
/// </summary>
public sealed class ServiceAgent
{
    private ServiceAgent()
    {
    }

    public ServiceAgent(ServiceKind service, string name, Commune homeCommune, int workingDays, string? email)
    {
        Service = service;
        Update(name, homeCommune, workingDays, email, isCoordinator: false);
        IsActive = true;
    }

    public int Id { get; private set; }

    public ServiceKind Service { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>Where the notices of the agent's assignments go.</summary>
    public string? Email { get; private set; }

    public int HomeCommuneId { get; private set; }

    public Commune HomeCommune { get; private set; } = null!;

    /// <summary>The home commune's reference point, copied (geography): the nearest agents walk its index.</summary>
    public Point HomeLocation { get; private set; } = null!;

    /// <summary>Weekdays the agent works, one bit per <see cref="DayOfWeek"/> (<see cref="ServiceDays.Bit"/>).</summary>
    public int WorkingDays { get; private set; }

    /// <summary>The account of the agent, when they have one: it records their time.</summary>
    public string? UserId { get; private set; }

    /// <summary>Coordinates the service: may assign its agents as staff do.</summary>
    public bool IsCoordinator { get; private set; }

    public bool IsActive { get; private set; }

    public bool WorksOn(DateOnly day) => (WorkingDays & ServiceDays.Bit(day.DayOfWeek)) != 0;

    public void Update(string name, Commune homeCommune, int workingDays, string? email, bool isCoordinator)
    {
        ArgumentNullException.ThrowIfNull(homeCommune);
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 120)
        {
            throw new RuleException("Le nom de l'agent est obligatoire (120 caractères au plus).", "Name");
        }

        if (workingDays is <= 0 or > 127)
        {
            throw new RuleException("Cochez au moins un jour de travail.", "Days");
        }

        Name = name.Trim();
        HomeCommune = homeCommune;
        HomeCommuneId = homeCommune.Id;
        HomeLocation = homeCommune.ReferencePoint;
        WorkingDays = workingDays;
        Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        IsCoordinator = isCoordinator;
    }

    public void LinkAccount(string? userId) => UserId = userId;

    public void SetActive(bool active) => IsActive = active;
}
