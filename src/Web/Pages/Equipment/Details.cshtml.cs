using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;
using ValDrome.Geo.Encoding;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Equipment;

public sealed class DetailsModel(ValDromeDb db, TimeProvider time) : PageModel
{
    public sealed record UnitView(
        int Id, string Name, string InventoryCode, string Description, string Category, string CategoryCode,
        string Owner, string? OwnerInsee, string? Depot, decimal DailyRate, TransportNeed Transport,
        string? LicenceRequirement, bool HasHourMeter, UnitStatus Status, string HomeGeoJson)
    {
        public decimal Deposit { get; init; }

        public string ConditionsOfUse { get; init; } = "";

        public int MaxLoanDays { get; init; }

        public bool AutoApprove { get; init; }

        public string? StatusReason { get; init; }
    }

    /// <summary>Shows the « Modifier » link to the unit's keepers.</summary>
    public bool MayKeep { get; private set; }

    public UnitView Unit { get; private set; } = null!;

    /// <summary>« VGP en retard de 8 jours (prévue le …) »: not lendable until it is done (ADR 18).</summary>
    public string? LateInspection { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        var unit = await db.EquipmentUnits
            .Where(u => u.Id == id)
            .Select(u => new
            {
                u.Id, u.Name, u.InventoryCode, u.Description,
                Category = u.Category.Name, CategoryCode = u.Category.Code,
                Owner = u.OwnerCommune != null ? u.OwnerCommune.Name : EquipmentLabels.CommunityOwner,
                OwnerInsee = u.OwnerCommune != null ? u.OwnerCommune.Insee : null,
                Depot = u.HomeDepot != null ? u.HomeDepot.Name + ", " + u.HomeDepot.Address : null,
                u.DailyRate, u.Transport, u.LicenceRequirement, u.HasHourMeter, u.Status, u.HomeLocation,
                u.OwnerCommuneId, u.Deposit, u.ConditionsOfUse, MaxLoanDays = u.MaxLoanDaysOverride ?? u.Category.MaxLoanDays, u.AutoApprove, u.StatusReason,
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (unit is null)
        {
            return NotFound();
        }

        Unit = new UnitView(
            unit.Id, unit.Name, unit.InventoryCode, unit.Description, unit.Category, unit.CategoryCode,
            unit.Owner, unit.OwnerInsee, unit.Depot, unit.DailyRate, unit.Transport,
            unit.LicenceRequirement, unit.HasHourMeter, unit.Status, GeoJson.Serialize(unit.HomeLocation))
        {
            Deposit = unit.Deposit, ConditionsOfUse = unit.ConditionsOfUse, MaxLoanDays = unit.MaxLoanDays,
            AutoApprove = unit.AutoApprove, StatusReason = unit.StatusReason,
        };
        MayKeep = unit.Status != UnitStatus.Retired && Keepers.MayKeep(User.ToActor(), unit.OwnerCommuneId);
        LateInspection = (await Domain.Maintenance.Inspections.LateAsync(db, unit.Id, time.Today(), cancellationToken))?.Describe(time.Today());
        return Page();
    }
}
