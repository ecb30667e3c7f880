using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Calendar;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Transport;

/// <summary>
/// The calendar of working days (ADR 18): public holidays (computed), the community's closure
/// days and the technician's absences, which staff set and the technician reads. No tour is
/// planned on a day off. In this folder for the workshop's policy; staff and admins write.
/// </summary>
public sealed class CalendarModel(ValDromeDb db, TimeProvider time) : PageModel
{
    public sealed record Closure(int Id, DateOnly Day, string Reason, string By);

    public sealed record Absence(int Id, DateOnly FirstDay, DateOnly LastDay, string Reason, string By);

    public IReadOnlyList<Closure> Closures { get; private set; } = [];

    public IReadOnlyList<Absence> Absences { get; private set; } = [];

    public IReadOnlyList<(DateOnly Day, string Name)> Holidays { get; private set; } = [];

    public ConflictNotice? Conflict { get; private set; }

    public DateOnly Today => time.Today();

    public DateOnly Horizon => Today.AddDays(WorkingCalendar.HorizonDays);

    /// <summary>Staff and admins set the calendar; the technician reads it.</summary>
    public bool MayEdit => User.ToActor() is var actor && (actor.IsStaff || actor.IsAdmin);

    [BindProperty]
    public string? Day { get; set; }

    [BindProperty]
    public string? FirstDay { get; set; }

    [BindProperty]
    public string? LastDay { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostClosureAsync(CancellationToken cancellationToken)
    {
        if (!MayEdit)
        {
            return Forbid();
        }

        ClosureDay closure;
        try
        {
            var day = ParseDay(Day, "Day", "le jour fermé");
            if (WorkingCalendar.Statutory.WhyNotWorking(day) is { } already)
            {
                throw new RuleException($"Le {Spelled(day)} n'est déjà pas travaillé ({already}).", "Day");
            }

            if (await db.ClosureDays.AnyAsync(c => c.Day == day, cancellationToken))
            {
                throw new RuleException($"Le {Spelled(day)} est déjà un jour de fermeture.", "Day");
            }

            closure = new ClosureDay(day, Reason ?? "", User.ToActor().Name, time.GetUtcNow());
        }
        catch (RuleException e)
        {
            return await RefusedAsync(e, cancellationToken);
        }

        db.ClosureDays.Add(closure);
        // Two people closing the same day at once: the unique day keeps one, the second is told.
        if (!await RowVersion.TrySaveAsync(db, cancellationToken, ClosureDay.UniqueDay))
        {
            return await ConflictAsync($"Le {Spelled(closure.Day)} vient d'être fermé par quelqu'un d'autre.", cancellationToken);
        }

        TempData["Message"] = $"Fermeture du {Spelled(closure.Day)} enregistrée : aucune tournée ce jour-là.{await PlannedAsync(closure.Day, closure.Day, cancellationToken)}";
        return Redirect("/admin/calendrier");
    }

    public async Task<IActionResult> OnPostAbsenceAsync(CancellationToken cancellationToken)
    {
        if (!MayEdit)
        {
            return Forbid();
        }

        TechnicianAbsence absence;
        try
        {
            var first = ParseDay(FirstDay, "FirstDay", "le premier jour d'absence");
            var last = ParseDay(LastDay, "LastDay", "le dernier jour d'absence");
            absence = new TechnicianAbsence(first, last, Reason ?? "", User.ToActor().Name, time.GetUtcNow());
        }
        catch (RuleException e)
        {
            return await RefusedAsync(e, cancellationToken);
        }

        db.TechnicianAbsences.Add(absence);
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = $"Absence du technicien du {Spelled(absence.FirstDay)} au {Spelled(absence.LastDay)} enregistrée.{await PlannedAsync(absence.FirstDay, absence.LastDay, cancellationToken)}";
        return Redirect("/admin/calendrier");
    }

    public async Task<IActionResult> OnPostRemoveClosureAsync(int id, CancellationToken cancellationToken)
    {
        if (!MayEdit)
        {
            return Forbid();
        }

        // A single DELETE: of two people removing the same day, the second deletes nothing and is told.
        var removed = await db.ClosureDays.Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            return await ConflictAsync("Cette fermeture n'existe plus : quelqu'un d'autre vient de la retirer.", cancellationToken);
        }

        TempData["Message"] = "Fermeture retirée : ce jour redevient travaillé.";
        return Redirect("/admin/calendrier");
    }

    public async Task<IActionResult> OnPostRemoveAbsenceAsync(int id, CancellationToken cancellationToken)
    {
        if (!MayEdit)
        {
            return Forbid();
        }

        var removed = await db.TechnicianAbsences.Where(a => a.Id == id).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            return await ConflictAsync("Cette absence n'existe plus : quelqu'un d'autre vient de la retirer.", cancellationToken);
        }

        TempData["Message"] = "Absence retirée : le technicien travaille ces jours-là.";
        return Redirect("/admin/calendrier");
    }

    public static string Spelled(DateOnly day) => day.ToString("dddd d MMMM yyyy", CultureInfo.GetCultureInfo("fr-FR"));

    /// <summary>Days are typed from today to two years ahead: a past day changes no tour, a far one is a typo.</summary>
    private DateOnly ParseDay(string? text, string field, string what)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new RuleException($"Indiquez {what}.", field);
        }

        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            throw new RuleException($"« {(text.Length > 40 ? text[..40] + "…" : text)} » n'est pas une date valable.", field);
        }

        if (day < Today || day > Horizon)
        {
            throw new RuleException($"Choisissez {what} entre aujourd'hui et le {Horizon:dd/MM/yyyy}.", field);
        }

        return day;
    }

    /// <summary>A tour already planned on those days is not driven: the technician replans it (it is then removed).</summary>
    private async Task<string> PlannedAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var planned = await db.TourDays.Where(t => t.Day >= first && t.Day <= last).Select(t => t.Day).OrderBy(d => d).ToListAsync(cancellationToken);
        return planned.Count == 0 ? "" : $" Une tournée était déjà planifiée le {string.Join(", le ", planned.Select(Spelled))} : « Ré-optimiser » ce jour-là la retire.";
    }

    private async Task<IActionResult> RefusedAsync(RuleException e, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        ModelState.AddModelError(e.Field ?? "", e.Message);
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<IActionResult> ConflictAsync(string message, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        Conflict = new ConflictNotice(message, "/admin/calendrier", "Revenir au calendrier");
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Closures = await db.ClosureDays.Where(c => c.Day >= Today).OrderBy(c => c.Day)
            .Select(c => new Closure(c.Id, c.Day, c.Reason, c.CreatedBy)).ToListAsync(cancellationToken);
        Absences = await db.TechnicianAbsences.Where(a => a.LastDay >= Today).OrderBy(a => a.FirstDay)
            .Select(a => new Absence(a.Id, a.FirstDay, a.LastDay, a.Reason, a.CreatedBy)).ToListAsync(cancellationToken);
        var end = Today.AddYears(1);
        Holidays = [.. Enumerable.Range(Today.Year, 2).SelectMany(y => PublicHolidays.In(y))
            .Where(h => h.Key >= Today && h.Key < end).OrderBy(h => h.Key).Select(h => (h.Key, h.Value))];
    }
}
