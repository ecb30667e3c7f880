using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Loans;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>The owner edits a unit of theirs, or retires it once its current and coming loans are decided.</summary>
[Authorize]
public sealed class EditModel(ValDromeDb db, TimeProvider time, IOptions<PhotoOptions> photoOptions) : PageModel
{
    public sealed record PhotoRow(int Id, string Hash, int Width, int Height);

    public sealed record OpenLoan(int Id, string Borrower, DateOnly FirstDay, DateOnly LastDay, LoanStatus Status);

    [BindProperty]
    public UnitForm Form { get; set; } = new();

    /// <summary>The edit count the form was read at: a save from an older form is a conflict (409).</summary>
    [BindProperty]
    public int? Version { get; set; }

    public int Id { get; private set; }

    public string UnitName { get; private set; } = "";

    public string InventoryCode { get; private set; } = "";

    public string OwnerName { get; private set; } = "";

    public bool HasMairie { get; private set; }

    public UnitChoices Choices { get; private set; } = UnitChoices.Empty;

    public IReadOnlyList<OpenLoan> OpenLoans { get; private set; } = [];

    public ConflictNotice? Conflict { get; private set; }

    /// <summary>The gallery, in order; the first is the catalogue's thumbnail.</summary>
    public IReadOnlyList<PhotoRow> Photos { get; private set; } = [];

    public long MaxPhotoBytes => photoOptions.Value.MaxBytes;

    /// <summary>A photo to add (« Ajouter la photo »).</summary>
    [BindProperty]
    public IFormFile? Photo { get; set; }

    /// <summary>The photo to move or delete.</summary>
    [BindProperty]
    public int? PhotoId { get; set; }

    /// <summary>« avant » or « apres »: where the photo moves in the gallery.</summary>
    [BindProperty]
    public string? Direction { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        var (unit, refusal) = await FindAsync(id, cancellationToken);
        if (unit is null)
        {
            return refusal!;
        }

        await LoadAsync(unit, fillForm: true, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        var (unit, refusal) = await FindAsync(id, cancellationToken);
        if (unit is null)
        {
            return refusal!;
        }

        if (Version is not { } seen || !ModelState.IsValid)
        {
            if (Version is null)
            {
                ModelState.AddModelError(nameof(Version), "Le formulaire est incomplet : rechargez la page.");
            }

            return await RefusedAsync(unit, cancellationToken);
        }

        if (seen != unit.EditVersion || unit.Status == UnitStatus.Retired)
        {
            return await ConflictAsync(id, cancellationToken);
        }

        if (await Form.ApplyAsync(db, ModelState, unit.OwnerCommune, unit, cancellationToken) is null)
        {
            // The form's errors are in ModelState and the change tracker was cleared: read the unit again for the page.
            var fresh = await db.EquipmentUnits.Include(u => u.OwnerCommune).SingleAsync(u => u.Id == id, cancellationToken);
            return await RefusedAsync(fresh, cancellationToken);
        }

        if (!await RowVersion.TrySaveAsync(db, cancellationToken))
        {
            return await ConflictAsync(id, cancellationToken);
        }

        TempData["Message"] = $"« {unit.Name} » est à jour.";
        return Redirect($"/materiel/{id}");
    }

    public async Task<IActionResult> OnPostRetireAsync(int id, CancellationToken cancellationToken)
    {
        var (unit, refusal) = await FindAsync(id, cancellationToken);
        if (unit is null)
        {
            return refusal!;
        }

        if (Version is not { } seen)
        {
            ModelState.AddModelError(nameof(Version), "Le formulaire est incomplet : rechargez la page.");
            return await RefusedAsync(unit, cancellationToken);
        }

        if (seen != unit.EditVersion || unit.Status == UnitStatus.Retired)
        {
            return await ConflictAsync(id, cancellationToken);
        }

        var open = await db.Loans.CountAsync(l => l.UnitId == id && Loan.BookingStates.Contains(l.Status), cancellationToken);
        try
        {
            unit.Retire(time.GetUtcNow(), open);
        }
        catch (RuleException e) when (!e.IsConflict)
        {
            db.ChangeTracker.Clear();
            ModelState.AddModelError("", e.Message);
            var fresh = await db.EquipmentUnits.Include(u => u.OwnerCommune).SingleAsync(u => u.Id == id, cancellationToken);
            Response.StatusCode = StatusCodes.Status409Conflict;
            await LoadAsync(fresh, fillForm: true, cancellationToken);
            return Page();
        }

        if (!await RowVersion.TrySaveAsync(db, cancellationToken))
        {
            return await ConflictAsync(id, cancellationToken);
        }

        TempData["Message"] = $"« {unit.Name} » est retiré du catalogue ; ses prêts et décomptes restent consultables.";
        return Redirect("/materiel");
    }

    public async Task<IActionResult> OnPostAddPhotoAsync(int id, CancellationToken cancellationToken) =>
        await ChangePhotosAsync(id, async unit =>
        {
            if (Photo is null)
            {
                throw new RuleException("Choisissez une photo à ajouter.", nameof(Photo));
            }

            var count = await db.UnitPhotos.CountAsync(p => p.UnitId == id && p.FaultReportId == null, cancellationToken);
            if (count >= UnitPhoto.MaxPerUnit)
            {
                throw new RuleException($"Un matériel a {UnitPhoto.MaxPerUnit} photos au plus : supprimez-en une avant d'en ajouter.", nameof(Photo));
            }

            var sizes = await UnitPhotos.ResizeAsync(Photo, nameof(Photo), cancellationToken);
            var last = await db.UnitPhotos.Where(p => p.UnitId == id && p.FaultReportId == null).MaxAsync(p => (int?)p.Position, cancellationToken);
            db.UnitPhotos.Add(new UnitPhoto(unit, (last ?? -1) + 1, sizes, User.Identity?.Name ?? "?", time.GetUtcNow()));
            return "La photo est ajoutée.";
        }, cancellationToken);

    public async Task<IActionResult> OnPostDeletePhotoAsync(int id, CancellationToken cancellationToken) =>
        await ChangePhotosAsync(id, async unit =>
        {
            var photo = await GalleryPhotoAsync(id, cancellationToken);
            db.UnitPhotos.Remove(photo);
            return "La photo est supprimée.";
        }, cancellationToken);

    public async Task<IActionResult> OnPostMovePhotoAsync(int id, CancellationToken cancellationToken) =>
        await ChangePhotosAsync(id, async unit =>
        {
            if (Direction is not ("avant" or "apres"))
            {
                throw new RuleException("Choisissez de placer la photo avant ou après.", nameof(Direction));
            }

            var photo = await GalleryPhotoAsync(id, cancellationToken);
            var gallery = db.UnitPhotos.Where(p => p.UnitId == id && p.FaultReportId == null);
            var neighbour = Direction == "avant"
                ? await gallery.Where(p => p.Position < photo.Position).OrderByDescending(p => p.Position).FirstOrDefaultAsync(cancellationToken)
                : await gallery.Where(p => p.Position > photo.Position).OrderBy(p => p.Position).FirstOrDefaultAsync(cancellationToken);
            if (neighbour is not null)
            {
                (photo.Position, neighbour.Position) = (neighbour.Position, photo.Position);
            }

            return "L'ordre des photos est enregistré.";
        }, cancellationToken);

    private async Task<UnitPhoto> GalleryPhotoAsync(int id, CancellationToken cancellationToken) =>
        PhotoId is { } photoId
            ? await db.UnitPhotos.SingleOrDefaultAsync(p => p.Id == photoId && p.UnitId == id && p.FaultReportId == null, cancellationToken)
                ?? throw new RuleException("Cette photo n'existe plus : rechargez la page.", nameof(PhotoId)) { IsConflict = true }
            : throw new RuleException("Choisissez une photo.", nameof(PhotoId));

    /// <summary>
    /// A change to the gallery is an edit of the unit: made from the page read at <see cref="Version"/>,
    /// it bumps the unit's edit count, so that of two changes made from the same page the second is a 409.
    /// </summary>
    private async Task<IActionResult> ChangePhotosAsync(int id, Func<EquipmentUnit, Task<string>> change, CancellationToken cancellationToken)
    {
        var (unit, refusal) = await FindAsync(id, cancellationToken);
        if (unit is null)
        {
            return refusal!;
        }

        if (Photo is { } file && file.Length > photoOptions.Value.MaxBytes)
        {
            return UnitPhotos.TooLarge(this, photoOptions.Value);
        }

        if (Version is not { } seen)
        {
            ModelState.AddModelError(nameof(Version), "Le formulaire est incomplet : rechargez la page.");
            await LoadAsync(unit, fillForm: true, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (seen != unit.EditVersion || unit.Status == UnitStatus.Retired)
        {
            return await ConflictAsync(id, cancellationToken);
        }

        string message;
        try
        {
            message = await change(unit);
            unit.PhotosChanged();
        }
        catch (RuleException e) when (e.IsConflict)
        {
            return await ConflictAsync(id, cancellationToken);
        }
        catch (RuleException e)
        {
            db.ChangeTracker.Clear();
            ModelState.AddModelError(e.Field ?? "", e.Message);
            // Only the gallery was posted: the unit's form shows the unit as it is.
            var fresh = await db.EquipmentUnits.Include(u => u.OwnerCommune).SingleAsync(u => u.Id == id, cancellationToken);
            await LoadAsync(fresh, fillForm: true, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (!await RowVersion.TrySaveAsync(db, cancellationToken))
        {
            return await ConflictAsync(id, cancellationToken);
        }

        TempData["Message"] = message;
        return Redirect($"/materiel/{id}/modifier#photos");
    }

    /// <summary>The unit, or what to answer: 404 to whoever may not see that it is theirs to keep, 403 to a signed-in person who is not its keeper.</summary>
    private async Task<(EquipmentUnit? Unit, IActionResult? Refusal)> FindAsync(int id, CancellationToken cancellationToken)
    {
        Id = id;
        var unit = await db.EquipmentUnits.Include(u => u.OwnerCommune).SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (unit is null)
        {
            return (null, NotFound());
        }

        return Keepers.MayKeep(User.ToActor(), unit.OwnerCommuneId) ? (unit, null) : (null, Forbid());
    }

    private async Task<IActionResult> RefusedAsync(EquipmentUnit unit, CancellationToken cancellationToken)
    {
        await LoadAsync(unit, fillForm: false, cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<IActionResult> ConflictAsync(int id, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var unit = await db.EquipmentUnits.Include(u => u.OwnerCommune).SingleAsync(u => u.Id == id, cancellationToken);
        var message = unit.Status == UnitStatus.Retired
            ? $"Ce matériel vient d'être retiré du catalogue{(unit.RetiredAt is { } at ? $", à {at.Clock()}" : "")}."
            : "Ce matériel vient d'être modifié par quelqu'un d'autre : voici sa fiche telle qu'elle est maintenant.";
        Conflict = new ConflictNotice(message, $"/materiel/{id}", "Voir la fiche du matériel");
        ModelState.Clear();
        await LoadAsync(unit, fillForm: true, cancellationToken);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private async Task LoadAsync(EquipmentUnit unit, bool fillForm, CancellationToken cancellationToken)
    {
        Id = unit.Id;
        UnitName = unit.Name;
        InventoryCode = unit.InventoryCode;
        OwnerName = unit.OwnerCommune?.Name ?? EquipmentLabels.CommunityOwner;
        HasMairie = unit.OwnerCommune is not null;
        if (fillForm)
        {
            Form = UnitForm.From(unit, unit.OwnerCommune?.ReferencePoint);
            Version = unit.EditVersion;
        }

        Choices = await UnitChoices.LoadAsync(db, withOwners: false, cancellationToken);
        Photos = await db.UnitPhotos.Where(p => p.UnitId == unit.Id && p.FaultReportId == null).OrderBy(p => p.Position)
            .Select(p => new PhotoRow(p.Id, p.Hash, p.ThumbnailWidth, p.ThumbnailHeight)).ToListAsync(cancellationToken);
        OpenLoans = await db.Loans.Where(l => l.UnitId == unit.Id && Loan.BookingStates.Contains(l.Status))
            .OrderBy(l => l.FirstDay)
            .Select(l => new OpenLoan(l.Id, l.BorrowerCommune.Name, l.FirstDay, l.LastDay, l.Status))
            .ToListAsync(cancellationToken);
    }
}
