using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Communes;
using ValDrome.Domain.Equipment;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>An owner adds a unit to the catalogue: an agent for its commune, staff for the community, admins for anyone.</summary>
[Authorize]
public sealed class NewModel(ValDromeDb db, TimeProvider time, IOptions<PhotoOptions> photoOptions) : PageModel
{
    [BindProperty]
    public UnitForm Form { get; set; } = new();

    /// <summary>A first photo, optional (more on the edit page).</summary>
    [BindProperty]
    public IFormFile? Photo { get; set; }

    public long MaxPhotoBytes => photoOptions.Value.MaxBytes;

    public UnitChoices Choices { get; private set; } = UnitChoices.Empty;

    /// <summary>The owner is chosen only by admins; others add to what they keep.</summary>
    public bool ChoosesOwner => User.ToActor().IsAdmin;

    public string OwnerName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        if (!Keepers.MayAdd(actor))
        {
            return Forbid();
        }

        var owner = await DefaultOwnerAsync(cancellationToken);
        Form.Home = owner is null ? UnitHome.Depot : UnitHome.Mairie;
        await LoadAsync(owner, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        if (!Keepers.MayAdd(actor))
        {
            return Forbid();
        }

        var owner = await DefaultOwnerAsync(cancellationToken);
        if (actor.IsAdmin && !string.IsNullOrWhiteSpace(Form.Owner) && Form.Owner != IndexModel.CommunityOwnerFilter)
        {
            owner = await db.Communes.SingleOrDefaultAsync(c => c.Insee == Form.Owner && c.IsCurrentMember, cancellationToken);
            if (owner is null)
            {
                ModelState.AddModelError("Form.Owner", "Choisissez le propriétaire dans la liste.");
            }
        }

        if (!Keepers.MayKeep(actor, owner?.Id))
        {
            return Forbid();
        }

        if (Photo is { } file && file.Length > photoOptions.Value.MaxBytes)
        {
            return UnitPhotos.TooLarge(this, photoOptions.Value);
        }

        PhotoSizes? sizes = null;
        if (Photo is not null && ModelState.IsValid)
        {
            try
            {
                sizes = await UnitPhotos.ResizeAsync(Photo, nameof(Photo), cancellationToken);
            }
            catch (RuleException e)
            {
                ModelState.AddModelError(nameof(Photo), e.Message);
            }
        }

        var unit = ModelState.IsValid ? await Form.ApplyAsync(db, ModelState, owner, null, cancellationToken) : null;
        if (unit is not null && sizes is not null)
        {
            db.UnitPhotos.Add(new UnitPhoto(unit, 0, sizes, User.Identity?.Name ?? "?", time.GetUtcNow()));
        }

        if (unit is null)
        {
            db.ChangeTracker.Clear();
            await LoadAsync(owner, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // Two owners choosing the same code at the same instant: the second is told, as if it had been taken before.
        if (!await RowVersion.TrySaveAsync(db, cancellationToken, "ix_equipment_units_inventory_code"))
        {
            ModelState.AddModelError("Form.InventoryCode", $"Le code d'inventaire « {Form.InventoryCode?.Trim()} » est déjà pris : choisissez-en un autre.");
            await LoadAsync(owner, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        TempData["Message"] = $"« {unit.Name} » est au catalogue.";
        return Redirect($"/materiel/{unit.Id}");
    }

    /// <summary>An agent's commune; the community for staff and admins.</summary>
    private async Task<Commune?> DefaultOwnerAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        return actor.IsAgent && !actor.IsAdmin
            ? await db.Communes.SingleAsync(c => c.Id == actor.CommuneId, cancellationToken)
            : null;
    }

    private async Task LoadAsync(Commune? owner, CancellationToken cancellationToken)
    {
        OwnerName = owner?.Name ?? EquipmentLabels.CommunityOwner;
        Choices = await UnitChoices.LoadAsync(db, ChoosesOwner, cancellationToken);
    }
}
