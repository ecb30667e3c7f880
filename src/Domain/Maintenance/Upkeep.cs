using ValDrome.Domain.Accounts;

namespace ValDrome.Domain.Maintenance;

/// <summary>
/// Who answers for a unit's upkeep (ADR 13): its owner. A commune's unit is planned by that
/// commune's agents, the community's by its staff and its technician; admins may do anything.
/// The technician does the work on every pooled unit, so he also records it (closes the task).
/// </summary>
public static class Upkeep
{
    /// <summary>May set a plan on a unit of this owner (null: the community), which keeps it off loans when due.</summary>
    public static bool MayPlan(Actor actor, int? ownerCommuneId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsAdmin || (ownerCommuneId is { } owner ? actor.ActsFor(owner) : actor.IsStaff || actor.IsTechnician);
    }

    /// <summary>May record that the work is done (and so give the unit back to lending).</summary>
    public static bool MayClose(Actor actor, int? ownerCommuneId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsTechnician || MayPlan(actor, ownerCommuneId);
    }

    /// <summary>Sees the unit's tasks and plans: the community's people all of them, an agent those of its commune.</summary>
    public static bool MaySee(Actor actor, int? ownerCommuneId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsAdmin || actor.IsStaff || actor.IsTechnician || (ownerCommuneId is { } owner && actor.ActsFor(owner));
    }
}
