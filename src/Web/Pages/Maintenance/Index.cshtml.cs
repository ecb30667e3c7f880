using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Maintenance;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Maintenance;

/// <summary>The workshop: open maintenance tasks to close, and every unit's plans.</summary>
public sealed class IndexModel(ValDromeDb db, TimeProvider time) : PageModel
{
    public sealed record TaskRow(int Id, string Unit, int UnitId, bool HasHourMeter, string Plan, DateOnly DueOn, DateOnly From, DateOnly To, int? OwnerId = null);

    public sealed record PlanRow(int Id, string Unit, int UnitId, MaintenanceKind Kind, string Label, int Interval, int DurationDays, DateOnly LastDoneOn, DateOnly? NextDueOn, decimal? LastDoneMeter, decimal? Meter);

    public sealed record Choice(int Id, string Label);

    public sealed class PlanForm
    {
        [Display(Name = "matériel")]
        public int UnitId { get; set; }

        [Display(Name = "type")]
        public MaintenanceKind Kind { get; set; }

        [Required(ErrorMessage = "Donnez un intitulé (par exemple « Vidange » ou « VGP semestrielle »).")]
        [StringLength(200)]
        [Display(Name = "intitulé")]
        public string Label { get; set; } = "";

        [Range(1, 100_000, ErrorMessage = "L'intervalle doit être un nombre entier positif.")]
        [Display(Name = "intervalle")]
        public int Interval { get; set; }

        [Range(1, 60, ErrorMessage = "La durée d'immobilisation va de 1 à 60 jours.")]
        [Display(Name = "durée")]
        public int DurationDays { get; set; } = 1;

        [Display(Name = "dernière fois")]
        public DateOnly? LastDoneOn { get; set; }
    }

    public IReadOnlyList<TaskRow> Tasks { get; private set; } = [];

    public IReadOnlyList<PlanRow> Plans { get; private set; } = [];

    public IReadOnlyList<Choice> Units { get; private set; } = [];

    public DateOnly Today => time.Today();

    /// <summary>Set when someone else closed the task first (409).</summary>
    public ConflictNotice? Conflict { get; private set; }

    [BindProperty]
    public PlanForm Plan { get; set; } = new();

    [BindProperty]
    public DateOnly? Day { get; set; }

    [BindProperty]
    public string? Notes { get; set; }

    [BindProperty]
    public string? Cost { get; set; }

    [BindProperty]
    public string? Meter { get; set; }

    /// <summary>The actor answers for the upkeep of at least one unit (ADR 13).</summary>
    public bool MayPlan => Units.Count > 0;

    public bool MayClose(TaskRow task) => Upkeep.MayClose(User.ToActor(), task?.OwnerId);

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCloseAsync(int id, CancellationToken cancellationToken)
    {
        var task = await db.MaintenanceTasks.Include(t => t.Plan).Include(t => t.Booking)
            .SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (task is null)
        {
            return NotFound();
        }

        var unit = await db.EquipmentUnits.SingleAsync(u => u.Id == task.UnitId, cancellationToken);
        if (!Upkeep.MayClose(User.ToActor(), unit.OwnerCommuneId))
        {
            return Upkeep.MaySee(User.ToActor(), unit.OwnerCommuneId) ? Forbid() : NotFound();
        }

        try
        {
            if (ModelState.TryGetValue(nameof(Day), out var entry) && entry.Errors.Count > 0)
            {
                // Never today in place of a day that could not be read.
                var typed = entry.AttemptedValue;
                ModelState.Remove(nameof(Day));
                throw new RuleException($"« {typed} » n'est pas une date valable.", nameof(Day));
            }

            task.Close(unit, Day ?? time.Today(), Notes, FormNumbers.Parse(Cost, "coût", "Cost"), FormNumbers.Parse(Meter, "relevé de compteur", "Meter"), User.ToActor().Name, time.GetUtcNow());
        }
        catch (RuleException e) when (e.IsConflict)
        {
            return await ConflictAsync(id, cancellationToken);
        }
        catch (RuleException e)
        {
            db.ChangeTracker.Clear();
            ModelState.AddModelError(e.Field ?? "", e.Message);
            await LoadAsync(cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // The task is versioned: of two people closing it at once, the second writes nothing.
        if (!await RowVersion.TrySaveAsync(db, cancellationToken))
        {
            return await ConflictAsync(id, cancellationToken);
        }

        TempData["Message"] = $"Intervention sur « {unit.Name} » close : le matériel est de nouveau disponible.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostPlanAsync(CancellationToken cancellationToken)
    {
        var unit = await db.EquipmentUnits.SingleOrDefaultAsync(u => u.Id == Plan.UnitId, cancellationToken);
        if (unit is not null && !Upkeep.MayPlan(User.ToActor(), unit.OwnerCommuneId))
        {
            return Forbid();
        }

        if (unit is null)
        {
            ModelState.AddModelError("Plan.UnitId", "Ce matériel n'existe pas.");
        }
        else if (Plan.Kind == MaintenanceKind.EveryHours && !unit.HasHourMeter)
        {
            ModelState.AddModelError("Plan.Kind", "Ce matériel n'a pas de compteur horaire : choisissez un autre type d'entretien.");
        }

        if (!Enum.IsDefined(Plan.Kind))
        {
            ModelState.AddModelError("Plan.Kind", "Type d'entretien inconnu.");
        }

        try
        {
            MaintenancePlan.CheckDoneOn(Plan.LastDoneOn ?? time.Today(), time.Today(), "Plan.LastDoneOn");
        }
        catch (RuleException e)
        {
            ModelState.AddModelError(e.Field!, e.Message);
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        db.MaintenancePlans.Add(new MaintenancePlan(unit!, Plan.Kind, Plan.Label.Trim(), Plan.Interval, Plan.DurationDays,
            Plan.LastDoneOn ?? time.Today(), time.Today(), unit!.MeterReading));
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = $"Plan « {Plan.Label.Trim()} » ajouté pour « {unit.Name} ».";
        return RedirectToPage();
    }

    private async Task<IActionResult> ConflictAsync(int id, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var closed = await db.MaintenanceTasks.Where(t => t.Id == id).Select(t => new { t.ClosedBy, t.ClosedAt, t.ClosedOn }).SingleAsync(cancellationToken);
        var message = (closed.ClosedAt, closed.ClosedOn) switch
        {
            ({ } at, _) => $"Cette intervention vient d'être close par {closed.ClosedBy} à {at.Clock()}.",
            (null, { } on) => $"Cette intervention a déjà été close par {closed.ClosedBy} (le {on:dd/MM/yyyy}).",
            _ => "Cette intervention vient d'être modifiée par quelqu'un d'autre : voici son état actuel.",
        };
        Conflict = new ConflictNotice(message, "/maintenance", "Revenir aux interventions");
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        // An agent sees its commune's units; the community's people see every unit.
        var actor = User.ToActor();
        int? onlyCommune = actor.IsAdmin || actor.IsStaff || actor.IsTechnician ? null : actor.CommuneId ?? -1;
        var units = db.EquipmentUnits.Where(u => onlyCommune == null || u.OwnerCommuneId == onlyCommune);
        Tasks = await db.MaintenanceTasks.Where(t => t.ClosedOn == null)
            .OrderBy(t => t.PlannedFrom)
            .Join(units, t => t.UnitId, u => u.Id, (t, u) => new TaskRow(t.Id, u.Name, u.Id, u.HasHourMeter, t.Plan.Label, t.DueOn, t.PlannedFrom, t.PlannedTo, u.OwnerCommuneId))
            .ToListAsync(cancellationToken);
        Plans = await db.MaintenancePlans.Where(p => onlyCommune == null || p.Unit.OwnerCommuneId == onlyCommune)
            .OrderBy(p => p.Unit.Name).ThenBy(p => p.Label)
            .Select(p => new PlanRow(p.Id, p.Unit.Name, p.UnitId, p.Kind, p.Label, p.Interval, p.DurationDays, p.LastDoneOn, p.NextDueOn, p.LastDoneMeter, p.Unit.MeterReading))
            .ToListAsync(cancellationToken);
        // The plan form offers only the units the actor answers for (ADR 13).
        var community = actor.IsStaff || actor.IsTechnician;
        Units = await db.EquipmentUnits
            .Where(u => actor.IsAdmin || (u.OwnerCommuneId == null ? community : actor.IsAgent && u.OwnerCommuneId == actor.CommuneId))
            .OrderBy(u => u.Name).Select(u => new Choice(u.Id, u.Name + " (" + u.InventoryCode + ")")).ToListAsync(cancellationToken);
    }

    public static string KindLabel(MaintenanceKind kind, int interval) => kind switch
    {
        // « tous les 1 jours » is not French: every one is « chaque ».
        MaintenanceKind.EveryDays => interval == 1 ? "chaque jour" : $"tous les {interval} jours",
        MaintenanceKind.EveryHours => interval == 1 ? "chaque heure de moteur" : $"toutes les {interval} heures de moteur",
        MaintenanceKind.EveryLoans => interval == 1 ? "après chaque prêt" : $"après {interval} prêts",
        MaintenanceKind.Inspection => interval == 1 ? "vérification réglementaire, chaque jour" : $"vérification réglementaire, tous les {interval} jours",
        _ => kind.ToString(),
    };
}
