using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Loans;
using ValDrome.Geo.Encoding;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Equipment;

public sealed class DetailsModel(ValDromeDb db, TimeProvider time) : PageModel
{
    /// <summary>« Quand ? » carried from the catalogue or the map: the unit says whether it is free then.</summary>
    [BindProperty(SupportsGet = true, Name = "du")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "au")]
    public string? To { get; set; }

    public WhenFilter? When { get; private set; }

    public bool FreeThen { get; private set; }

    /// <summary>« Demander ce matériel », with the days of « Quand ? » when there are some.</summary>
    public string RequestUrl => $"/prets/demander?materiel={Unit.Id}" + (When is { } w ? "&" + w.Query : "");

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
        if (!WhenFilter.TryRead(From, To, time.Today(), out var when, out var error, out _))
        {
            ModelState.AddModelError("du", error);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else if (when is not null)
        {
            When = when;
            FreeThen = (await FreeUnits.AmongAsync(db, [unit.Id], when.First, when.Last, cancellationToken)).Count > 0;
        }

        MayKeep = unit.Status != UnitStatus.Retired && Keepers.MayKeep(User.ToActor(), unit.OwnerCommuneId);
        return Page();
    }
}
