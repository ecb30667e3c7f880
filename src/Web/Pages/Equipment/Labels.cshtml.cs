using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;
using ValDrome.Jobs.Mail;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>
/// A printable sheet of QR labels for an owner's units: the agent of the commune, staff and admins
/// (the community's units: staff and admins). The codes lead to the unit's page at the site's public
/// address, never the Host a request claimed.
/// </summary>
[Authorize]
public sealed class LabelsModel(ValDromeDb db, IOptions<PublicUrlOptions> publicUrl) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "commune")]
    public string? Commune { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var choice = string.IsNullOrWhiteSpace(Commune) ? null : Commune.Trim();
        if (choice is null && actor.IsAgent)
        {
            choice = await db.Communes.Where(c => c.Id == actor.CommuneId).Select(c => c.Insee).SingleAsync(cancellationToken);
        }

        if (choice is null)
        {
            if (!(actor.IsStaff || actor.IsAdmin))
            {
                return Forbid();
            }

            choice = IndexModel.CommunityOwnerFilter;
        }

        int? ownerId = null;
        var ownerName = EquipmentLabels.CommunityOwner;
        if (choice != IndexModel.CommunityOwnerFilter)
        {
            var commune = await db.Communes.Where(c => c.Insee == choice).Select(c => new { c.Id, c.Name }).SingleOrDefaultAsync(cancellationToken);
            if (commune is null)
            {
                return NotFound();
            }

            ownerId = commune.Id;
            ownerName = commune.Name;
        }

        if (!(actor.IsAdmin || actor.IsStaff || (ownerId is { } id && actor.ActsFor(id))))
        {
            return Forbid();
        }

        var units = await db.EquipmentUnits.AsNoTracking()
            .Where(u => u.OwnerCommuneId == ownerId && u.Status != UnitStatus.Retired)
            .OrderBy(u => u.Name).ThenBy(u => u.InventoryCode)
            .Select(u => new { u.Id, u.Name, u.InventoryCode })
            .ToListAsync(cancellationToken);
        var labels = units.Select(u => new UnitLabel(u.Name, ownerName, u.InventoryCode,
            publicUrl.Value.Link("/materiel/" + u.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        var pdf = LabelSheet.Render($"Étiquettes — {ownerName}", labels);
        return File(pdf, "application/pdf", $"etiquettes-{choice}.pdf");
    }
}
