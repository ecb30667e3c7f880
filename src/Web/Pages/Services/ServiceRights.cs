using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Services;

namespace ValDrome.Web.Pages.Services;

/// <summary>
/// Who may do what with the services: a commune's agent asks and sees its commune's requests;
/// staff and admins keep conventions and agents and assign; an account linked to an agent sees
/// the agent's slots and records their time, and a coordinator assigns the service's agents.
/// </summary>
public static class ServiceRights
{
    public static Task<ServiceAgent?> LinkedAgentAsync(ValDromeDb db, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        return db.ServiceAgents.SingleOrDefaultAsync(a => a.UserId == actor.UserId && a.IsActive, cancellationToken);
    }

    public static bool Keeps(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsStaff || actor.IsAdmin;
    }

    /// <summary>Sees the request: its commune, those who keep the services, its agent, the service's coordinator.</summary>
    public static bool MaySee(Actor actor, ServiceAgent? linked, int communeId, ServiceKind service, int? agentId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.ActsFor(communeId) || Keeps(actor)
            || (linked is not null && (linked.Id == agentId || (linked.IsCoordinator && linked.Service == service)));
    }

    public static string Slot(DateOnly day, TimeOnly start, TimeOnly end) =>
        $"{day.ToString("ddd d MMM yyyy", FrenchCulture.Instance)}, {ServiceNotices.Hour(start)}–{ServiceNotices.Hour(end)}";
}
