using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Services;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Services;

/// <summary>
/// One agent, for staff and admins: their name, address, home base, working days, coordination
/// and whether they are still in activity, and their absences to come, each lifted here. The form
/// carries the version it was read at (ADR 14): a change made meanwhile wins, and this one is told.
/// </summary>
public sealed class AgentModel(ValDromeDb db, TimeProvider time) : PageModel
{
    public sealed record AbsenceRow(int Id, DateOnly Day, string Reason);

    /// <summary>A request the agent is assigned to, with its slots to come.</summary>
    public sealed record AssignedRow(int RequestId, string Commune, DateOnly First, int Slots);

    public sealed class EditForm
    {
        public string? Name { get; set; }

        public string? Email { get; set; }

        public string? Home { get; set; }

        public List<int> Days { get; set; } = [];

        public bool Coordinator { get; set; }

        public bool Active { get; set; }
    }

    [BindProperty]
    public EditForm Form { get; set; } = new();

    /// <summary>The agent's version when the form was read (xmin).</summary>
    [BindProperty]
    public uint? Seen { get; set; }

    /// <summary>The absence to lift.</summary>
    [BindProperty]
    public int? AbsenceId { get; set; }

    public int Id { get; private set; }

    public string AgentName { get; private set; } = "";

    public ServiceKind Service { get; private set; }

    public string? Account { get; private set; }

    public IReadOnlyList<AbsenceRow> Absences { get; private set; } = [];

    /// <summary>The requests the agent is assigned to that have a slot to come (today included).</summary>
    public IReadOnlyList<AssignedRow> Assigned { get; private set; } = [];

    public IReadOnlyList<(string Insee, string Name)> Communes { get; private set; } = [];

    public ConflictNotice? Conflict { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (!ServiceRights.Keeps(User.ToActor()))
        {
            return Forbid();
        }

        var agent = await db.ServiceAgents.Include(a => a.HomeCommune).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (agent is null)
        {
            return NotFound();
        }

        Fill(agent);
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if (!ServiceRights.Keeps(User.ToActor()))
        {
            return Forbid();
        }

        var agent = await db.ServiceAgents.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (agent is null)
        {
            return NotFound();
        }

        if (Seen is null)
        {
            ModelState.AddModelError(nameof(Seen), "Le formulaire est incomplet : rechargez la page de l'agent et recommencez.");
            return await RefusedAsync(id, StatusCodes.Status400BadRequest, cancellationToken, reload: true);
        }

        if (db.Entry(agent).Property<uint>(RowVersion.Property).CurrentValue != Seen)
        {
            return await ConflictedAsync(id, agent.Name, cancellationToken);
        }

        var home = await db.Communes.SingleOrDefaultAsync(c => c.Insee == Form.Home, cancellationToken);
        if (home is null)
        {
            ModelState.AddModelError("Form.Home", "Choisissez la commune où l'agent est basé(e) dans la liste.");
        }

        if (Form.Email is { Length: > 256 })
        {
            ModelState.AddModelError("Form.Email", "L'adresse est limitée à 256 caractères.");
        }

        if (!ModelState.IsValid || home is null)
        {
            return await RefusedAsync(id, StatusCodes.Status400BadRequest, cancellationToken);
        }

        var days = Form.Days.Where(d => d is >= 0 and <= 6).Distinct().Sum(d => ServiceDays.Bit((DayOfWeek)d));
        var name = agent.Name;
        try
        {
            agent.Update(Form.Name ?? "", home, days, Form.Email, Form.Coordinator);
        }
        catch (RuleException e)
        {
            ModelState.AddModelError("Form." + (e.Field ?? "Name"), e.Message);
            return await RefusedAsync(id, StatusCodes.Status400BadRequest, cancellationToken);
        }

        // What the agent is already booked for stays true: no stepping down, and no day taken off, under a slot to come.
        var today = time.Today();
        var upcoming = await db.AgentBookings
            .Where(b => b.AgentId == id && b.IsActive && b.RequestId != null && b.Day >= today)
            .Select(b => b.Day).Distinct().OrderBy(d => d).ToListAsync(cancellationToken);
        if (!Form.Active && upcoming.Count > 0)
        {
            // Refused, not done for staff: each commune was told who comes, and only a person choosing the next agent keeps that true.
            var assigned = await AssignedAsync(id, today, cancellationToken);
            var listed = string.Join(" ; ", assigned.Take(MaxListed).Select(a =>
                $"{a.Commune}, {(a.Slots == 1 ? "le " : "à partir du ")}{Long(a.First)}{(a.Slots == 1 ? "" : $" ({FrenchCount.Of(a.Slots, "créneau", "créneaux")})")} (demande n°\u00a0{a.RequestId})"));
            var more = assigned.Count > MaxListed ? $" ; et {FrenchCount.Of(assigned.Count - MaxListed, "autre demande", "autres demandes")}" : "";
            ModelState.AddModelError("Form.Active",
                $"{name} est encore désigné(e) pour {FrenchCount.Of(upcoming.Count, "jour à venir", "jours à venir")} sur {FrenchCount.Of(assigned.Count, "demande")} : {listed}{more}. "
                + "Désignez d'abord un autre agent sur chacune (liste ci-dessous), puis retirez-le(la) de l'activité. Rien n'a été enregistré.");
            return await RefusedAsync(id, StatusCodes.Status409Conflict, cancellationToken);
        }

        if (upcoming.Where(d => !agent.WorksOn(d)).Select(d => (DateOnly?)d).FirstOrDefault() is { } off)
        {
            ModelState.AddModelError("Form.Days",
                $"{name} est désigné(e) le {Long(off)}, un jour de la semaine que vous retirez de ses jours de travail : désignez d'abord un autre agent ce jour-là. Rien n'a été enregistré.");
            return await RefusedAsync(id, StatusCodes.Status409Conflict, cancellationToken);
        }

        agent.SetActive(Form.Active);
        if (!await RowVersion.TrySaveAsync(db, cancellationToken))
        {
            return await ConflictedAsync(id, name, cancellationToken);
        }

        TempData["Message"] = Form.Active ? $"Agent « {agent.Name} » enregistré." : $"Agent « {agent.Name} » enregistré : plus en activité, il n'est plus proposé ni désigné sur les demandes.";
        return Redirect("/services/agents");
    }

    /// <summary>Lifts an absence to come: the agent may be booked that day again.</summary>
    public async Task<IActionResult> OnPostLiftAsync(int id, CancellationToken cancellationToken)
    {
        if (!ServiceRights.Keeps(User.ToActor()))
        {
            return Forbid();
        }

        var agent = await db.ServiceAgents.AsNoTracking().Where(a => a.Id == id).Select(a => new { a.Name }).SingleOrDefaultAsync(cancellationToken);
        if (agent is null)
        {
            return NotFound();
        }

        if (AbsenceId is not { } absenceId)
        {
            ModelState.AddModelError(nameof(AbsenceId), "Choisissez l'absence à lever.");
            return await RefusedAsync(id, StatusCodes.Status400BadRequest, cancellationToken, reload: true);
        }

        var today = time.Today();
        var absences = db.AgentBookings.Where(b => b.Id == absenceId && b.AgentId == id && b.RequestId == null && b.IsActive && b.Day >= today);
        var day = await absences.Select(b => (DateOnly?)b.Day).SingleOrDefaultAsync(cancellationToken);
        // Lifted in one statement that checks it is still there: of two people lifting it at once, one lifts it, the other is told.
        if (day is null || await absences.ExecuteUpdateAsync(s => s.SetProperty(b => b.IsActive, false), cancellationToken) == 0)
        {
            Conflict = new ConflictNotice($"Cette absence de {agent.Name} n'est plus à venir : elle vient d'être levée, ou elle est passée. Voici ses absences à venir.",
                $"/services/agents/{id}", "Revoir l'agent");
            return await RefusedAsync(id, StatusCodes.Status409Conflict, cancellationToken, reload: true);
        }

        TempData["Message"] = $"Absence de {agent.Name} le {Long(day.Value)} levée : de nouveau disponible ce jour-là.";
        return Redirect($"/services/agents/{id}");
    }

    private static string Long(DateOnly day) => day.ToString("dddd d MMMM yyyy", FrenchCulture.Instance);

    /// <summary>How many requests a refusal names; the page lists them all.</summary>
    private const int MaxListed = 5;

    private Task<List<AssignedRow>> AssignedAsync(int id, DateOnly today, CancellationToken cancellationToken) =>
        db.AgentBookings.AsNoTracking()
            .Where(b => b.AgentId == id && b.IsActive && b.RequestId != null && b.Day >= today)
            .GroupBy(b => new { RequestId = b.RequestId!.Value, b.Request!.Commune.Name })
            .OrderBy(g => g.Min(b => b.Day)).ThenBy(g => g.Key.RequestId)
            .Take(100)
            .Select(g => new AssignedRow(g.Key.RequestId, g.Key.Name, g.Min(b => b.Day), g.Count()))
            .ToListAsync(cancellationToken);

    private void Fill(ServiceAgent agent)
    {
        Seen = db.Entry(agent).Property<uint>(RowVersion.Property).CurrentValue;
        Form = new EditForm
        {
            Name = agent.Name,
            Email = agent.Email,
            Home = agent.HomeCommune.Insee,
            Days = [.. Enum.GetValues<DayOfWeek>().Where(d => (agent.WorkingDays & ServiceDays.Bit(d)) != 0).Select(d => (int)d)],
            Coordinator = agent.IsCoordinator,
            Active = agent.IsActive,
        };
    }

    private async Task<IActionResult> ConflictedAsync(int id, string name, CancellationToken cancellationToken)
    {
        Conflict = new ConflictNotice($"{name} vient d'être modifié(e) par quelqu'un d'autre : voici l'agent tel qu'il est maintenant. Vos changements n'ont pas été enregistrés.",
            $"/services/agents/{id}", "Revoir l'agent");
        return await RefusedAsync(id, StatusCodes.Status409Conflict, cancellationToken, reload: true);
    }

    /// <summary>The page again with the status: the form as it was typed, or (<paramref name="reload"/>) the agent as stored now.</summary>
    private async Task<IActionResult> RefusedAsync(int id, int status, CancellationToken cancellationToken, bool reload = false)
    {
        Response.StatusCode = status;
        db.ChangeTracker.Clear();
        if (reload)
        {
            Fill(await db.ServiceAgents.Include(a => a.HomeCommune).SingleAsync(a => a.Id == id, cancellationToken));
        }

        await LoadAsync(id, cancellationToken);
        return Page();
    }

    private async Task LoadAsync(int id, CancellationToken cancellationToken)
    {
        Id = id;
        var today = time.Today();
        var agent = await db.ServiceAgents.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new { a.Name, a.Service, Account = db.Users.Where(u => u.Id == a.UserId).Select(u => u.UserName).FirstOrDefault() })
            .SingleAsync(cancellationToken);
        (AgentName, Service, Account) = (agent.Name, agent.Service, agent.Account);
        Absences = await db.AgentBookings.AsNoTracking()
            .Where(b => b.AgentId == id && b.RequestId == null && b.IsActive && b.Day >= today)
            .OrderBy(b => b.Day).Take(60)
            .Select(b => new AbsenceRow(b.Id, b.Day, b.Reason ?? ""))
            .ToListAsync(cancellationToken);
        Assigned = await AssignedAsync(id, today, cancellationToken);
        Communes = [.. (await db.Communes.Where(c => c.IsCurrentMember || c.Insee == Form.Home).OrderBy(c => c.Name).Select(c => new { c.Insee, c.Name }).ToListAsync(cancellationToken))
            .Select(c => (c.Insee, c.Name))];
    }
}
