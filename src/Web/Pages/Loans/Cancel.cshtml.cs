using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Loans;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Loans;

/// <summary>
/// « Annuler la demande » asks first and says what it will undo (the approved loan, the
/// technician's trip, a late cancellation told to the owner); the confirmation posts to the
/// loan's own Cancel handler, guarded like every move.
/// </summary>
public sealed class CancelModel(ValDromeDb db, TimeProvider time) : PageModel
{
    public int Id { get; private set; }

    public string Unit { get; private set; } = "";

    public string Lender { get; private set; } = "";

    public LoanStatus Status { get; private set; }

    public DateOnly FirstDay { get; private set; }

    public DateOnly LastDay { get; private set; }

    /// <summary>The last history line, sent back so that a move made since is caught (ADR 14).</summary>
    public long Seen { get; private set; }

    /// <summary>What the cancellation will do, sentence by sentence.</summary>
    public IReadOnlyList<string> Consequences { get; private set; } = [];

    public bool MayCancel => Status is LoanStatus.Requested or LoanStatus.Approved;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        var loan = await LoanStore.LoadForChangeAsync(db, id, cancellationToken);
        var actor = User.ToActor();
        if (loan is null || !loan.IsVisibleTo(actor))
        {
            return NotFound();
        }

        if (!loan.IsBorrowedBy(actor))
        {
            return Forbid();
        }

        (Id, Unit, Status, FirstDay, LastDay) = (loan.Id, loan.Unit.Name, loan.Status, loan.FirstDay, loan.LastDay);
        Lender = loan.LenderCommune?.Name ?? Equipment.EquipmentLabels.CommunityOwner;
        Seen = loan.Events.Count == 0 ? 0 : loan.Events.Max(e => e.Id);
        if (!MayCancel)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var days = FreeUnits.Days(loan.FirstDay, loan.LastDay);
        var said = new List<string>();
        if (loan.Status == LoanStatus.Requested)
        {
            said.Add($"La demande sera annulée : « {loan.Unit.Name} » redeviendra libre {days} et son propriétaire ({Lender}) en sera prévenu.");
        }
        else
        {
            var sentence = "Le prêt approuvé sera annulé";
            if (loan.Unit.Transport != TransportNeed.None)
            {
                var key = LoanCancellation.DeliveryKey(loan.Id);
                var planned = await db.TourDays.Where(t => t.Stops.Any(s => s.MovementKey == key && s.DoneAt == null))
                    .OrderBy(t => t.Day).Select(t => (DateOnly?)t.Day).FirstOrDefaultAsync(cancellationToken);
                sentence += planned is { } day
                    ? $" ; la livraison prévue le {Long(day)} par le technicien sera retirée de sa tournée."
                    : $" ; la livraison par le technicien, à faire d'ici le {Long(loan.Booking.MarginDays > 0 ? loan.FirstDay.AddDays(-1) : loan.FirstDay)}, n'aura pas lieu.";
            }
            else
            {
                sentence += " ; le matériel ne sera pas retiré chez son propriétaire.";
            }

            said.Add(sentence);
            said.Add(LoanCancellation.IsLate(loan.Status, loan.FirstDay, time.Today())
                ? $"L'annulation arrive moins de {LoanCancellation.NoticeWorkingDays} jours ouvrés avant le premier jour : "
                    + $"{Lender} en sera prévenu comme d'une annulation tardive, et l'historique du prêt le gardera."
                : $"{Lender} en sera prévenu ; « {loan.Unit.Name} » redeviendra libre {days}.");
        }

        Consequences = said;
        return Page();
    }

    private static string Long(DateOnly day) => day.ToString("dddd d MMMM", FrenchCulture.Instance);
}
