using ValDrome.Domain.Accounts;

namespace ValDrome.Domain.Equipment;

/// <summary>Who keeps the catalogue: each owner its own units (a commune's agent, the community's staff), admins everything.</summary>
public static class Keepers
{
    /// <summary>May create, edit and retire a unit of this owner (null: the community).</summary>
    public static bool MayKeep(Actor actor, int? ownerCommuneId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsAdmin || (ownerCommuneId is { } owner ? actor.ActsFor(owner) : actor.IsStaff);
    }

    /// <summary>May add units at all (to their commune, or to the community's).</summary>
    public static bool MayAdd(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsAdmin || actor.IsStaff || actor.IsAgent;
    }

    /// <summary>Categories and depots are the community's: its staff and admins.</summary>
    public static bool MayManageShared(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsAdmin || actor.IsStaff;
    }
}
