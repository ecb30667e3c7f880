using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Loans;

namespace ValDrome.Web.Pages.Loans;

/// <summary>
/// What a proposed unit asks of the borrower (a licence) and who carries it (the technician, with
/// its cost; or the borrower, collecting it), read for the proposals shown and no others.
/// </summary>
public sealed record UnitNeeds(string? Licence, string Carrier, bool AutoApprove)
{
    private static readonly CultureInfo French = FrenchCulture.Instance;

    public static async Task<IReadOnlyDictionary<int, UnitNeeds>> ForAsync(
        ValDromeDb db, IEnumerable<(int UnitId, LoanPricing Pricing)> proposals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var pricing = proposals.GroupBy(p => p.UnitId).ToDictionary(g => g.Key, g => g.First().Pricing);
        var ids = pricing.Keys.ToList();
        var units = await db.EquipmentUnits.Where(u => ids.Contains(u.Id))
            .Select(u => new
            {
                u.Id, u.LicenceRequirement, u.Transport, u.AutoApprove,
                Depot = u.HomeDepot != null ? u.HomeDepot.Name : null,
                Owner = u.OwnerCommune != null ? u.OwnerCommune.Name : null,
            })
            .ToListAsync(cancellationToken);
        return units.ToDictionary(u => u.Id, u => new UnitNeeds(u.LicenceRequirement,
            CarrierText(u.Transport, pricing[u.Id], u.Depot, u.Owner), u.AutoApprove));
    }

    /// <summary>« Livré par le technicien, 12,40 € » or « À retirer au dépôt … par l'emprunteur ».</summary>
    public static string CarrierText(TransportNeed transport, LoanPricing pricing, string? depot, string? owner)
    {
        ArgumentNullException.ThrowIfNull(pricing);
        if (transport != TransportNeed.None)
        {
            return $"Livré par le technicien, {pricing.Transport.ToString("C", French)}";
        }

        return depot is not null
            ? $"À retirer au dépôt « {depot} » par l'emprunteur"
            : $"À retirer à la mairie {FrenchNames.Of(owner ?? "")} par l'emprunteur";
    }
}
