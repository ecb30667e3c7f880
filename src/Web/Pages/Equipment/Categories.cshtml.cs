using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Equipment;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>
/// The community's categories, kept by its staff. Under /admin for the address, but in this folder:
/// the /Admin folder is for admins only, and staff keep the catalogue too.
/// </summary>
[Authorize(Roles = Roles.Staff + "," + Roles.Admin)]
public sealed partial class CategoriesModel(ValDromeDb db) : PageModel
{
    public sealed record Row(int Id, string Code, string Name, string Description, int MaxLoanDays, int Units, uint Version);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public ConflictNotice? Conflict { get; private set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public int? MaxLoanDays { get; set; }

    /// <summary>The row version the form was read at (ADR 14).</summary>
    [BindProperty]
    public uint? Version { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        var code = Code?.Trim().ToLowerInvariant() ?? "";
        try
        {
            if (!ModelState.IsValid)
            {
                return await RefusedAsync(cancellationToken);
            }

            if (code.Length > 40 || !SlugPattern().IsMatch(code))
            {
                throw new RuleException("Le code s'écrit en minuscules sans accents, chiffres et tirets, 40 caractères au plus (par exemple « mini-pelle »).", nameof(Code));
            }

            EquipmentCategory.Check(Name ?? "", Description, MaxLoanDays ?? 30);
            if (await db.EquipmentCategories.AnyAsync(c => c.Code == code || c.Name == Name!.Trim(), cancellationToken))
            {
                throw new RuleException("Une catégorie porte déjà ce code ou ce nom.", nameof(Name));
            }
        }
        catch (RuleException e)
        {
            ModelState.AddModelError(e.Field ?? "", e.Message);
            return await RefusedAsync(cancellationToken);
        }

        db.EquipmentCategories.Add(new EquipmentCategory(code, Name!.Trim(), Description?.Trim() ?? "", MaxLoanDays ?? 30));
        if (!await RowVersion.TrySaveAsync(db, cancellationToken, "ix_equipment_categories_code", "ix_equipment_categories_name"))
        {
            ModelState.AddModelError(nameof(Name), "Une catégorie porte déjà ce code ou ce nom.");
            return await RefusedAsync(cancellationToken);
        }

        TempData["Message"] = $"Catégorie « {Name.Trim()} » ajoutée.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRenameAsync(int id, CancellationToken cancellationToken)
    {
        var category = await db.EquipmentCategories.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (category is null)
        {
            return NotFound();
        }

        if (!ModelState.IsValid || Version is not { } seen)
        {
            ModelState.AddModelError(nameof(Version), "Le formulaire est incomplet : rechargez la page.");
            return await RefusedAsync(cancellationToken);
        }

        // A form read before another change is a conflict even when it would change nothing.
        if (db.Entry(category).Property<uint>(RowVersion.Property).CurrentValue != seen)
        {
            return await ConflictAsync("Cette catégorie vient d'être modifiée ou renommée par quelqu'un d'autre : voici la liste telle qu'elle est maintenant.", cancellationToken);
        }

        try
        {
            category.Rename(Name ?? "", Description, MaxLoanDays ?? 0);
            if (await db.EquipmentCategories.AnyAsync(c => c.Id != id && c.Name == category.Name, cancellationToken))
            {
                throw new RuleException($"Une autre catégorie s'appelle déjà « {category.Name} ».", nameof(Name));
            }
        }
        catch (RuleException e)
        {
            db.ChangeTracker.Clear();
            ModelState.AddModelError(e.Field ?? "", e.Message);
            return await RefusedAsync(cancellationToken);
        }

        db.Entry(category).Property<uint>(RowVersion.Property).OriginalValue = seen;
        if (!await RowVersion.TrySaveAsync(db, cancellationToken, "ix_equipment_categories_name"))
        {
            return await ConflictAsync("Cette catégorie vient d'être modifiée ou renommée par quelqu'un d'autre : voici la liste telle qu'elle est maintenant.", cancellationToken);
        }

        TempData["Message"] = $"Catégorie « {category.Name} » enregistrée.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken cancellationToken)
    {
        var category = await db.EquipmentCategories.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (category is null)
        {
            return NotFound();
        }

        var units = await db.EquipmentUnits.CountAsync(u => u.CategoryId == id, cancellationToken);
        if (units > 0)
        {
            return await InUseAsync(category.Name, units, cancellationToken);
        }

        db.EquipmentCategories.Remove(category);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation })
        {
            // A unit was added to it in between.
            db.ChangeTracker.Clear();
            return await InUseAsync(category.Name, 1, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return await ConflictAsync("Cette catégorie vient d'être modifiée ou supprimée par quelqu'un d'autre : voici la liste telle qu'elle est maintenant.", cancellationToken);
        }

        TempData["Message"] = $"Catégorie « {category.Name} » supprimée.";
        return RedirectToPage();
    }

    private async Task<IActionResult> InUseAsync(string name, int units, CancellationToken cancellationToken)
    {
        ModelState.AddModelError("", units == 1
            ? $"La catégorie « {name} » classe encore un matériel (retiré ou non) : elle ne peut pas être supprimée, mais elle peut être renommée."
            : $"La catégorie « {name} » classe encore {units} matériels (retirés ou non) : elle ne peut pas être supprimée, mais elle peut être renommée.");
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private async Task<IActionResult> RefusedAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<IActionResult> ConflictAsync(string message, CancellationToken cancellationToken)
    {
        Conflict = new ConflictNotice(message, "/admin/categories", "Revenir aux catégories");
        ModelState.Clear();
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Rows = await db.EquipmentCategories.OrderBy(c => c.Name)
            .Select(c => new Row(c.Id, c.Code, c.Name, c.Description, c.MaxLoanDays,
                db.EquipmentUnits.Count(u => u.CategoryId == c.Id),
                EF.Property<uint>(c, RowVersion.Property)))
            .ToListAsync(cancellationToken);
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();
}
