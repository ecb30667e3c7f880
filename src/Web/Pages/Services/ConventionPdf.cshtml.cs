using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Services;

/// <summary>
/// « Imprimer la convention (PDF) »: the summary of a commune's convention for a year, for staff
/// and admins and for the commune's own agents. Another commune's agent, the technician (who reads
/// the list but not the terms' summary meant for a mairie's file) are refused.
/// </summary>
[Authorize] // The folder asks for it too (WebComposition); said here as the labels' sheet does, for a file read alone.
public sealed class ConventionPdfModel(ValDromeDb db, TimeProvider time) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string annee, string insee, CancellationToken cancellationToken)
    {
        var today = time.Today();
        if (!int.TryParse(annee, NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || year < DateParameters.Earliest(today).Year || year > DateParameters.Latest(today).Year)
        {
            return this.BadRequestPage($"L'année « {Shorten(annee)} » n'est pas une année de convention possible ({DateParameters.Earliest(today).Year} à {DateParameters.Latest(today).Year}).");
        }

        var commune = await db.Communes.Where(c => c.Insee == insee).Select(c => new { c.Id, c.Name, c.Insee }).SingleOrDefaultAsync(cancellationToken);
        if (commune is null)
        {
            return NotFound();
        }

        if (!MayPrint(User.ToActor(), commune.Id))
        {
            return Forbid();
        }

        var convention = await db.ServiceConventions.AsNoTracking()
            .Where(c => c.CommuneId == commune.Id && c.Year == year)
            .Select(c => new
            {
                c.StartsOn, c.EndsOn, c.SignedBy, c.SignedOn, c.RatePerKm,
                Lines = c.Lines.OrderBy(l => l.Service).Select(l => new ConventionSheetLine(l.Service, l.Unit, l.Rate, l.MinimumUnits)).ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (convention is null)
        {
            return NotFound();
        }

        var pdf = ConventionSheet.Render(new ConventionSheetData(commune.Name, commune.Insee, year, convention.StartsOn, convention.EndsOn,
            convention.SignedBy, convention.SignedOn, convention.RatePerKm, convention.Lines, today));
        return File(pdf, "application/pdf", string.Create(CultureInfo.InvariantCulture, $"convention-{year}-{commune.Insee}.pdf"));
    }

    /// <summary>Staff and admins, and the agents of the convention's commune.</summary>
    public static bool MayPrint(Actor actor, int communeId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return ServiceRights.Keeps(actor) || actor.ActsFor(communeId);
    }

    private static string Shorten(string text) => text.Length > 12 ? text[..12] + "…" : text;
}
