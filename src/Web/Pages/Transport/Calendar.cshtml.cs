using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Calendar;
using ValDrome.Domain.Services;
using ValDrome.Domain.Transport;
using ValDrome.Jobs.Notices;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Transport;

/// <summary>
/// The calendar of working days (ADR 18): public holidays (computed), the community's closure
/// days and the technician's absences, which staff set and the technician reads. No tour is
/// planned on a day off. In this folder for the workshop's policy; staff and admins write.
/// </summary>
public sealed class CalendarModel(ValDromeDb db, TimeProvider time, IOptions<TransportOptions> transport, ServiceNoticeDispatch notices) : PageModel
{
    public sealed record Closure(int Id, DateOnly Day, string Reason, string By);

    /// <summary>A slot of a service request booked on the day to close.</summary>
    public sealed record AffectedSlot(int BookingId, int RequestId, string Commune, ServiceKind Service, TimeOnly Starts, TimeOnly Ends, string? Agent, bool Worked);

    /// <summary>A delivery or pick-up the technician could make on the day to close.</summary>
    public sealed record AffectedCarry(string Unit, string From, string To, bool Delivery, bool LastDay);

    /// <summary>
    /// What closing a day touches, shown before it is confirmed; <see cref="Seen"/> names the
    /// slots shown, so that a confirmation never cancels a slot booked after the list was read.
    /// </summary>
    public sealed record ClosureImpact(DateOnly Day, string Reason, IReadOnlyList<AffectedSlot> Slots, IReadOnlyList<AffectedCarry> Carries, int PlannedStops)
    {
        /// <summary>
        /// Slots would be cancelled, or a planned tour changed: asked first. Carries merely possible
        /// that day move to another working day by themselves, and are told after.
        /// </summary>
        public bool NeedsConfirmation => Slots.Count > 0 || PlannedStops > 0;

        public string Seen => string.Join(',', Slots.Select(s => s.BookingId.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Set when the day asked for closing has bookings: the page asks to confirm.</summary>
    public ClosureImpact? Impact { get; private set; }

    /// <summary>The closure was confirmed on the list of what it touches.</summary>
    [BindProperty]
    public bool Confirmed { get; set; }

    /// <summary>The slots the confirmation was given on (<see cref="ClosureImpact.Seen"/>).</summary>
    [BindProperty]
    public string? Seen { get; set; }

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

        // The day's lock first (ADR 32): a slot being booked that day commits before we read, or waits and then finds the day closed.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ClosureDay.LockClass}, {closure.Day.DayNumber})", cancellationToken);

        // What is booked that day is shown first; closing goes on only once confirmed on that very list.
        var impact = await ImpactAsync(closure.Day, closure.Reason, cancellationToken);
        if (impact.NeedsConfirmation && (!Confirmed || !string.Equals(Seen ?? "", impact.Seen, StringComparison.Ordinal)))
        {
            await transaction.RollbackAsync(cancellationToken);
            if (Confirmed)
            {
                Conflict = new ConflictNotice(
                    $"Les réservations du {Spelled(closure.Day)} ont changé depuis que vous avez lu la liste : la voici à jour. Rien n'a été enregistré ; confirmez de nouveau pour fermer ce jour.",
                    "/admin/calendrier", "Revenir au calendrier");
            }

            Impact = impact;
            Day = closure.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            Reason = closure.Reason;
            await LoadAsync(cancellationToken);
            Response.StatusCode = Confirmed ? StatusCodes.Status409Conflict : StatusCodes.Status200OK;
            return Page();
        }

        db.ClosureDays.Add(closure);
        // The agents do not work on a closed day: its slots are cancelled with the closure, and each commune (and agent) told.
        var requests = await db.ServiceRequests.Include(r => r.Slots).ThenInclude(s => s.Time).Include(r => r.Commune).Include(r => r.Agent)
            .Where(r => r.Slots.Any(s => s.IsActive && s.Day == closure.Day))
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        List<ServiceNotice> told = [];
        List<int> freed = [];
        foreach (var request in requests)
        {
            var slots = request.CloseDay(closure.Day);
            freed.AddRange(slots.Select(s => s.Id));
            told.AddRange(ServiceNotices.DayClosed(request, slots, closure.Reason, time.GetUtcNow()));
        }

        db.ServiceNotices.AddRange(told);
        await Visits.WithdrawAsync(db, freed, cancellationToken);
        // Two people closing the same day at once: the unique day keeps one, the second is told; a request moved meanwhile, too (row versions).
        if (!await RowVersion.TrySaveAsync(db, cancellationToken, ClosureDay.UniqueDay))
        {
            await transaction.RollbackAsync(cancellationToken);
            return await ConflictAsync($"Le {Spelled(closure.Day)} vient d'être fermé par quelqu'un d'autre, ou une de ses réservations vient de changer : rien n'a été enregistré.", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        notices.Enqueue(told);
        var communes = told.Where(n => n.CommuneId is not null).Select(n => n.CommuneId).Distinct().Count();
        var agents = told.Where(n => n.AgentId is not null).Select(n => n.AgentId).Distinct().Count();
        var cancelled = freed.Count == 0 ? ""
            : $" {FrenchCount.Of(freed.Count, "créneau de service annulé", "créneaux de services annulés")} : "
                + (communes == 1 ? "la commune est prévenue" : $"les {communes} communes sont prévenues")
                + (agents switch { 0 => "", 1 => ", ainsi que l'agent désigné,", _ => $", ainsi que les {agents} agents désignés," })
                + " par courriel.";
        var moved = impact.Carries.Count switch
        {
            0 => "",
            1 => " Le transport possible ce jour-là partira un autre jour travaillé (une livraison avant, une reprise après).",
            var n => $" Les {n} transports possibles ce jour-là partiront un autre jour travaillé (une livraison avant, une reprise après).",
        };
        TempData["Message"] = $"Fermeture du {Spelled(closure.Day)} enregistrée : aucune tournée ce jour-là.{cancelled}{moved}{await PlannedAsync(closure.Day, closure.Day, cancellationToken)}";
        return Redirect("/admin/calendrier");
    }

    /// <summary>The service slots booked on <paramref name="day"/>, the carries it could hold, and the stops of a tour already planned.</summary>
    private async Task<ClosureImpact> ImpactAsync(DateOnly day, string reason, CancellationToken cancellationToken)
    {
        var slots = await db.AgentBookings.AsNoTracking()
            .Where(b => b.Day == day && b.IsActive && b.RequestId != null)
            .OrderBy(b => b.Starts).ThenBy(b => b.Request!.Commune.Name).ThenBy(b => b.Id)
            .Select(b => new AffectedSlot(b.Id, b.RequestId!.Value, b.Request!.Commune.Name, b.Request.Service, b.Starts, b.Ends,
                b.Agent == null ? null : b.Agent.Name, b.Time != null))
            .ToListAsync(cancellationToken);
        var carries = (await Movements.ForDayAsync(db, day, transport.Value.DepotHours, cancellationToken))
            .Select(m => new AffectedCarry(m.UnitName, m.From.Name, m.To.Name, m.DeliversLoanId is not null, m.Latest <= day))
            .ToList();
        var planned = await db.TourStops.CountAsync(s => s.DoneAt == null && db.TourDays.Any(t => t.Id == s.TourDayId && t.Day == day), cancellationToken);
        return new ClosureImpact(day, reason, slots, carries, planned);
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

    public static string Spelled(DateOnly day) => day.ToString("dddd d MMMM yyyy", FrenchCulture.Instance);

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
