using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>
/// The catalogue (or one owner's) as a spreadsheet, in the import's format. Signed-in people only:
/// everything in it is on the public pages, but the file is the keepers' tool, not a public feed.
/// </summary>
[Authorize]
public sealed class ExportModel(ValDromeDb db) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "commune")]
    public string? Commune { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var choice = string.IsNullOrWhiteSpace(Commune) ? null : Commune.Trim();
        var units = db.EquipmentUnits.AsNoTracking().Where(u => u.Status != UnitStatus.Retired);
        var fileName = "catalogue";
        if (choice == IndexModel.CommunityOwnerFilter)
        {
            units = units.Where(u => u.OwnerCommuneId == null);
            fileName += "-communaute";
        }
        else if (choice is not null)
        {
            var commune = await db.Communes.Where(c => c.Insee == choice).Select(c => (int?)c.Id).SingleOrDefaultAsync(cancellationToken);
            if (commune is null)
            {
                return NotFound();
            }

            units = units.Where(u => u.OwnerCommuneId == commune);
            fileName += "-" + choice;
        }

        var rows = await units
            .OrderBy(u => u.OwnerCommune == null ? "" : u.OwnerCommune.Name).ThenBy(u => u.InventoryCode)
            .Select(u => new
            {
                u.InventoryCode,
                u.Name,
                Category = u.Category.Name,
                u.Description,
                u.DailyRate,
                u.Deposit,
                u.ConditionsOfUse,
                u.LicenceRequirement,
                u.Transport,
                u.MaxLoanDaysOverride,
                u.AutoApprove,
                u.HasHourMeter,
                u.Status,
                u.StatusReason,
                Depot = u.HomeDepot != null ? u.HomeDepot.Name : null,
                Mairie = u.OwnerCommune != null ? u.OwnerCommune.ReferencePoint : null,
                u.HomeLocation,
                Owner = u.OwnerCommune != null ? u.OwnerCommune.Name : null,
            })
            .ToListAsync(cancellationToken);
        var csv = CatalogueCsv.Write(rows.Select(u =>
        {
            var atMairie = u.Depot is null && u.Mairie is not null && u.Mairie.EqualsExact(u.HomeLocation);
            var atPoint = u.Depot is null && !atMairie;
            return (IReadOnlyList<string>)
            [
                u.InventoryCode, u.Name, u.Category, u.Description, CatalogueCsv.Money(u.DailyRate), CatalogueCsv.Money(u.Deposit),
                u.ConditionsOfUse, u.LicenceRequirement ?? "", CatalogueCsv.TransportWord(u.Transport),
                u.MaxLoanDaysOverride?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
                CatalogueCsv.YesNo(u.AutoApprove), CatalogueCsv.YesNo(u.HasHourMeter), CatalogueCsv.YesNo(u.Status == UnitStatus.InService),
                u.Status == UnitStatus.InService ? "" : u.StatusReason ?? "",
                u.Depot ?? (atMairie ? CatalogueCsv.MairiePlace : CatalogueCsv.PointPlace),
                atPoint ? CatalogueCsv.Coordinate(u.HomeLocation.Y) : "",
                atPoint ? CatalogueCsv.Coordinate(u.HomeLocation.X) : "",
                u.Owner ?? EquipmentLabels.CommunityOwner,
            ];
        }));
        return File(csv, "text/csv; charset=utf-8", fileName + ".csv");
    }
}
