using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Services;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Services;

/// <summary>The services' agents, for staff and admins: add one, link their account, record an absence.</summary>
public sealed class AgentsModel(ValDromeDb db, TimeProvider time) : PageModel
{
    public sealed record AgentRow(int Id, ServiceKind Service, string Name, string Home, int WorkingDays, bool IsCoordinator, string? Account, bool IsActive, IReadOnlyList<DateOnly> Absences);

    public sealed class AgentForm
    {
        public string? Service { get; set; }

        public string? Name { get; set; }

        public string? Email { get; set; }

        public string? Home { get; set; }

        public List<int> Days { get; set; } = [];

        public bool Coordinator { get; set; }

        /// <summary>The user name of the agent's account, to link.</summary>
        public string? Account { get; set; }
    }

    public sealed class AbsenceForm
    {
        public int? Agent { get; set; }

        public DateOnly? Day { get; set; }

        public string? Reason { get; set; }
    }

    public static IReadOnlyList<(DayOfWeek Day, string Label)> Weekdays { get; } =
        [(DayOfWeek.Monday, "lun."), (DayOfWeek.Tuesday, "mar."), (DayOfWeek.Wednesday, "mer."), (DayOfWeek.Thursday, "jeu."), (DayOfWeek.Friday, "ven.")];

    [BindProperty]
    public AgentForm Form { get; set; } = new();

    [BindProperty]
    public AbsenceForm Absence { get; set; } = new();

    public IReadOnlyList<AgentRow> Rows { get; private set; } = [];

    public IReadOnlyList<(string Insee, string Name)> Communes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!ServiceRights.Keeps(User.ToActor()))
        {
            return Forbid();
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAgentAsync(CancellationToken cancellationToken)
    {
        if (!ServiceRights.Keeps(User.ToActor()))
        {
            return Forbid();
        }

        var service = ServiceWords.FromSlug(Form.Service);
        var home = await db.Communes.SingleOrDefaultAsync(c => c.Insee == Form.Home, cancellationToken);
        string? userId = null;
        if (!string.IsNullOrWhiteSpace(Form.Account))
        {
            userId = await db.Users.Where(u => u.UserName == Form.Account).Select(u => u.Id).SingleOrDefaultAsync(cancellationToken);
            if (userId is null || await db.ServiceAgents.AnyAsync(a => a.UserId == userId, cancellationToken))
            {
                ModelState.AddModelError("Form.Account", "Ce compte n'existe pas, ou il est déjà relié à un agent.");
            }
        }

        if (service is null || home is null)
        {
            ModelState.AddModelError("Form.Service", "Choisissez le service et la commune de rattachement.");
        }

        if (!ModelState.IsValid || service is null || home is null)
        {
            return await RefusedAsync(cancellationToken);
        }

        try
        {
            var days = Form.Days.Where(d => d is >= 0 and <= 6).Distinct().Sum(d => ServiceDays.Bit((DayOfWeek)d));
            var agent = new ServiceAgent(service.Value, Form.Name ?? "", home, days, Form.Email);
            agent.Update(agent.Name, home, days, Form.Email, Form.Coordinator);
            agent.LinkAccount(userId);
            db.ServiceAgents.Add(agent);
        }
        catch (RuleException e)
        {
            ModelState.AddModelError("Form." + (e.Field ?? "Name"), e.Message);
            return await RefusedAsync(cancellationToken);
        }

        if (Form.Email is { Length: > 256 })
        {
            ModelState.AddModelError("Form.Email", "L'adresse est limitée à 256 caractères.");
            return await RefusedAsync(cancellationToken);
        }

        if (!await RowVersion.TrySaveAsync(db, cancellationToken, "ix_service_agents_user_id"))
        {
            ModelState.AddModelError("Form.Account", "Ce compte vient d'être relié à un autre agent.");
            Response.StatusCode = StatusCodes.Status409Conflict;
            await LoadAsync(cancellationToken);
            return Page();
        }

        TempData["Message"] = $"Agent « {Form.Name?.Trim()} » ajouté.";
        return Redirect("/services/agents");
    }

    public async Task<IActionResult> OnPostAbsenceAsync(CancellationToken cancellationToken)
    {
        if (!ServiceRights.Keeps(User.ToActor()))
        {
            return Forbid();
        }

        var agent = Absence.Agent is { } id ? await db.ServiceAgents.SingleOrDefaultAsync(a => a.Id == id, cancellationToken) : null;
        if (agent is null || Absence.Day is not { } day)
        {
            ModelState.AddModelError("Absence.Agent", "Choisissez l'agent et le jour.");
            return await RefusedAsync(cancellationToken);
        }

        if (!DateParameters.InRange(day, time.Today(), out var error))
        {
            ModelState.AddModelError("Absence.Day", error);
            return await RefusedAsync(cancellationToken);
        }

        try
        {
            db.AgentBookings.Add(AgentBooking.Absence(agent.Id, day, Absence.Reason ?? ""));
        }
        catch (RuleException e)
        {
            ModelState.AddModelError("Absence.Reason", e.Message);
            return await RefusedAsync(cancellationToken);
        }

        if (await ServiceStore.TrySaveAsync(db, cancellationToken) != ServiceSaveOutcome.Saved)
        {
            ModelState.AddModelError("Absence.Day",
                $"{agent.Name} est déjà réservé(e) ou absent(e) le {day:dd/MM/yyyy} : désignez d'abord un autre agent pour ce jour-là ; rien n'a été enregistré.");
            Response.StatusCode = StatusCodes.Status409Conflict;
            await LoadAsync(cancellationToken);
            return Page();
        }

        TempData["Message"] = $"Absence de {agent.Name} le {day:dd/MM/yyyy} enregistrée.";
        return Redirect("/services/agents");
    }

    private async Task<IActionResult> RefusedAsync(CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var today = time.Today();
        var rows = await db.ServiceAgents.OrderBy(a => a.Service).ThenBy(a => a.Name)
            .Select(a => new
            {
                a.Id, a.Service, a.Name, Home = a.HomeCommune.Name, a.WorkingDays, a.IsCoordinator, a.IsActive,
                Account = db.Users.Where(u => u.Id == a.UserId).Select(u => u.UserName).FirstOrDefault(),
                Absences = db.AgentBookings.Where(b => b.AgentId == a.Id && b.RequestId == null && b.IsActive && b.Day >= today)
                    .OrderBy(b => b.Day).Select(b => b.Day).Take(10).ToList(),
            })
            .ToListAsync(cancellationToken);
        Rows = [.. rows.Select(r => new AgentRow(r.Id, r.Service, r.Name, r.Home, r.WorkingDays, r.IsCoordinator, r.Account, r.IsActive, r.Absences))];
        Communes = [.. (await db.Communes.Where(c => c.IsCurrentMember).OrderBy(c => c.Name).Select(c => new { c.Insee, c.Name }).ToListAsync(cancellationToken))
            .Select(c => (c.Insee, c.Name))];
    }
}
