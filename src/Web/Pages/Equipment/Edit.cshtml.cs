using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Loans;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>The owner edits a unit of theirs, or retires it once its current and coming loans are decided.</summary>
[Authorize]
public sealed class EditModel(ValDromeDb db, TimeProvider time) : PageModel
{
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
        OpenLoans = await db.Loans.Where(l => l.UnitId == unit.Id && Loan.BookingStates.Contains(l.Status))
            .OrderBy(l => l.FirstDay)
            .Select(l => new OpenLoan(l.Id, l.BorrowerCommune.Name, l.FirstDay, l.LastDay, l.Status))
            .ToListAsync(cancellationToken);
    }
}
