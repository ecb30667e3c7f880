using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Services;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Services;

/// <summary>
/// « Mon temps », on a phone: the agent linked to the account records the time actually spent
/// on each of their slots of the last two weeks (start, end, a note, the kilometres); staff and
/// admins record it for any agent. The commune then confirms or disputes it on the request.
/// </summary>
public sealed class TimeModel(ValDromeDb db, TimeProvider time) : PageModel
{
    public sealed record SlotRow(int BookingId, int RequestId, string Commune, ServiceKind Service, string Agent, DateOnly Day, TimeOnly Starts, TimeOnly Ends,
        TimeOnly? Started, TimeOnly? Ended, string? Note, decimal? Km, TimeEntryStatus? Status, uint? Version);

    public const int DaysBack = 14;

    [BindProperty]
    public int? BookingId { get; set; }

    [BindProperty]
    public TimeOnly? Started { get; set; }

    [BindProperty]
    public TimeOnly? Ended { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public decimal? TravelKm { get; set; }

    /// <summary>The entry's version when the form was read (none for a first record): ADR 14.</summary>
    [BindProperty]
    public uint? Seen { get; set; }

    public IReadOnlyList<SlotRow> Slots { get; private set; } = [];

    public string? AgentName { get; private set; }

    public ConflictNotice? Conflict { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : Forbid();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Forbid();
        }

        var row = Slots.SingleOrDefault(s => s.BookingId == BookingId);
        if (row is null)
        {
            ModelState.AddModelError(nameof(BookingId), "Ce créneau n'est pas l'un des vôtres des deux dernières semaines.");
            return Refused(StatusCodes.Status400BadRequest);
        }

        if (Started is not { } started || Ended is not { } ended)
        {
            ModelState.AddModelError(nameof(Started), "Indiquez l'heure d'arrivée et l'heure de départ.");
            return Refused(StatusCodes.Status400BadRequest);
        }

        if (row.Version != Seen)
        {
            return await ConflictedAsync(cancellationToken);
        }

        var booking = await db.AgentBookings.Include(b => b.Time).SingleAsync(b => b.Id == row.BookingId, cancellationToken);
        var actor = User.ToActor();
        try
        {
            if (booking.Time is { } entry)
            {
                entry.Correct(started, ended, Note, TravelKm ?? 0, actor, time.GetUtcNow());
            }
            else
            {
                db.TimeEntries.Add(new TimeEntry(booking, started, ended, Note, TravelKm ?? 0, actor, time.GetUtcNow()));
            }
        }
        catch (RuleException e)
        {
            if (e.IsConflict)
            {
                return await ConflictedAsync(cancellationToken);
            }

            ModelState.AddModelError(e.Field ?? nameof(Started), e.Message);
            return Refused(StatusCodes.Status400BadRequest);
        }

        if (!await RowVersion.TrySaveAsync(db, cancellationToken, "ix_time_entries_booking_id"))
        {
            return await ConflictedAsync(cancellationToken);
        }

        TempData["Message"] = $"Temps du {row.Day:dd/MM} enregistré : {row.Commune} va le confirmer.";
        return Redirect("/services/temps");
    }

    private async Task<IActionResult> ConflictedAsync(CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        ModelState.Clear();
        await LoadAsync(cancellationToken);
        Conflict = new ConflictNotice("Ce temps vient d'être enregistré ou confirmé par quelqu'un d'autre : le voici tel qu'il est maintenant. Votre saisie n'a pas été enregistrée.",
            "/services/temps", "Revoir mon temps");
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private PageResult Refused(int status)
    {
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>The slots this person may record; false when they may record none (neither linked nor staff).</summary>
    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var linked = await ServiceRights.LinkedAgentAsync(db, actor, cancellationToken);
        var keeps = ServiceRights.Keeps(actor);
        if (linked is null && !keeps)
        {
            return false;
        }

        AgentName = linked?.Name;
        var today = time.Today();
        var from = today.AddDays(-DaysBack);
        var agentId = keeps ? (int?)null : linked!.Id;
        Slots = await db.AgentBookings
            .Where(b => b.IsActive && b.RequestId != null && b.AgentId != null && b.Day >= from && b.Day <= today && (agentId == null || b.AgentId == agentId))
            .OrderByDescending(b => b.Day).ThenBy(b => b.Starts).Take(100)
            .Select(b => new SlotRow(b.Id, b.RequestId!.Value, b.Request!.Commune.Name, b.Request.Service, b.Agent!.Name, b.Day, b.Starts, b.Ends,
                b.Time == null ? (TimeOnly?)null : b.Time.Started, b.Time == null ? (TimeOnly?)null : b.Time.Ended, b.Time == null ? null : b.Time.Note,
                b.Time == null ? (decimal?)null : b.Time.TravelKm, b.Time == null ? (TimeEntryStatus?)null : b.Time.Status,
                b.Time == null ? (uint?)null : EF.Property<uint>(b.Time, RowVersion.Property)))
            .ToListAsync(cancellationToken);
        return true;
    }
}
