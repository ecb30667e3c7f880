using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Loans;
using ValDrome.Jobs.Mail;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Loans;

/// <summary>
/// « Mes prêts »: an agent sees their commune's loans as borrower and as lender, what waits for
/// their decision, and what is under way; the community's people see what concerns them.
/// </summary>
public sealed class IndexModel(ValDromeDb db, IOptions<PublicUrlOptions> site) : PageModel
{
    public sealed record Row(
        int Id, string Unit, string Borrower, string Lender, DateOnly FirstDay, DateOnly LastDay,
        LoanStatus Status, decimal EstimatedCost, DateOnly? ExtensionLastDay, int BorrowerId, int? LenderId);

    public Actor Actor { get; private set; } = null!;

    public string? CommuneName { get; private set; }

    public string? CalendarUrl { get; private set; }

    public IReadOnlyList<Row> ToDecide { get; private set; } = [];

    public IReadOnlyList<Row> InProgress { get; private set; } = [];

    public IReadOnlyList<Row> AsBorrower { get; private set; } = [];

    public IReadOnlyList<Row> AsLender { get; private set; } = [];

    public sealed record NoticeRow(int? LoanId, string Text, DateTimeOffset At)
    {
        /// <summary>The unit a fault report notice is about (no loan).</summary>
        public int? UnitId { get; init; }
    }

    /// <summary>What ValDrome told the commune lately (reminders, delays, compromised bookings).</summary>
    public IReadOnlyList<NoticeRow> Notices { get; private set; } = [];

    /// <summary>The commune's requests for an event, with how their loans stand.</summary>
    public IReadOnlyList<(int Id, string Summary, DateOnly FirstDay)> Events { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Actor = User.ToActor();
        var loans = db.Loans.AsQueryable();
        if (Actor.IsAgent && !Actor.IsAdmin && !Actor.IsStaff && !Actor.IsTechnician)
        {
            var commune = Actor.CommuneId!.Value;
            loans = loans.Where(l => l.BorrowerCommuneId == commune || l.LenderCommuneId == commune);
            var home = await db.Communes.Where(c => c.Id == commune)
                .Select(c => new { c.Name, c.Insee, c.CalendarToken }).SingleAsync(cancellationToken);
            CommuneName = home.Name;
            Notices = await db.Notices.Where(n => n.CommuneId == commune)
                .OrderByDescending(n => n.CreatedAt).Take(20)
                .Select(n => new NoticeRow(n.LoanId, n.Text, n.CreatedAt) { UnitId = n.FaultReport != null ? n.FaultReport.UnitId : null }).ToListAsync(cancellationToken);
            CalendarUrl = site.Value.Link(CalendarFeed.Url(home.Insee, home.CalendarToken));
            var events = await db.EventRequests.Where(e => e.BorrowerCommuneId == commune)
                .OrderByDescending(e => e.FirstDay).ThenByDescending(e => e.Id).Take(20)
                .Select(e => new { e.Id, e.Name, e.FirstDay, Statuses = e.Loans.Select(l => l.Status).ToList() })
                .ToListAsync(cancellationToken);
            Events = [.. events.Select(e => (e.Id, EventRequest.Summary(e.Name, home.Name, e.Statuses), e.FirstDay))];
        }

        var rows = await loans
            .OrderByDescending(l => l.FirstDay).ThenByDescending(l => l.Id)
            .Select(l => new Row(
                l.Id, l.Unit.Name, l.BorrowerCommune.Name,
                l.LenderCommune != null ? l.LenderCommune.Name : "Communauté de communes",
                l.FirstDay, l.LastDay, l.Status, l.EstimatedCost, l.ExtensionLastDay, l.BorrowerCommuneId, l.LenderCommuneId))
            .Take(500)
            .ToListAsync(cancellationToken);

        ToDecide = [.. rows.Where(r => DecidedByMe(r) && (r.Status == LoanStatus.Requested || r.ExtensionLastDay is not null))];
        InProgress = [.. rows.Where(r => r.Status is LoanStatus.Approved or LoanStatus.Delivered or LoanStatus.Returned).OrderBy(r => r.FirstDay)];
        AsBorrower = Actor.IsAgent ? [.. rows.Where(r => r.BorrowerId == Actor.CommuneId)] : [];
        AsLender = Actor.IsAgent ? [.. rows.Where(r => r.LenderId == Actor.CommuneId)] : [.. rows];
    }

    /// <summary>
    /// A new secret for the commune's feed, when the address went where it should not: the old
    /// address answers 404 from now on. Only the commune's own agent renews it.
    /// </summary>
    public async Task<IActionResult> OnPostRenewFeedAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        if (!actor.IsAgent)
        {
            return Forbid();
        }

        var commune = await db.Communes.SingleAsync(c => c.Id == actor.CommuneId, cancellationToken);
        commune.RenewCalendarToken();
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = "Nouvelle adresse d'agenda créée : l'ancienne ne fonctionne plus. Abonnez de nouveau vos agendas avec celle-ci.";
        return RedirectToPage();
    }

    private bool DecidedByMe(Row row) =>
        Actor.IsAdmin || (row.LenderId is { } lender ? Actor.ActsFor(lender) : Actor.IsStaff);
}
