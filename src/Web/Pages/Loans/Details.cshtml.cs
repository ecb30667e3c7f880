using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Notices;
using ValDrome.Geo.Encoding;
using ValDrome.Geo.Spatial;
using ValDrome.Jobs.Notices;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Loans;

/// <summary>A loan: its facts, its timeline, its route, and the moves the signed-in person may make.</summary>
public sealed class DetailsModel(ValDromeDb db, TimeProvider time, NoticeDispatch notices, IOptions<MarketplaceOptions> options) : PageModel
{
    public Loan Loan { get; private set; } = null!;

    public Actor Actor { get; private set; } = null!;

    public string RouteGeoJson { get; private set; } = "";

    public DateOnly Today => time.Today();

    /// <summary>For a loan at risk (its unit is late elsewhere): the nearest equivalents free on its days.</summary>
    public IReadOnlyList<AvailableUnit> Alternatives { get; private set; } = [];

    /// <summary>The event the loan was asked for with others, if any (its id and name).</summary>
    public (int Id, string Name)? Event { get; private set; }

    /// <summary>Set when another move on the loan came first (409).</summary>
    public ConflictNotice? Conflict { get; private set; }

    /// <summary>The last history line the person saw when they chose the move (sent back by every form).</summary>
    [BindProperty]
    public long? Seen { get; set; }

    public long LastEventId => LastEventOf(Loan);

    [BindProperty]
    public int UnitId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public DateOnly? Day { get; set; }

    /// <summary>Hour meter as typed: "1234,5" or "1234.5" (a number input sends a dot whatever the language).</summary>
    [BindProperty]
    public string? Meter { get; set; }

    [BindProperty]
    public string? Damage { get; set; }

    [BindProperty]
    public DateOnly? NewLastDay { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostApproveAsync(int id, CancellationToken cancellationToken) =>
        ChangeAsync(id, (l, a) => l.IsDecidedBy(a), (l, a, at) => l.Approve(a, at), LoanNotices.Decided, "Prêt approuvé.", cancellationToken);

    public Task<IActionResult> OnPostRefuseAsync(int id, CancellationToken cancellationToken) =>
        ChangeAsync(id, (l, a) => l.IsDecidedBy(a), (l, a, at) => l.Refuse(a, at, Reason ?? ""), LoanNotices.Decided, "Demande refusée.", cancellationToken);

    /// <summary>
    /// Cancels (after the confirmation page, /prets/{id}/annuler): the delivery comes off the
    /// technician's planned tour, and an approved loan cancelled late is marked so in its history
    /// and told to the owner as such.
    /// </summary>
    public Task<IActionResult> OnPostCancelAsync(int id, CancellationToken cancellationToken)
    {
        var key = LoanCancellation.DeliveryKey(id);
        List<Domain.Transport.TourDay> tours = [];
        var late = false;
        return ChangeAsync(id, (l, a) => l.IsBorrowedBy(a), (l, a, at) =>
            {
                late = LoanCancellation.IsLate(l.Status, l.FirstDay, time.Today());
                l.Cancel(a, at, LoanCancellation.Note(late, Note));
                foreach (var tour in tours)
                {
                    tour.Withdraw(key);
                }
            },
            (l, at) => late ? LoanNotices.CancelledLate(l, at) : LoanNotices.Cancelled(l, at), "Demande annulée.", cancellationToken,
            // Only an approved loan the technician carries can be on a tour: read those after the loan, not before every cancellation.
            async (l, ct) => tours = l.Status == LoanStatus.Approved && l.Unit.Transport != Domain.Equipment.TransportNeed.None
                ? await db.TourDays.Include(t => t.Stops).Where(t => t.Stops.Any(s => s.MovementKey == key && s.DoneAt == null)).ToListAsync(ct)
                : []);
    }

    public Task<IActionResult> OnPostDeliverAsync(int id, CancellationToken cancellationToken) =>
        ChangeAsync(id, (l, a) => l.IsHandledBy(a),
            (l, a, at) => l.Deliver(a, at, DayOrToday(), Note, ParseMeter()), null, "Livraison enregistrée.", cancellationToken);

    public Task<IActionResult> OnPostReturnAsync(int id, CancellationToken cancellationToken) =>
        ChangeAsync(id, (l, a) => l.IsHandledBy(a),
            (l, a, at) => l.Return(a, at, DayOrToday(), Note, ParseMeter(), Damage), null, "Retour enregistré.", cancellationToken);

    public Task<IActionResult> OnPostCloseAsync(int id, CancellationToken cancellationToken) =>
        ChangeAsync(id, (l, a) => l.IsDecidedBy(a), (l, a, at) => l.Close(a, at, Note), null, "Prêt clos.", cancellationToken);

    public async Task<IActionResult> OnPostExtendAsync(int id, CancellationToken cancellationToken)
    {
        // Checked like a new request: the extra days (and their margin) must be free now.
        var own = await db.UnitBookings.Where(b => b.LoanId == id)
            .Select(b => new { b.Id, b.UnitId, b.LastDay, b.MarginDays }).SingleOrDefaultAsync(cancellationToken);
        if (own is not null && NewLastDay is { } newLast && newLast > own.LastDay && DateParameters.InRange(newLast, time.Today(), out _)
            && !await NearestAvailable.IsFreeAsync(db, own.UnitId, own.LastDay.AddDays(1), newLast, own.MarginDays, own.Id, cancellationToken))
        {
            var loan = await LoanStore.LoadForChangeAsync(db, id, cancellationToken);
            if (loan is null || !loan.IsVisibleTo(User.ToActor()))
            {
                return NotFound();
            }

            return loan.IsBorrowedBy(User.ToActor())
                ? await RefusedAsync(id, nameof(NewLastDay),
                    $"Le matériel est déjà réservé avant le {newLast:dd/MM/yyyy} (transport compris) : la prolongation n'est pas possible.",
                    StatusCodes.Status409Conflict, cancellationToken)
                : Forbid();
        }

        return await ChangeAsync(id, (l, a) => l.IsBorrowedBy(a),
            (l, a, at) => l.RequestExtension(a, at, NewLastDay ?? throw new RuleException("Indiquez la nouvelle date de fin.", "NewLastDay")),
            null, "Prolongation demandée.", cancellationToken);
    }

    public Task<IActionResult> OnPostApproveExtensionAsync(int id, CancellationToken cancellationToken) =>
        ChangeAsync(id, (l, a) => l.IsDecidedBy(a), (l, a, at) => l.ApproveExtension(a, at), null, "Prolongation accordée.", cancellationToken);

    public Task<IActionResult> OnPostRefuseExtensionAsync(int id, CancellationToken cancellationToken) =>
        ChangeAsync(id, (l, a) => l.IsDecidedBy(a), (l, a, at) => l.RefuseExtension(a, at, Reason), null, "Prolongation refusée.", cancellationToken);

    /// <summary>
    /// « Un clic pour changer »: the at-risk loan is cancelled and the same days are requested of
    /// the chosen alternative, in one transaction; the database still decides who gets the days.
    /// </summary>
    public async Task<IActionResult> OnPostSwitchAsync(int id, CancellationToken cancellationToken)
    {
        var loan = await LoanStore.LoadForChangeAsync(db, id, cancellationToken);
        var actor = User.ToActor();
        if (loan is null || !loan.IsVisibleTo(actor))
        {
            return NotFound();
        }

        if (!actor.ActsFor(loan.BorrowerCommuneId))
        {
            return Forbid();
        }

        if (Seen is { } seen && seen != LastEventOf(loan))
        {
            return await ConflictAsync(id, cancellationToken);
        }

        var unit = await db.EquipmentUnits.Include(u => u.Category).SingleOrDefaultAsync(u => u.Id == UnitId, cancellationToken);
        var origin = loan.BorrowerCommune.ReferencePoint;
        var free = unit is null || unit.CategoryId != loan.Unit.CategoryId ? [] : await NearestAvailable.FindAsync(db,
            new AvailabilityQuery(unit.CategoryId, origin.X, origin.Y, loan.FirstDay, loan.LastDay, loan.BorrowerCommuneId, 1_000_000, 1, unit.Id, time.Today()), cancellationToken);
        if (free.Count == 0)
        {
            return await RefusedAsync(id, nameof(UnitId), "Ce matériel n'est plus disponible sur ces jours : choisissez-en un autre.", StatusCodes.Status409Conflict, cancellationToken);
        }

        Loan replacement;
        try
        {
            loan.Cancel(actor, time.GetUtcNow(), $"Remplacé par « {unit!.Name} » : le matériel réservé n'était pas revenu à temps.");
            replacement = Loan.Request(unit, loan.BorrowerCommune, loan.FirstDay, loan.LastDay, loan.Purpose, actor,
                time.GetUtcNow(), options.Value.Window(time.Today()), free[0].DistanceMetres, options.Value.TransportRatePerKm);
        }
        catch (RuleException e)
        {
            return await RefusedAsync(id, e.Field ?? "", e.Message, StatusCodes.Status400BadRequest, cancellationToken);
        }

        db.Loans.Add(replacement);
        Notice[] told = [LoanNotices.Cancelled(loan, time.GetUtcNow()), LoanNotices.Requested(replacement, time.GetUtcNow())];
        db.Notices.AddRange(told);
        if (await SaveOrLoseAsync(id, nameof(UnitId), "Ce matériel vient d'être réservé par une autre commune : choisissez-en un autre.", cancellationToken) is { } lost)
        {
            return lost;
        }

        notices.Enqueue(told);
        TempData["Message"] = $"Demande reportée sur « {unit.Name} ».";
        return Redirect($"/prets/{replacement.Id}");
    }

    /// <summary>
    /// Every move: 404 when the loan is not the actor's to see, 403 when the move is not theirs
    /// to make, the rule's French message (400) when the loan refuses, 409 when the days are
    /// taken (an extension), else save and come back to the loan.
    /// </summary>
    private async Task<IActionResult> ChangeAsync(
        int id, Func<Loan, Actor, bool> mayAct, Action<Loan, Actor, DateTimeOffset> move,
        Func<Loan, DateTimeOffset, Notice>? notify, string done, CancellationToken cancellationToken,
        Func<Loan, CancellationToken, Task>? prepare = null)
    {
        var loan = await LoanStore.LoadForChangeAsync(db, id, cancellationToken);
        var actor = User.ToActor();
        if (loan is null || !loan.IsVisibleTo(actor))
        {
            return NotFound();
        }

        if (!mayAct(loan, actor))
        {
            return Forbid();
        }

        if (Seen is { } seen && seen != LastEventOf(loan))
        {
            // The move was chosen on a state another move has changed since.
            return await ConflictAsync(id, cancellationToken);
        }

        if (prepare is not null)
        {
            await prepare(loan, cancellationToken);
        }

        try
        {
            move(loan, actor, time.GetUtcNow());
        }
        catch (RuleException e)
        {
            return await RefusedAsync(id, e.Field ?? "", e.Message, StatusCodes.Status400BadRequest, cancellationToken);
        }

        // The notice is written with the move: both are committed, or neither (ADR 7).
        var notice = notify?.Invoke(loan, time.GetUtcNow());
        if (notice is not null)
        {
            db.Notices.Add(notice);
        }

        if (await SaveOrLoseAsync(id, nameof(NewLastDay),
                "Le matériel est déjà réservé sur une partie de ces jours : la prolongation n'est pas possible.", cancellationToken) is { } lost)
        {
            return lost;
        }

        notices.Enqueue(notice);
        TempData["Message"] = done;
        return Redirect($"/prets/{id}");
    }

    /// <summary>
    /// Saves the move with its booking and notice; when it lost a race, the page that says so
    /// (null when saved): another move committed after this one read the loan (409 telling what
    /// it was), or the booking's days were taken (409 with <paramref name="taken"/>). Either way the
    /// whole save was rolled back and nothing is sent.
    /// </summary>
    private async Task<IActionResult?> SaveOrLoseAsync(int id, string field, string taken, CancellationToken cancellationToken)
    {
        try
        {
            if (await LoanStore.TrySaveBookingAsync(db, cancellationToken))
            {
                return null;
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            return await ConflictAsync(id, cancellationToken);
        }

        return await RefusedAsync(id, field, taken, StatusCodes.Status409Conflict, cancellationToken);
    }

    private static long LastEventOf(Loan loan) => loan.Events.Count == 0 ? 0 : loan.Events.Max(e => e.Id);

    /// <summary>The loser of two moves: what the winner did (the loan's last event), 409, nothing written.</summary>
    private async Task<IActionResult> ConflictAsync(int id, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var last = Loan.Events.OrderBy(e => e.At).ThenBy(e => e.Id).Last();
        Conflict = new ConflictNotice(LoanWords.JustMoved(last), $"/prets/{id}", "Revenir au prêt");
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private async Task<IActionResult> RefusedAsync(int id, string field, string message, int status, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await LoadAsync(id, cancellationToken);
        ModelState.AddModelError(field, message);
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        var loan = await LoanStore.LoadForChangeAsync(db, id, cancellationToken);
        Actor = User.ToActor();
        if (loan is null || !loan.IsVisibleTo(Actor))
        {
            return false;
        }

        Loan = loan;
        var asked = await db.EventRequests.Where(e => e.Loans.Any(l => l.Id == id)).Select(e => new { e.Id, e.Name }).SingleOrDefaultAsync(cancellationToken);
        Event = asked is null ? null : (asked.Id, asked.Name);
        if (loan.AtRiskBecauseOfLoanId is not null && loan.Status is LoanStatus.Requested or LoanStatus.Approved && loan.IsBorrowedBy(Actor))
        {
            var origin = loan.BorrowerCommune.ReferencePoint;
            Alternatives = await NearestAvailable.FindAsync(db, new AvailabilityQuery(loan.Unit.CategoryId, origin.X, origin.Y,
                loan.FirstDay, loan.LastDay, loan.BorrowerCommuneId, options.Value.SearchRadiusKm * 1000, 5, Today: time.Today()), cancellationToken);
        }

        var from = loan.Unit.HomeLocation.Coordinate;
        var to = loan.BorrowerCommune.ReferencePoint.Coordinate;
        RouteGeoJson = GeoJson.Serialize(Geometries.Factory.CreateGeometryCollection(
        [
            Geometries.Factory.CreateLineString([from.Copy(), to.Copy()]),
            Geometries.Factory.CreatePoint(from.Copy()),
            Geometries.Factory.CreatePoint(to.Copy()),
        ]));
        return true;
    }

    private decimal? ParseMeter() => FormNumbers.Parse(Meter, "relevé de compteur", "Meter");

    /// <summary>The day typed, today when left empty; a day that could not be read is refused, never taken for today.</summary>
    private DateOnly DayOrToday()
    {
        if (ModelState.TryGetValue(nameof(Day), out var entry) && entry.Errors.Count > 0)
        {
            var typed = entry.AttemptedValue;
            ModelState.Remove(nameof(Day));
            throw new RuleException($"« {typed} » n'est pas une date valable (par exemple {time.Today():dd/MM/yyyy}).", nameof(Day));
        }

        return Day ?? time.Today();
    }
}
