using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Communes;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>
/// The community's depots, kept by its staff: a name, an address and a point inside the territory.
/// Under /admin for the address, in this folder because staff keep them too (/Admin is for admins only).
/// </summary>
[Authorize(Roles = Roles.Staff + "," + Roles.Admin)]
public sealed class DepotsModel(ValDromeDb db) : PageModel
{
    public sealed record Row(int Id, string Name, string Address, string Commune, int Units);

    public sealed class DepotForm
    {
        public string? Name { get; set; }

        public string? Address { get; set; }

        public string? Longitude { get; set; }

        public string? Latitude { get; set; }
    }

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public ConflictNotice? Conflict { get; private set; }

    [BindProperty]
    public DepotForm Form { get; set; } = new();

    /// <summary>The depot being edited (null: a new one).</summary>
    [BindProperty(SupportsGet = true)]
    public int? Id { get; set; }

    [BindProperty]
    public uint? Version { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return await RefusedAsync(cancellationToken);
        }

        if (Id is { } id)
        {
            var depot = await db.Depots.Where(d => d.Id == id)
                .Select(d => new { d.Name, d.Address, d.Location, Version = EF.Property<uint>(d, RowVersion.Property) })
                .SingleOrDefaultAsync(cancellationToken);
            if (depot is null)
            {
                return NotFound();
            }

            Form = new DepotForm
            {
                Name = depot.Name, Address = depot.Address,
                Longitude = depot.Location.X.ToString("0.#######", System.Globalization.CultureInfo.InvariantCulture),
                Latitude = depot.Location.Y.ToString("0.#######", System.Globalization.CultureInfo.InvariantCulture),
            };
            Version = depot.Version;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return await RefusedAsync(cancellationToken);
        }

        Depot? depot = null;
        if (Id is { } id)
        {
            depot = await db.Depots.SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
            if (depot is null)
            {
                return NotFound();
            }

            if (Version is not { } seen)
            {
                ModelState.AddModelError(nameof(Version), "Le formulaire est incomplet : rechargez la page.");
                return await RefusedAsync(cancellationToken);
            }

            if (db.Entry(depot).Property<uint>(RowVersion.Property).CurrentValue != seen)
            {
                return await ConflictAsync(cancellationToken);
            }
        }

        try
        {
            Depot.Check(Form.Name ?? "", Form.Address ?? "");
            var point = TerritoryPoints.Parse(Form.Longitude, Form.Latitude, "Longitude");
            var commune = await TerritoryPoints.CommuneAtAsync(db, point, cancellationToken)
                ?? throw new RuleException(TerritoryPoints.OutsideMessage, "Longitude");
            var name = Form.Name!.Trim();
            if (await db.Depots.AnyAsync(d => d.Name == name && d.Id != (Id ?? 0), cancellationToken))
            {
                throw new RuleException($"Un dépôt s'appelle déjà « {name} ».", "Name");
            }

            if (depot is null)
            {
                depot = new Depot(name, Form.Address!.Trim(), commune, point);
                db.Depots.Add(depot);
            }
            else
            {
                depot.Change(name, Form.Address!, commune, point);
                // Units kept at the depot are where it is (their place is copied for the spatial index).
                var units = await db.EquipmentUnits.Where(u => u.HomeDepotId == depot.Id).ToListAsync(cancellationToken);
                foreach (var unit in units)
                {
                    unit.KeepAt(depot);
                }
            }
        }
        catch (RuleException e)
        {
            db.ChangeTracker.Clear();
            ModelState.AddModelError(e.Field is null ? "" : "Form." + e.Field, e.Message);
            return await RefusedAsync(cancellationToken);
        }

        if (!await RowVersion.TrySaveAsync(db, cancellationToken, "ix_depots_name"))
        {
            return await ConflictAsync(cancellationToken);
        }

        TempData["Message"] = $"Dépôt « {depot.Name} » enregistré.";
        return Redirect("/admin/depots");
    }

    private async Task<IActionResult> ConflictAsync(CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        Conflict = new ConflictNotice("Ce dépôt vient d'être modifié par quelqu'un d'autre (ou son nom vient d'être pris) : voici la liste telle qu'elle est maintenant.",
            "/admin/depots", "Revenir aux dépôts");
        ModelState.Clear();
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

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Rows = await db.Depots.OrderBy(d => d.Name)
            .Select(d => new Row(d.Id, d.Name, d.Address, d.Commune.Name, db.EquipmentUnits.Count(u => u.HomeDepotId == d.Id)))
            .ToListAsync(cancellationToken);
    }
}
