using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Services;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Services;

/// <summary>
/// A commune's agent asks for a service: what for, where, whom to ask for, and when — one
/// morning, afternoon, day or span of hours, or the same every week until a day (one request,
/// its slots written together or not at all).
/// </summary>
[Authorize(Roles = Roles.Agent)]
public sealed class NewRequestModel(ValDromeDb db, TimeProvider time, IOptions<MarketplaceOptions> market, IOptions<ServicesOptions> options) : PageModel
{
    public sealed class RequestForm
    {
        [Display(Name = "service")]
        public string? Service { get; set; }

        [Display(Name = "objet")]
        [StringLength(500, ErrorMessage = "L'objet est limité à 500 caractères.")]
        public string? Purpose { get; set; }

        [Display(Name = "lieu")]
        [StringLength(200, ErrorMessage = "Le lieu est limité à 200 caractères.")]
        public string? Place { get; set; }

        [Display(Name = "contact")]
        [StringLength(200, ErrorMessage = "Le contact est limité à 200 caractères.")]
        public string? Contact { get; set; }

        /// <summary>matin, apres-midi, journee or heures.</summary>
        [Display(Name = "créneau")]
        public string? Mode { get; set; }

        [Display(Name = "jour")]
        public DateOnly? Day { get; set; }

        [Display(Name = "début")]
        public TimeOnly? Start { get; set; }

        [Display(Name = "fin")]
        public TimeOnly? End { get; set; }

        [Display(Name = "chaque semaine")]
        public bool Weekly { get; set; }

        [Display(Name = "jusqu'au")]
        public DateOnly? Until { get; set; }
    }

    public static IReadOnlyList<(string Value, string Label)> Modes { get; } =
        [("matin", "Le matin (8 h – 12 h)"), ("apres-midi", "L'après-midi (13 h 30 – 17 h 30)"), ("journee", "La journée"), ("heures", "Des heures précises")];

    [BindProperty]
    public RequestForm Form { get; set; } = new();

    public string CommuneName { get; private set; } = "";

    public DateOnly Today => time.Today();

    public async Task OnGetAsync([FromQuery(Name = "service")] string? service, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Form.Service = ServiceWords.FromSlug(service) is { } kind ? ServiceWords.Slug(kind) : null;
        Form.Mode = "matin";
        Form.Day = Today.AddDays(1);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        await LoadAsync(cancellationToken);
        var service = ServiceWords.FromSlug(Form.Service);
        if (service is null)
        {
            ModelState.AddModelError("Form.Service", "Choisissez un service.");
        }

        var (slots, calendar) = ModelState.IsValid ? await SlotsAsync(cancellationToken) : ([], Domain.Calendar.WorkingCalendar.Statutory);
        if (!ModelState.IsValid || service is null)
        {
            return Refused(StatusCodes.Status400BadRequest);
        }

        var commune = await db.Communes.SingleAsync(c => c.Id == actor.CommuneId, cancellationToken);
        var year = slots.Min(s => s.Day).Year;
        var convention = await db.ServiceConventions.Include(c => c.Lines)
            .SingleOrDefaultAsync(c => c.CommuneId == commune.Id && c.Year == year, cancellationToken);
        ServiceRequest request;
        try
        {
            var window = market.Value.Window(Today);
            request = ServiceRequest.Create(commune, service.Value, convention, slots, Form.Purpose ?? "", Form.Place ?? "", Form.Contact ?? "",
                false, actor, time.GetUtcNow(), window.Earliest, window.Latest, options.Value.Contact, calendar);
        }
        catch (RuleException e)
        {
            ModelState.AddModelError("Form." + (e.Field ?? "Service"), e.Message);
            return Refused(StatusCodes.Status400BadRequest);
        }

        if (await ServiceStore.FirstCommuneOverlapAsync(db, commune.Id, service.Value, slots, cancellationToken) is { } taken)
        {
            return Taken(taken);
        }

        db.ServiceRequests.Add(request);
        var outcome = await ServiceStore.TrySaveAsync(db, cancellationToken);
        if (outcome == ServiceSaveOutcome.DayClosed)
        {
            // Staff closed one of the days between the check and the save (ADR 32).
            ModelState.AddModelError("Form.Day", "Le service vient de fermer l'un de ces jours : aucun créneau de cette demande n'a été enregistré. Choisissez un autre jour.");
            return Refused(StatusCodes.Status409Conflict);
        }

        if (outcome != ServiceSaveOutcome.Saved)
        {
            // Another request of the commune took one of the slots between the check and the save.
            return Taken(await ServiceStore.FirstCommuneOverlapAsync(db, commune.Id, service.Value, slots, cancellationToken) ?? slots[0].Day);
        }

        TempData["Message"] = slots.Count == 1
            ? "Demande enregistrée : le service va désigner un agent."
            : $"Demande enregistrée ({slots.Count} créneaux) : le service va désigner un agent.";
        return Redirect($"/services/demandes/{request.Id}");
    }

    /// <summary>
    /// The slots the form asks for, and the services' working days over them; adds the form's
    /// errors and returns no slot when it does not hold.
    /// </summary>
    private async Task<(List<ServiceSlot> Slots, Domain.Calendar.WorkingCalendar Calendar)> SlotsAsync(CancellationToken cancellationToken)
    {
        var none = (new List<ServiceSlot>(), Domain.Calendar.WorkingCalendar.Statutory);
        if (Form.Day is not { } first)
        {
            ModelState.AddModelError("Form.Day", "Indiquez le jour.");
            return none;
        }

        if (!DateParameters.InRange(first, Today, out var error) || (Form.Until is { } u && !DateParameters.InRange(u, Today, out error)))
        {
            ModelState.AddModelError("Form.Day", error);
            return none;
        }

        var last = Form.Weekly ? Form.Until ?? first : first;
        if (last < first || last > first.AddYears(1))
        {
            ModelState.AddModelError("Form.Until", "La répétition se termine après le premier jour, dans l'année qui suit.");
            return none;
        }

        (TimeOnly Start, TimeOnly End)[] hours = Form.Mode switch
        {
            "matin" => [ServiceDays.HalfDay(true)],
            "apres-midi" => [ServiceDays.HalfDay(false)],
            "journee" => [ServiceDays.HalfDay(true), ServiceDays.HalfDay(false)],
            "heures" when Form.Start is { } s && Form.End is { } e => [(s, e)],
            "heures" => [],
            _ => [],
        };
        if (hours.Length == 0)
        {
            ModelState.AddModelError("Form.Mode", Form.Mode == "heures" ? "Indiquez l'heure de début et l'heure de fin." : "Choisissez le créneau.");
            return none;
        }

        var calendar = await ServiceDays.CalendarAsync(db, first, last, cancellationToken);
        var slots = new List<ServiceSlot>();
        for (var day = first; day <= last; day = day.AddDays(7))
        {
            // A repetition skips the days the community does not work (the first day is checked by the rules).
            if (day != first && !calendar.IsWorkingDay(day))
            {
                continue;
            }

            slots.AddRange(hours.Select(h => new ServiceSlot(day, h.Start, h.End)));
        }

        return (slots, calendar);
    }

    private PageResult Taken(DateOnly day)
    {
        ModelState.AddModelError("Form.Day",
            $"Votre commune a déjà demandé ce service le {day.ToString("dddd d MMMM yyyy", FrenchCulture.Instance)} sur ce créneau : aucun créneau de cette demande n'a été enregistré.");
        return Refused(StatusCodes.Status409Conflict);
    }

    private PageResult Refused(int status)
    {
        Response.StatusCode = status;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        CommuneName = await db.Communes.Where(c => c.Id == actor.CommuneId).Select(c => c.Name).SingleAsync(cancellationToken);
    }
}
