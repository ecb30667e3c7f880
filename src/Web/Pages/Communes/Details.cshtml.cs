using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Equipment;
using ValDrome.Geo.Encoding;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Communes;

public sealed class DetailsModel(ValDromeDb db) : PageModel
{
    public sealed record CommuneView(
        string Insee, string Name, int Population, double? DeclaredAreaKm2, double AreaKm2,
        bool IsCurrentMember, DateOnly? LeftOn, string BoundaryGeoJson);

    public sealed record UnitRow(int Id, string Name, string Category, decimal DailyRate, UnitStatus Status);

    public CommuneView Commune { get; private set; } = null!;

    public IReadOnlyList<UnitRow> Units { get; private set; } = [];

    public IReadOnlyList<string> Depots { get; private set; } = [];

    /// <summary>When the mairie can receive or hand over equipment: the technician's time windows.</summary>
    public string OpeningHours { get; private set; } = "";

    /// <summary>The commune's own agent, community staff and admins may change its opening hours.</summary>
    public bool MayEditHours { get; private set; }

    /// <summary>The hours typed in the form (« 08:30-12:00 13:30-17:00 »).</summary>
    [BindProperty]
    public string? Horaires { get; set; }

    /// <summary>The mairie's address and phone, shown on the technician's stops; blank when unknown.</summary>
    public string? MairieAddress { get; private set; }

    public string? MairiePhone { get; private set; }

    /// <summary>The mairie's address typed in the form.</summary>
    [BindProperty]
    public string? Adresse { get; set; }

    /// <summary>The mairie's phone typed in the form.</summary>
    [BindProperty]
    public string? Telephone { get; set; }

    public async Task<IActionResult> OnGetAsync(string insee, CancellationToken cancellationToken) =>
        await LoadAsync(insee, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostHorairesAsync(string insee, CancellationToken cancellationToken)
    {
        var (commune, refusal) = await EditableAsync(insee, cancellationToken);
        if (commune is null)
        {
            return refusal!;
        }

        if (!Domain.Transport.OpeningHours.TryParse(Horaires, out var hours, out var error))
        {
            ModelState.AddModelError(nameof(Horaires), error!);
            await LoadAsync(insee, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        commune.SetOpeningHours(hours!.ToString());
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = $"Horaires de la mairie enregistrés : {hours.ToFrench()}. Les prochaines tournées en tiennent compte.";
        return RedirectToPage(new { insee });
    }

    public async Task<IActionResult> OnPostContactsAsync(string insee, CancellationToken cancellationToken)
    {
        var (commune, refusal) = await EditableAsync(insee, cancellationToken);
        if (commune is null)
        {
            return refusal!;
        }

        if (Adresse is { Length: > Domain.Communes.Commune.MairieAddressMaxLength })
        {
            ModelState.AddModelError(nameof(Adresse), $"L'adresse tient en {Domain.Communes.Commune.MairieAddressMaxLength}\u00a0caractères au plus.");
        }
        else if (Adresse is not null && Adresse.Any(char.IsControl))
        {
            ModelState.AddModelError(nameof(Adresse), "L'adresse tient sur une ligne, sans caractère de contrôle.");
        }

        if (!string.IsNullOrWhiteSpace(Telephone) && !IsPhone(Telephone))
        {
            ModelState.AddModelError(nameof(Telephone), "Indiquez le téléphone en chiffres, par exemple « 04 75 25 00 00 » ou « +33 4 75 25 00 00 ».");
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(insee, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        commune.SetMairieContacts(Adresse, Telephone);
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = "Coordonnées de la mairie enregistrées : le technicien les voit sur sa tournée.";
        return RedirectToPage(new { insee });
    }

    /// <summary>The commune whose mairie the signed-in person may describe (its own agent, staff, admin), or why not.</summary>
    private async Task<(Domain.Communes.Commune? Commune, IActionResult? Refusal)> EditableAsync(string insee, CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return (null, Challenge());
        }

        var commune = await db.Communes.SingleOrDefaultAsync(c => c.Insee == insee, cancellationToken);
        if (commune is null)
        {
            return (null, NotFound());
        }

        return MayEdit(User.ToActor(), commune.Id) ? (commune, null) : (null, Forbid());
    }

    /// <summary>Digits with the usual separators, 10 to 15 digits (a French number, or an international one).</summary>
    private static bool IsPhone(string text)
    {
        var trimmed = text.Trim();
        var digits = trimmed.Count(char.IsAsciiDigit);
        return trimmed.Length <= Domain.Communes.Commune.MairiePhoneMaxLength
            && digits is >= 10 and <= 15
            && trimmed.All(c => char.IsAsciiDigit(c) || c is ' ' or '.' or '-' or '(' or ')' or '+' or '\u00a0');
    }

    private static bool MayEdit(Actor actor, int communeId) => actor.ActsFor(communeId) || actor.IsStaff || actor.IsAdmin;

    private async Task<bool> LoadAsync(string insee, CancellationToken cancellationToken)
    {
        var commune = await db.Communes
            .Where(c => c.Insee == insee)
            .Select(c => new
            {
                c.Id, c.Insee, c.Name, c.Population, c.DeclaredAreaKm2, c.IsCurrentMember, c.LeftOn, c.Boundary, c.OpeningHours,
                c.MairieAddress, c.MairiePhone,
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (commune is null)
        {
            return false;
        }

        // Area on the ellipsoid (geography), in m²: the geometry column alone would give square degrees.
        var area = await db.Database
            .SqlQuery<double>($"SELECT ST_Area(boundary::geography) AS \"Value\" FROM communes WHERE id = {commune.Id}")
            .SingleAsync(cancellationToken);
        Commune = new CommuneView(
            commune.Insee, commune.Name, commune.Population, commune.DeclaredAreaKm2, area / 1e6,
            commune.IsCurrentMember, commune.LeftOn, GeoJson.Serialize(commune.Boundary));
        Units = await db.EquipmentUnits
            .Where(u => u.OwnerCommuneId == commune.Id && u.Status != UnitStatus.Retired)
            .OrderBy(u => u.Category.Name).ThenBy(u => u.Name)
            .Select(u => new UnitRow(u.Id, u.Name, u.Category.Name, u.DailyRate, u.Status))
            .ToListAsync(cancellationToken);
        Depots = await db.Depots.Where(d => d.CommuneId == commune.Id)
            .OrderBy(d => d.Name).Select(d => d.Name + ", " + d.Address).ToListAsync(cancellationToken);
        // Shown and offered for editing in French; the parser reads that text back (ADR 18).
        OpeningHours = Domain.Transport.OpeningHours.TryParse(commune.OpeningHours, out var hours, out _) ? hours!.ToFrench() : commune.OpeningHours;
        MayEditHours = User.Identity?.IsAuthenticated == true && MayEdit(User.ToActor(), commune.Id);
        Horaires ??= OpeningHours;
        MairieAddress = commune.MairieAddress;
        MairiePhone = commune.MairiePhone;
        Adresse ??= commune.MairieAddress;
        Telephone ??= commune.MairiePhone;
        return true;
    }
}
