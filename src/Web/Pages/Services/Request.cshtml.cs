using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Services;
using ValDrome.Jobs.Notices;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Services;

/// <summary>
/// A service request: who comes, when, the estimated cost. Staff, admins or the service's
/// coordinator assign an agent (every slot at once, or none); the commune cancels before it starts.
/// </summary>
public sealed class RequestModel(ValDromeDb db, TimeProvider time, ServiceNoticeDispatch notices) : PageModel
{
    public sealed record SlotRow(int Id, DateOnly Day, TimeOnly Starts, TimeOnly Ends, bool IsActive, decimal Amount, TimeEntry? Time, uint? TimeVersion);

    public sealed record AgentChoice(int Id, string Name, string Home);

    public ServiceRequest Current { get; private set; } = null!;

    public IReadOnlyList<SlotRow> SlotRows { get; private set; } = [];

    public IReadOnlyList<AgentChoice> Agents { get; private set; } = [];

    public bool MayAssign { get; private set; }

    public bool MayCancel { get; private set; }

    /// <summary>A slot is today or past: cancelling stops the slots to come only.</summary>
    public bool HasStarted { get; private set; }

    public ConflictNotice? Conflict { get; private set; }

    /// <summary>The request's row version when the page was read: a move on an older page is a conflict (ADR 14).</summary>
    [BindProperty]
    public uint? Seen { get; set; }

    [BindProperty]
    public int? AgentId { get; set; }

    public uint Version { get; private set; }

    /// <summary>The time entry answered (confirm, dispute, settle) and the version it was read at.</summary>
    [BindProperty]
    public int? BookingId { get; set; }

    [BindProperty]
    public uint? EntrySeen { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public TimeOnly? Started { get; set; }

    [BindProperty]
    public TimeOnly? Ended { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public decimal? TravelKm { get; set; }

    public bool IsOfCommune { get; private set; }

    public bool Keeps { get; private set; }

    /// <summary>The commune confirms the agent's time: it is billed as recorded.</summary>
    public Task<IActionResult> OnPostConfirmAsync(int id, CancellationToken cancellationToken) =>
        AnswerTimeAsync(id, () => IsOfCommune, (entry, actor, at) => entry.Confirm(actor, at), "Temps confirmé.", cancellationToken);

    /// <summary>The commune disputes it: staff are told and settle it.</summary>
    public Task<IActionResult> OnPostDisputeAsync(int id, CancellationToken cancellationToken) =>
        AnswerTimeAsync(id, () => IsOfCommune, (entry, actor, at) =>
        {
            entry.Dispute(Reason ?? "", actor, at);
            db.ServiceNotices.Add(ServiceNotices.Disputed(Current, entry, at));
        }, "Temps contesté : le service va trancher.", cancellationToken);

    /// <summary>Staff settle a dispute with the time they hold for right.</summary>
    public Task<IActionResult> OnPostSettleAsync(int id, CancellationToken cancellationToken) =>
        AnswerTimeAsync(id, () => Keeps, (entry, actor, at) =>
        {
            if (Started is not { } started || Ended is not { } ended)
            {
                throw new RuleException("Indiquez l'heure d'arrivée et l'heure de départ retenues.", nameof(Started));
            }

            entry.Settle(started, ended, Note, TravelKm ?? 0, actor, at);
        }, "Contestation tranchée.", cancellationToken);

    private async Task<IActionResult> AnswerTimeAsync(int id, Func<bool> allowed, Action<TimeEntry, Domain.Accounts.Actor, DateTimeOffset> answer, string done, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        if (!allowed())
        {
            return Forbid();
        }

        var entry = Current.Slots.FirstOrDefault(s => s.Id == BookingId)?.Time;
        if (entry is null)
        {
            ModelState.AddModelError(nameof(BookingId), "Ce créneau n'a pas de temps saisi.");
            return Refused(StatusCodes.Status400BadRequest);
        }

        if (db.Entry(entry).Property<uint>(RowVersion.Property).CurrentValue != EntrySeen)
        {
            return await ConflictedAsync("Ce temps vient d'être modifié par quelqu'un d'autre : le voici tel qu'il est maintenant. Votre réponse n'a pas été enregistrée.", cancellationToken);
        }

        try
        {
            answer(entry, User.ToActor(), time.GetUtcNow());
        }
        catch (RuleException e)
        {
            if (e.IsConflict)
            {
                return await ConflictedAsync(e.Message, cancellationToken);
            }

            ModelState.AddModelError(e.Field ?? nameof(Reason), e.Message);
            return Refused(StatusCodes.Status400BadRequest);
        }

        var told = db.ChangeTracker.Entries<ServiceNotice>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (!await RowVersion.TrySaveAsync(db, cancellationToken))
        {
            return await ConflictedAsync("Ce temps vient d'être modifié par quelqu'un d'autre : le voici tel qu'il est maintenant. Votre réponse n'a pas été enregistrée.", cancellationToken);
        }

        notices.Enqueue(told);
        TempData["Message"] = done;
        return Redirect($"/services/demandes/{id}");
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) is { } refusal ? refusal : Page();

    public async Task<IActionResult> OnPostAssignAsync(int id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        if (!MayAssign)
        {
            return Forbid();
        }

        if (Seen != Version)
        {
            return await ConflictedAsync("Cette demande vient d'être modifiée par quelqu'un d'autre : la voici telle qu'elle est maintenant. Votre choix n'a pas été enregistré.", cancellationToken);
        }

        var agent = AgentId is { } agentId ? await db.ServiceAgents.SingleOrDefaultAsync(a => a.Id == agentId, cancellationToken) : null;
        if (agent is null)
        {
            ModelState.AddModelError(nameof(AgentId), "Choisissez un agent de la liste.");
            return Refused(StatusCodes.Status400BadRequest);
        }

        var slots = Current.Slots.Where(s => s.IsActive).Select(s => new ServiceSlot(s.Day, s.Starts, s.Ends)).ToList();
        try
        {
            Current.AssignTo(agent, User.ToActor(), time.GetUtcNow());
        }
        catch (RuleException e) when (!e.IsConflict)
        {
            ModelState.AddModelError(nameof(AgentId), e.Message);
            return Refused(StatusCodes.Status400BadRequest);
        }

        if (await ServiceStore.FirstAgentOverlapAsync(db, agent.Id, Current.Id, slots, cancellationToken) is { } busy)
        {
            return Busy(agent.Name, busy);
        }

        var told = ServiceNotices.Assigned(Current, agent, time.GetUtcNow());
        db.ServiceNotices.AddRange(told);
        switch (await ServiceStore.TrySaveAsync(db, cancellationToken))
        {
            case ServiceSaveOutcome.Saved:
                notices.Enqueue(told);
                TempData["Message"] = $"{agent.Name} est désigné(e) : la commune et l'agent sont prévenus.";
                return Redirect($"/services/demandes/{id}");
            case ServiceSaveOutcome.AgentTaken:
                // Another assignment took the agent between the check and the save.
                return Busy(agent.Name, await ServiceStore.FirstAgentOverlapAsync(db, agent.Id, id, slots, cancellationToken) ?? slots[0].Day);
            case ServiceSaveOutcome.AgentChanged:
                // The agent was changed between the check and the save: say how, as they are now.
                return await AgentChangedAsync(agent.Id, agent.Name, slots, cancellationToken);
            default:
                return await ConflictedAsync("Cette demande vient d'être modifiée par quelqu'un d'autre : la voici telle qu'elle est maintenant. Votre choix n'a pas été enregistré.", cancellationToken);
        }
    }

    public async Task<IActionResult> OnPostCancelAsync(int id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        if (!MayCancel)
        {
            return Forbid();
        }

        if (Seen != Version)
        {
            return await ConflictedAsync("Cette demande vient d'être modifiée : la voici telle qu'elle est maintenant. Elle n'a pas été annulée.", cancellationToken);
        }

        IReadOnlyList<AgentBooking> freed;
        var started = Current.HasStarted(time.Today());
        try
        {
            freed = Current.Cancel(time.Today());
        }
        catch (RuleException e)
        {
            if (e.IsConflict)
            {
                return await ConflictedAsync(e.Message, cancellationToken);
            }

            ModelState.AddModelError("", e.Message);
            return Refused(StatusCodes.Status400BadRequest);
        }

        // A works-site visit planned on the technician's tour leaves it with the request (ADR 27).
        if (Current.Service == ServiceKind.WorksSite)
        {
            await Domain.Transport.Visits.WithdrawAsync(db, [.. freed.Select(s => s.Id)], cancellationToken);
        }

        // The agent assigned would otherwise come: told in the same save.
        var told = ServiceNotices.Cancelled(Current, freed, time.GetUtcNow());
        db.ServiceNotices.AddRange(told);
        if (await ServiceStore.TrySaveAsync(db, cancellationToken) != ServiceSaveOutcome.Saved)
        {
            return await ConflictedAsync("Cette demande vient d'être modifiée : la voici telle qu'elle est maintenant. Elle n'a pas été annulée.", cancellationToken);
        }

        notices.Enqueue(told);
        TempData["Message"] = started
            ? $"{FrenchCount.Of(freed.Count, "créneau à venir annulé", "créneaux à venir annulés")} ; les créneaux passés restent dus."
            : "Demande annulée.";
        return Redirect($"/services/demandes/{id}");
    }

    private async Task<IActionResult?> LoadAsync(int id, CancellationToken cancellationToken)
    {
        var request = await ServiceStore.LoadForChangeAsync(db, id, cancellationToken);
        if (request is null)
        {
            return NotFound();
        }

        var actor = User.ToActor();
        var linked = await ServiceRights.LinkedAgentAsync(db, actor, cancellationToken);
        if (!ServiceRights.MaySee(actor, linked, request.CommuneId, request.Service, request.AgentId))
        {
            return Forbid();
        }

        Current = request;
        Version = db.Entry(request).Property<uint>(RowVersion.Property).CurrentValue;
        var today = time.Today();
        var open = request.Status != ServiceRequestStatus.Cancelled && request.Slots.Any(s => s.IsActive && s.Day > today);
        MayAssign = open && ServiceRequest.MayAssign(actor, linked, request.Service);
        MayCancel = open && request.IsOfCommune(actor);
        HasStarted = request.HasStarted(today);
        SlotRows = [.. request.Slots.OrderBy(s => s.Day).ThenBy(s => s.Starts)
            .Select(s => new SlotRow(s.Id, s.Day, s.Starts, s.Ends, s.IsActive, request.Terms.Amount(s.Starts, s.Ends), s.Time,
                s.Time is null ? null : db.Entry(s.Time).Property<uint>(RowVersion.Property).CurrentValue))];
        IsOfCommune = request.IsOfCommune(actor);
        Keeps = ServiceRights.Keeps(actor);
        if (MayAssign)
        {
            Agents = await db.ServiceAgents.Where(a => a.Service == request.Service && a.IsActive).OrderBy(a => a.Name)
                .Select(a => new AgentChoice(a.Id, a.Name, a.HomeCommune.Name)).ToListAsync(cancellationToken);
        }

        return null;
    }

    private async Task<IActionResult> AgentChangedAsync(int agentId, string name, List<ServiceSlot> slots, CancellationToken cancellationToken)
    {
        if (await ServiceStore.FirstAgentOverlapAsync(db, agentId, Current.Id, slots, cancellationToken) is { } busy)
        {
            return await ConflictedAsync(BusyText(name, busy), cancellationToken);
        }

        var active = await db.ServiceAgents.Where(a => a.Id == agentId).Select(a => a.IsActive).SingleAsync(cancellationToken);
        return await ConflictedAsync(active
            ? $"{name} vient d'être modifié(e) par quelqu'un d'autre : aucun créneau de cette demande ne lui a été attribué. Choisissez de nouveau."
            : $"{name} vient d'être retiré(e) de l'activité : aucun créneau de cette demande ne lui a été attribué. Choisissez un autre agent.",
            cancellationToken);
    }

    private static string BusyText(string agent, DateOnly day) =>
        $"{agent} est déjà occupé(e) ou absent(e) le {day.ToString("dddd d MMMM yyyy", FrenchCulture.Instance)} : "
        + "aucun créneau de cette demande ne lui a été attribué. Choisissez un autre agent.";

    private PageResult Busy(string agent, DateOnly day)
    {
        ModelState.AddModelError(nameof(AgentId), BusyText(agent, day));
        return Refused(StatusCodes.Status409Conflict);
    }

    private async Task<IActionResult> ConflictedAsync(string message, CancellationToken cancellationToken)
    {
        var id = Current.Id;
        // Shown as it is now: the loser reads the other move's outcome.
        db.ChangeTracker.Clear();
        ModelState.Clear();
        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        Conflict = new ConflictNotice(message, $"/services/demandes/{id}", "Revoir la demande");
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private PageResult Refused(int status)
    {
        Response.StatusCode = status;
        return Page();
    }
}
