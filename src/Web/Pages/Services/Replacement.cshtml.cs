using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Communes;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Services;
using ValDrome.Jobs.Notices;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Services;

/// <summary>
/// « Notre secrétaire est absente demain »: the itinerant secretaries free that day, nearest to
/// the commune first; the one chosen is booked at once and both sides are told by mail.
/// </summary>
[Authorize(Roles = Roles.Agent)]
public sealed class ReplacementModel(ValDromeDb db, TimeProvider time, IOptions<MarketplaceOptions> market, IOptions<ServicesOptions> options, ServiceNoticeDispatch notices) : PageModel
{
    public static IReadOnlyList<(string Value, string Label)> Parts { get; } =
        [("journee", "Toute la journée"), ("matin", "Le matin"), ("apres-midi", "L'après-midi")];

    [BindProperty(SupportsGet = true, Name = "jour")]
    public string? Jour { get; set; }

    [BindProperty(SupportsGet = true, Name = "creneau")]
    public string? Creneau { get; set; }

    [BindProperty]
    public int? AgentId { get; set; }

    [BindProperty]
    public string? Contact { get; set; }

    public DateOnly Day { get; private set; }

    public string CommuneName { get; private set; } = "";

    public IReadOnlyList<AvailableAgent>? Proposals { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var commune = await CommuneAsync(cancellationToken);
        if (Jour is null && Creneau is null)
        {
            Day = await NextWorkingDayAsync(time.Today(), cancellationToken);
            Creneau = "journee";
            return Page();
        }

        if (!TryRead(out var slots) || !await WorkedAsync(cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (!await CoveredAsync(commune, cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Proposals = await NearestAgents.FindAsync(db, commune.Id, ServiceKind.Secretary, Span(slots), 5, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var commune = await CommuneAsync(cancellationToken);
        if (!TryRead(out var slots) || Contact is { Length: > 200 })
        {
            if (Contact is { Length: > 200 })
            {
                ModelState.AddModelError(nameof(Contact), "Le contact est limité à 200 caractères.");
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (!await WorkedAsync(cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var agent = AgentId is { } id ? await db.ServiceAgents.SingleOrDefaultAsync(a => a.Id == id, cancellationToken) : null;
        if (agent is null)
        {
            ModelState.AddModelError(nameof(AgentId), "Choisissez une secrétaire parmi celles proposées.");
            return await ProposeAsync(commune, slots, StatusCodes.Status400BadRequest, cancellationToken);
        }

        var convention = await db.ServiceConventions.Include(c => c.Lines)
            .SingleOrDefaultAsync(c => c.CommuneId == commune.Id && c.Year == Day.Year, cancellationToken);
        ServiceRequest request;
        try
        {
            request = ServiceRequest.Create(commune, ServiceKind.Secretary, convention, slots, "Remplacement du secrétariat de mairie", "Mairie",
                Contact ?? "", true, actor, time.GetUtcNow(), time.Today(), market.Value.Window(time.Today()).Latest, options.Value.Contact,
                await ServiceDays.CalendarAsync(db, Day, Day, cancellationToken));
            request.AssignTo(agent, actor, time.GetUtcNow());
        }
        catch (RuleException e)
        {
            ModelState.AddModelError(nameof(AgentId), e.Message);
            return await ProposeAsync(commune, slots, StatusCodes.Status400BadRequest, cancellationToken);
        }

        db.ServiceRequests.Add(request);
        var told = ServiceNotices.Assigned(request, agent, time.GetUtcNow());
        db.ServiceNotices.AddRange(told);
        switch (await ServiceStore.TrySaveAsync(db, cancellationToken))
        {
            case ServiceSaveOutcome.Saved:
                notices.Enqueue(told);
                TempData["Message"] = $"{agent.Name} viendra {ServiceNotices.When(request)} : elle et votre mairie sont prévenues par courriel.";
                return Redirect($"/services/demandes/{request.Id}");
            case ServiceSaveOutcome.CommuneTaken:
                ModelState.AddModelError(nameof(AgentId), "Votre commune a déjà une demande de secrétariat sur ce créneau : rien n'a été enregistré.");
                return await ProposeAsync(commune, slots, StatusCodes.Status409Conflict, cancellationToken);
            case ServiceSaveOutcome.DayClosed:
                ModelState.AddModelError(nameof(AgentId), "Le service vient de fermer ce jour-là : rien n'a été enregistré. Appelez le service pour une solution.");
                return await ProposeAsync(commune, slots, StatusCodes.Status409Conflict, cancellationToken);
            case ServiceSaveOutcome.AgentChanged when !await db.ServiceAgents.AnyAsync(a => a.Id == agent.Id && a.IsActive, cancellationToken):
                ModelState.AddModelError(nameof(AgentId), $"{agent.Name} vient d'être retirée de l'activité : rien n'a été enregistré. Voici les secrétaires disponibles.");
                return await ProposeAsync(commune, slots, StatusCodes.Status409Conflict, cancellationToken);
            default:
                ModelState.AddModelError(nameof(AgentId), $"{agent.Name} vient d'être réservée par une autre commune pour ce créneau. Voici les secrétaires encore disponibles.");
                return await ProposeAsync(commune, slots, StatusCodes.Status409Conflict, cancellationToken);
        }
    }

    private async Task<IActionResult> ProposeAsync(Commune commune, List<ServiceSlot> slots, int status, CancellationToken cancellationToken)
    {
        Response.StatusCode = status;
        db.ChangeTracker.Clear();
        Proposals = await NearestAgents.FindAsync(db, commune.Id, ServiceKind.Secretary, Span(slots), 5, cancellationToken);
        return Page();
    }

    private async Task<bool> CoveredAsync(Commune commune, CancellationToken cancellationToken)
    {
        var covered = await db.ServiceConventions.AnyAsync(
            c => c.CommuneId == commune.Id && c.Year == Day.Year && c.StartsOn <= Day && c.EndsOn >= Day
                && c.Lines.Any(l => l.Service == ServiceKind.Secretary), cancellationToken);
        if (!covered)
        {
            ModelState.AddModelError("jour",
                $"{commune.Name} n'a pas de convention pour le service « {ServiceWords.Name(ServiceKind.Secretary)} » le {Day:dd/MM/yyyy} : "
                + $"pour en bénéficier, contactez {options.Value.Contact}.");
        }

        return covered;
    }

    /// <summary>The day and part asked for, as slots; adds the French errors when they do not hold.</summary>
    private bool TryRead(out List<ServiceSlot> slots)
    {
        slots = [];
        if (!DateParameters.TryDay(Jour, time.Today(), out var day, out var error))
        {
            ModelState.AddModelError("jour", error);
            return false;
        }

        Day = day;
        (TimeOnly, TimeOnly)[] parts = Creneau switch
        {
            "journee" or null => [ServiceDays.HalfDay(true), ServiceDays.HalfDay(false)],
            "matin" => [ServiceDays.HalfDay(true)],
            "apres-midi" => [ServiceDays.HalfDay(false)],
            _ => [],
        };
        if (parts.Length == 0)
        {
            ModelState.AddModelError("creneau", "Choisissez la journée, le matin ou l'après-midi.");
            return false;
        }

        Creneau ??= "journee";
        slots = [.. parts.Select(p => new ServiceSlot(day, p.Item1, p.Item2))];
        return true;
    }

    /// <summary>One search over the whole span: an agent free for it is free for each part.</summary>
    private static ServiceSlot Span(List<ServiceSlot> slots) => new(slots[0].Day, slots[0].Start, slots[^1].End);

    /// <summary>Whether the services work on the day asked for; the French reason when they do not.</summary>
    private async Task<bool> WorkedAsync(CancellationToken cancellationToken)
    {
        var calendar = await ServiceDays.CalendarAsync(db, Day, Day, cancellationToken);
        if (calendar.WhyNotWorking(Day) is not { } why)
        {
            return true;
        }

        ModelState.AddModelError("jour", Day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday
            ? $"Les services de la communauté ne travaillent pas le {why} : choisissez un jour de semaine."
            : $"Le {Day:dd/MM/yyyy}, les services de la communauté ne travaillent pas : {why}. Choisissez un autre jour.");
        return false;
    }

    private async Task<DateOnly> NextWorkingDayAsync(DateOnly today, CancellationToken cancellationToken)
    {
        // Closures come in runs of a few days (a « pont », the week between Christmas and New Year): a month is plenty.
        var calendar = await ServiceDays.CalendarAsync(db, today.AddDays(1), today.AddDays(31), cancellationToken);
        var day = today.AddDays(1);
        while (!calendar.IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    private async Task<Commune> CommuneAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var commune = await db.Communes.SingleAsync(c => c.Id == actor.CommuneId, cancellationToken);
        CommuneName = commune.Name;
        return commune;
    }
}
