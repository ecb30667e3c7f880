using ValDrome.Domain.Accounts;
using ValDrome.Domain.Maintenance;

namespace ValDrome.Domain.Equipment;

/// <summary>
/// Who reports a fault and who deals with it (ADR 16): whoever has the unit in hand reports (the
/// agents of the commune holding it on a delivered loan, its keepers, staff and the technician, who
/// carry and service it); its keepers deal with it as they keep it (ADR 15); those who see its
/// upkeep (ADR 13) and the reporting commune read the reports.
/// </summary>
public static class FaultReports
{
    /// <param name="holderCommuneId">The borrower of the unit's delivered, not yet returned loan, if any.</param>
    public static bool MayReport(Actor actor, int? ownerCommuneId, int? holderCommuneId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return Keepers.MayKeep(actor, ownerCommuneId) || actor.IsStaff || actor.IsTechnician
            || (holderCommuneId is { } holder && actor.ActsFor(holder));
    }

    /// <summary>Puts the unit out of service from a report, and closes reports.</summary>
    public static bool MayDeal(Actor actor, int? ownerCommuneId) => Keepers.MayKeep(actor, ownerCommuneId);

    public static bool MaySee(Actor actor, int? ownerCommuneId, int? reporterCommuneId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return Upkeep.MaySee(actor, ownerCommuneId) || (reporterCommuneId is { } reporter && actor.ActsFor(reporter));
    }
}
