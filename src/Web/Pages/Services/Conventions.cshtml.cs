using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Services;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Services;

/// <summary>
/// The conventions of a year: staff and admins record and amend them; a commune's agent reads
/// its own; the technician reads them all. Terms already copied into requests do not change.
/// </summary>
public sealed class ConventionsModel(ValDromeDb db, TimeProvider time) : PageModel
{
    public sealed record LineRow(ServiceKind Service, BillingUnit Unit, decimal Rate, decimal MinimumUnits);

    public sealed record ConventionRow(string Insee, string Commune, int Year, DateOnly StartsOn, DateOnly EndsOn, string SignedBy, DateOnly? SignedOn, decimal RatePerKm, IReadOnlyList<LineRow> Lines);

    public sealed class ServiceTerms
    {
        public bool Included { get; set; }

        public string? Unit { get; set; }

        public decimal? Rate { get; set; }

        public decimal? Minimum { get; set; }
    }

    public sealed class ConventionForm
    {
        public string? Commune { get; set; }

        public DateOnly? StartsOn { get; set; }

        public DateOnly? EndsOn { get; set; }

        public string? SignedBy { get; set; }

        public DateOnly? SignedOn { get; set; }

        public decimal? RatePerKm { get; set; }

        public Dictionary<string, ServiceTerms> Terms { get; set; } = [];
    }

    [BindProperty(SupportsGet = true, Name = "annee")]
    public int? Annee { get; set; }

    [BindProperty]
    public ConventionForm Form { get; set; } = new();

    /// <summary>The version of the convention the form was filled from (none for a new one): ADR 14.</summary>
    [BindProperty]
    public uint? Seen { get; set; }

    public int Year { get; private set; }

    public bool Keeps { get; private set; }

    /// <summary>Staff, admins and a commune's agent (who only sees its own rows) print a convention's summary.</summary>
    public bool MayPrint { get; private set; }

    public IReadOnlyList<ConventionRow> Rows { get; private set; } = [];

    public IReadOnlyList<(string Insee, string Name)> Communes { get; private set; } = [];

    public ConflictNotice? Conflict { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "commune")] string? commune, CancellationToken cancellationToken)
    {
        if (!ReadYear())
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        await LoadAsync(cancellationToken);
        Form.StartsOn = new DateOnly(Year, 1, 1);
        Form.EndsOn = new DateOnly(Year, 12, 31);
        Form.RatePerKm = 0.45m;
        var existing = Keeps && commune is not null
            ? await db.ServiceConventions.Include(c => c.Lines)
                .SingleOrDefaultAsync(c => c.Year == Year && db.Communes.Any(m => m.Id == c.CommuneId && m.Insee == commune), cancellationToken)
            : null;
        if (existing is not null)
        {
            // The form starts from the convention as it is, and carries its version (ADR 14).
            Seen = db.Entry(existing).Property<uint>(RowVersion.Property).CurrentValue;
            Form.Commune = commune;
            Form.StartsOn = existing.StartsOn;
            Form.EndsOn = existing.EndsOn;
            Form.SignedBy = existing.SignedBy;
            Form.SignedOn = existing.SignedOn;
            Form.RatePerKm = existing.RatePerKm;
            Form.Terms = existing.Lines.ToDictionary(l => ServiceWords.Slug(l.Service), l => new ServiceTerms
            {
                Included = true, Unit = l.Unit == BillingUnit.Hour ? "heure" : "demi-journee", Rate = l.Rate, Minimum = l.MinimumUnits,
            });
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        if (!ServiceRights.Keeps(actor))
        {
            return Forbid();
        }

        var commune = await db.Communes.SingleOrDefaultAsync(c => c.Insee == Form.Commune, cancellationToken);
        if (commune is null)
        {
            ModelState.AddModelError("Form.Commune", "Choisissez une commune de la liste.");
        }

        if (Form.StartsOn is not { } starts || Form.EndsOn is not { } ends)
        {
            ModelState.AddModelError("Form.StartsOn", "Indiquez le début et la fin de la convention.");
        }
        else if (!DateParameters.InRange(starts, time.Today(), out var error) || !DateParameters.InRange(ends, time.Today(), out error)
            || (Form.SignedOn is { } signed && !DateParameters.InRange(signed, time.Today(), out error)))
        {
            ModelState.AddModelError("Form.StartsOn", error);
        }

        if (!ModelState.IsValid || commune is null)
        {
            return await RefusedAsync(StatusCodes.Status400BadRequest, cancellationToken);
        }

        Year = Form.StartsOn!.Value.Year;
        Annee = Year;
        var convention = await db.ServiceConventions.Include(c => c.Lines)
            .SingleOrDefaultAsync(c => c.CommuneId == commune.Id && c.Year == Year, cancellationToken);
        if (convention is not null && db.Entry(convention).Property<uint>(RowVersion.Property).CurrentValue != Seen)
        {
            return await ConflictedAsync(commune.Name, cancellationToken);
        }

        try
        {
            if (convention is null)
            {
                convention = new ServiceConvention(commune.Id, Year, Form.StartsOn.Value, Form.EndsOn!.Value, Form.SignedBy ?? "", Form.SignedOn, Form.RatePerKm ?? 0);
                db.ServiceConventions.Add(convention);
            }
            else
            {
                convention.Update(Form.StartsOn.Value, Form.EndsOn!.Value, Form.SignedBy ?? "", Form.SignedOn, Form.RatePerKm ?? 0);
            }

            foreach (var kind in ServiceWords.All)
            {
                var terms = Form.Terms.GetValueOrDefault(ServiceWords.Slug(kind));
                if (terms is not { Included: true })
                {
                    convention.RemoveService(kind);
                    continue;
                }

                var unit = terms.Unit == "demi-journee" ? BillingUnit.HalfDay : terms.Unit == "heure" ? BillingUnit.Hour
                    : throw new RuleException($"Choisissez l'unité de facturation de « {ServiceWords.Name(kind)} ».", "Terms");
                convention.SetService(kind, unit, terms.Rate ?? -1, terms.Minimum ?? 0);
            }
        }
        catch (RuleException e)
        {
            ModelState.AddModelError("Form." + (e.Field ?? "Commune"), e.Message);
            return await RefusedAsync(StatusCodes.Status400BadRequest, cancellationToken);
        }

        if (convention.Lines.Count == 0)
        {
            ModelState.AddModelError("Form.Terms", "Cochez au moins un service.");
            return await RefusedAsync(StatusCodes.Status400BadRequest, cancellationToken);
        }

        if (!await RowVersion.TrySaveAsync(db, cancellationToken, ServiceConventionConfiguration.OnePerYear))
        {
            return await ConflictedAsync(commune.Name, cancellationToken);
        }

        TempData["Message"] = $"Convention {Year} de {commune.Name} enregistrée.";
        return Redirect($"/services/conventions?annee={Year}");
    }

    private async Task<IActionResult> ConflictedAsync(string commune, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        Conflict = new ConflictNotice($"La convention {Year} de {commune} vient d'être enregistrée par quelqu'un d'autre : la voici telle qu'elle est maintenant. Vos changements n'ont pas été enregistrés.",
            $"/services/conventions?annee={Year}", "Revoir les conventions");
        Response.StatusCode = StatusCodes.Status409Conflict;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task<IActionResult> RefusedAsync(int status, CancellationToken cancellationToken)
    {
        Response.StatusCode = status;
        db.ChangeTracker.Clear();
        if (Year == 0)
        {
            ReadYear();
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private bool ReadYear()
    {
        var today = time.Today();
        Year = Annee ?? today.Year;
        if (Year < DateParameters.Earliest(today).Year || Year > DateParameters.Latest(today).Year)
        {
            ModelState.AddModelError("annee", string.Create(CultureInfo.InvariantCulture,
                $"L'année {Year} est hors de la période gérée ({DateParameters.Earliest(today).Year} à {DateParameters.Latest(today).Year})."));
            Year = today.Year;
            return false;
        }

        return true;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Keeps = ServiceRights.Keeps(actor);
        MayPrint = Keeps || actor.IsAgent;
        var ownOnly = actor.IsAgent && !Keeps ? actor.CommuneId : null;
        var rows = await db.ServiceConventions.Where(c => c.Year == Year && (ownOnly == null || c.CommuneId == ownOnly))
            .Join(db.Communes, c => c.CommuneId, m => m.Id, (c, m) => new { c, m.Insee, m.Name })
            .OrderBy(x => x.Name)
            .Select(x => new
            {
                x.Insee, x.Name, x.c.Year, x.c.StartsOn, x.c.EndsOn, x.c.SignedBy, x.c.SignedOn, x.c.RatePerKm,
                Lines = x.c.Lines.OrderBy(l => l.Service).Select(l => new LineRow(l.Service, l.Unit, l.Rate, l.MinimumUnits)).ToList(),
            })
            .ToListAsync(cancellationToken);
        Rows = [.. rows.Select(r => new ConventionRow(r.Insee, r.Name, r.Year, r.StartsOn, r.EndsOn, r.SignedBy, r.SignedOn, r.RatePerKm, r.Lines))];
        if (Keeps)
        {
            Communes = [.. (await db.Communes.Where(c => c.IsCurrentMember).OrderBy(c => c.Name).Select(c => new { c.Insee, c.Name }).ToListAsync(cancellationToken))
                .Select(c => (c.Insee, c.Name))];
        }
    }
}
