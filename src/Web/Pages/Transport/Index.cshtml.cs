using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Transport;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Transport;

/// <summary>
/// « Tournées »: the technician's day — the route on a map, the stops with their times and what
/// to load, a printable road sheet, and on a phone each stop marked done, which records the
/// loan's delivery or return.
/// </summary>
public sealed class IndexModel(ValDromeDb db, TimeProvider time, IOptions<TransportOptions> options, ILogger<IndexModel> logger) : PageModel
{
    public DateOnly Day { get; private set; }

    public TourDay? Tour { get; private set; }

    public int Waiting { get; private set; }

    /// <summary>Works-site visits booked for the technician on the day (ADR 27).</summary>
    public int VisitsWaiting { get; private set; }

    /// <summary>What the road sheet says of a works-site visit: the commune's request, read when shown.</summary>
    public sealed record VisitSheet(string Commune, string Site, string Contact, string Hours, int Minutes, string? MairiePhone, bool Cancelled);

    public IReadOnlyDictionary<int, VisitSheet> VisitSheets { get; private set; } = new Dictionary<int, VisitSheet>();

    public VisitSheet? VisitOf(TourStopEntry stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        return stop.VisitBookingId is { } id && VisitSheets.TryGetValue(id, out var sheet) ? sheet : null;
    }

    /// <summary>Why there is no tour on this day (« dimanche », « jour férié (Noël) »…), or null on a working day.</summary>
    public string? DayOff { get; private set; }

    /// <summary>Units with an hour meter, to ask for the reading.</summary>
    public IReadOnlySet<int> MeteredUnits { get; private set; } = new HashSet<int>();

    public string MapJson { get; private set; } = "{}";

    /// <summary>Where a stop is, for the technician: address, phone and opening hours, by place key.</summary>
    public sealed record PlaceContact(string? Address, string? Phone, string? Hours);

    public IReadOnlyDictionary<string, PlaceContact> Contacts { get; private set; } = new Dictionary<string, PlaceContact>();

    public PlaceContact ContactOf(TourStopEntry stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        return Contacts.TryGetValue(stop.PlaceKey, out var contact) ? contact : new PlaceContact(null, null, null);
    }

    /// <summary>Set when another move on the day came first (409).</summary>
    public ConflictNotice? Conflict { get; private set; }

    [BindProperty]
    public string? Meter { get; set; }

    [BindProperty]
    public string? Notes { get; set; }

    [BindProperty]
    public string? Damage { get; set; }

    public async Task<IActionResult> OnGetAsync(string? jour, CancellationToken cancellationToken)
    {
        if (!TryDay(jour))
        {
            return Page();
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostPlanAsync(string? jour, CancellationToken cancellationToken)
    {
        if (!TryDay(jour))
        {
            return Page();
        }

        switch (await DayPlanning.PlanAsync(db, Day, options.Value, time.GetUtcNow(), logger, cancellationToken))
        {
            case PlanOutcome.Conflict:
                return await ConflictAsync(null, null, cancellationToken);
            case PlanOutcome.NothingToCarry:
                TempData["Message"] = "Rien à transporter ce jour : aucune tournée n'est nécessaire.";
                return Redirect($"/tournees?jour={Day:yyyy-MM-dd}");
            case PlanOutcome.NotAWorkingDay:
                TempData["Message"] = "Pas de tournée ce jour : ce n'est pas un jour travaillé. Les transports sont planifiés sur les jours travaillés voisins.";
                return Redirect($"/tournees?jour={Day:yyyy-MM-dd}");
        }

        TempData["Message"] = "Tournée optimisée.";
        return Redirect($"/tournees?jour={Day:yyyy-MM-dd}");
    }

    public async Task<IActionResult> OnPostMoveAsync(string? jour, int stop, int by, CancellationToken cancellationToken)
    {
        if (!TryDay(jour))
        {
            return Page();
        }

        var tour = await db.TourDays.Include(t => t.Stops).SingleOrDefaultAsync(t => t.Day == Day, cancellationToken);
        if (tour is null || tour.Stops.All(s => s.Id != stop) || by is not (1 or -1))
        {
            return NotFound();
        }

        try
        {
            tour.Move(stop, by);
        }
        catch (RuleException e)
        {
            return await RefusedAsync(e.Message, cancellationToken);
        }

        return await RetimeAndSaveAsync(tour, stop, cancellationToken);
    }

    public async Task<IActionResult> OnPostPinAsync(string? jour, int stop, CancellationToken cancellationToken)
    {
        if (!TryDay(jour))
        {
            return Page();
        }

        var tour = await db.TourDays.Include(t => t.Stops).SingleOrDefaultAsync(t => t.Day == Day, cancellationToken);
        var entry = tour?.Stops.SingleOrDefault(s => s.Id == stop);
        if (tour is null || entry is null)
        {
            return NotFound();
        }

        if (entry.Pinned)
        {
            entry.Unpin();
        }
        else
        {
            entry.Pin();
        }

        return await RetimeAndSaveAsync(tour, stop, cancellationToken);
    }

    /// <summary>After the technician reorders or pins a stop: the day's times again, saved unless another move came first.</summary>
    private async Task<IActionResult> RetimeAndSaveAsync(TourDay tour, int stop, CancellationToken cancellationToken)
    {
        if (await DayPlanning.RetimeAsync(db, tour, options.Value, cancellationToken) is { } infeasible)
        {
            db.ChangeTracker.Clear();
            return await RefusedAsync(infeasible, cancellationToken);
        }

        if (!await RowVersion.TrySaveAsync(db, cancellationToken))
        {
            return await ConflictAsync(stop, null, cancellationToken);
        }

        return Redirect($"/tournees?jour={Day:yyyy-MM-dd}");
    }

    /// <summary>The stop is done: unloading at a borrower's is the loan's delivery, loading there its return.</summary>
    public async Task<IActionResult> OnPostDoneAsync(string? jour, int stop, CancellationToken cancellationToken)
    {
        if (!TryDay(jour))
        {
            return Page();
        }

        var entry = await db.TourStops.SingleOrDefaultAsync(s => s.Id == stop && db.TourDays.Any(t => t.Id == s.TourDayId && t.Day == Day), cancellationToken);
        if (entry is null)
        {
            return NotFound();
        }

        var actor = User.ToActor();
        var now = time.GetUtcNow();
        try
        {
            if (entry.DoneAt is not null)
            {
                return await ConflictAsync(stop, null, cancellationToken);
            }

            var meter = ParseMeter();
            entry.Done(now, actor.Name, Day);
            if (entry.CollectsLoanId is { } returned)
            {
                var loan = await LoanStore.LoadForChangeAsync(db, returned, cancellationToken);
                loan!.Return(actor, now, time.Today(), Notes, meter, Damage);
            }

            if (entry.DeliversLoanId is { } delivered)
            {
                var loan = await LoanStore.LoadForChangeAsync(db, delivered, cancellationToken);
                loan!.Deliver(actor, now, time.Today(), Notes, meter);
            }

            if (entry.Action == StopAction.Unload)
            {
                await RecordKilometresAsync(entry, cancellationToken);
            }
        }
        catch (RuleException e) when (e.IsConflict)
        {
            return await ConflictAsync(stop, entry.CollectsLoanId ?? entry.DeliversLoanId, cancellationToken);
        }
        catch (RuleException e)
        {
            db.ChangeTracker.Clear();
            // The loan refused because someone else has just marked this very stop done (and moved
            // the loan with it) between our two reads: that is their move, told as such.
            if (await db.TourStops.AnyAsync(s => s.Id == stop && s.DoneAt != null, cancellationToken))
            {
                return await ConflictAsync(stop, entry.CollectsLoanId ?? entry.DeliversLoanId, cancellationToken);
            }

            return await RefusedAsync(e.Message, cancellationToken);
        }

        // The stop and its loan are versioned: of two people marking it done, one writes nothing.
        if (!await RowVersion.TrySaveAsync(db, cancellationToken))
        {
            return await ConflictAsync(stop, entry.CollectsLoanId ?? entry.DeliversLoanId, cancellationToken);
        }

        TempData["Message"] = entry.Action switch
        {
            StopAction.Load => $"Chargement de « {entry.UnitName} » enregistré.",
            StopAction.Unload => $"Déchargement de « {entry.UnitName} » enregistré.",
            _ => $"Visite « {entry.PlaceName} » enregistrée.",
        };
        return Redirect($"/tournees?jour={Day:yyyy-MM-dd}");
    }

    /// <summary>The carry is over: its road kilometres go to its loans (half each for a carry between two borrowers).</summary>
    private async Task RecordKilometresAsync(TourStopEntry unloaded, CancellationToken cancellationToken)
    {
        var ids = unloaded.CarryLoanIds;
        var km = (decimal)(unloaded.LegMetres / 1000) / Math.Max(1, ids.Count);
        foreach (var loan in await db.Loans.Where(l => ids.Contains(l.Id)).ToListAsync(cancellationToken))
        {
            loan.RecordTransport(km);
        }
    }

    private bool TryDay(string? jour)
    {
        if (jour is null)
        {
            Day = time.Today();
            return true;
        }

        if (DateParameters.TryDay(jour, time.Today(), out var day, out var error))
        {
            Day = day;
            return true;
        }

        ModelState.AddModelError("jour", error);
        Day = time.Today();
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return false;
    }

    /// <summary>
    /// The loser of two moves on the day (409): who marked the stop done, else what happened to
    /// its loan, else that the day's plan changed; the page shows the day as it is now.
    /// </summary>
    private async Task<IActionResult> ConflictAsync(int? stopId, int? loanId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var stop = stopId is null ? null : await db.TourStops.AsNoTracking()
            .Where(s => s.Id == stopId).Select(s => new { s.DoneAt, s.DoneBy }).SingleOrDefaultAsync(cancellationToken);
        var loanEvent = loanId is null ? null : await db.LoanEvents.AsNoTracking()
            .Where(e => e.LoanId == loanId).OrderByDescending(e => e.At).ThenByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken);
        var plannedAt = await db.TourDays.Where(t => t.Day == Day).Select(t => (DateTimeOffset?)t.PlannedAt).SingleOrDefaultAsync(cancellationToken);
        var message = stop?.DoneAt is { } doneAt
            ? $"Cet arrêt vient d'être marqué fait par {stop.DoneBy ?? "quelqu'un d'autre"} à {doneAt.Clock()}."
            : loanEvent is not null
                ? LoanWords.JustMoved(loanEvent)
                : "Cette tournée vient d'être modifiée par quelqu'un d'autre" + (plannedAt is { } at ? $" (planifiée à {at.Clock()})" : "") + " : voici son état actuel.";
        Conflict = new ConflictNotice(message, $"/tournees?jour={Day:yyyy-MM-dd}", "Revenir à la tournée");
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private async Task<IActionResult> RefusedAsync(string message, CancellationToken cancellationToken)
    {
        ModelState.AddModelError("", message);
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Tour = await db.TourDays.Include(t => t.Stops).Include(t => t.LeftOut).AsNoTracking().SingleOrDefaultAsync(t => t.Day == Day, cancellationToken);
        Waiting = (await Movements.ForDayAsync(db, Day, options.Value.DepotHours, cancellationToken)).Count;
        VisitsWaiting = (await Visits.ForDayAsync(db, Day, cancellationToken)).Count;
        DayOff = (await Domain.Calendar.WorkingCalendar.LoadAsync(db, Day, Day, cancellationToken)).WhyNotWorking(Day);
        var units = Tour?.Stops.Where(s => s.UnitId is not null).Select(s => s.UnitId!.Value).Distinct().ToList() ?? [];
        MeteredUnits = (await db.EquipmentUnits.Where(u => units.Contains(u.Id) && u.HasHourMeter).Select(u => u.Id).ToListAsync(cancellationToken)).ToHashSet();
        var depot = await db.Depots.OrderBy(d => d.Id).Select(d => new { d.Name, d.Location }).FirstOrDefaultAsync(cancellationToken);
        await LoadContactsAsync(cancellationToken);
        await LoadVisitsAsync(cancellationToken);
        MapJson = JsonSerializer.Serialize(new
        {
            depot = depot is null ? null : new { name = depot.Name, lon = depot.Location.X, lat = depot.Location.Y },
            stops = (Tour?.Stops ?? []).OrderBy(s => s.Sequence)
                .Select(s => new { n = s.Sequence, lon = s.Longitude, lat = s.Latitude, label = $"{s.Sequence}. {s.PlaceName} — {s.UnitName}", done = s.DoneAt is not null, visit = s.Action == StopAction.Visit }),
        });
    }

    /// <summary>Mairie stops are keyed « mairie-INSEE » (see Movements); the depot's stops by its name.</summary>
    private async Task LoadContactsAsync(CancellationToken cancellationToken)
    {
        var stops = Tour?.Stops ?? [];
        var insees = stops.Select(s => s.PlaceKey).Where(k => k.StartsWith("mairie-", StringComparison.Ordinal))
            .Select(k => k["mairie-".Length..]).Distinct().ToList();
        var contacts = new Dictionary<string, PlaceContact>(StringComparer.Ordinal);
        foreach (var c in await db.Communes.Where(c => insees.Contains(c.Insee))
                     .Select(c => new { c.Insee, c.MairieAddress, c.MairiePhone, c.OpeningHours }).ToListAsync(cancellationToken))
        {
            contacts["mairie-" + c.Insee] = new PlaceContact(c.MairieAddress, c.MairiePhone, c.OpeningHours);
        }

        var depotNames = stops.Where(s => s.PlaceKey == "depot").Select(s => s.PlaceName).Distinct().ToList();
        var depot = await db.Depots.Where(d => depotNames.Contains(d.Name))
            .Select(d => new { d.Address }).FirstOrDefaultAsync(cancellationToken);
        if (depot is not null)
        {
            contacts["depot"] = new PlaceContact(depot.Address, null, options.Value.DepotHours);
        }

        Contacts = contacts;
    }

    /// <summary>The works-site requests behind the day's visits: site, contact, hours (a cancelled one is flagged).</summary>
    private async Task LoadVisitsAsync(CancellationToken cancellationToken)
    {
        var ids = (Tour?.Stops ?? []).Where(s => s.VisitBookingId is not null).Select(s => s.VisitBookingId!.Value).ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var rows = await db.AgentBookings.Where(b => ids.Contains(b.Id))
            .Select(b => new { b.Id, b.Starts, b.Ends, b.IsActive, b.Request!.Commune.Name, b.Request.Commune.MairiePhone, b.Request.Place, b.Request.Contact })
            .ToListAsync(cancellationToken);
        VisitSheets = rows.ToDictionary(
            r => r.Id,
            r => new VisitSheet(r.Name, r.Place, r.Contact, $"{OpeningHours.Clock(r.Starts)} – {OpeningHours.Clock(r.Ends)}", (int)(r.Ends - r.Starts).TotalMinutes, r.MairiePhone, !r.IsActive));
    }

    /// <summary>« 2 h 30 », « 45 min ».</summary>
    public static string Duration(int minutes) =>
        minutes < 60 ? $"{minutes}\u00a0min" : minutes % 60 == 0 ? $"{minutes / 60}\u00a0h" : $"{minutes / 60}\u00a0h\u00a0{minutes % 60:00}";

    private decimal? ParseMeter() => FormNumbers.Parse(Meter, "relevé de compteur", "Meter");

    public static string Clock(int seconds) => $"{seconds / 3600:00}:{seconds % 3600 / 60:00}";
}
