using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Loans;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Loans;

/// <summary>
/// An event's loans followed together: « Fête du 14 juillet à Grane : 4 prêts, 3 approuvés, 1 en
/// attente ». Seen by the borrowing commune and the community's people, like its loans; a lending
/// commune sees its own loan on the loan's page.
/// </summary>
public sealed class EventDetailsModel(ValDromeDb db) : PageModel
{
    public sealed record Row(int Id, string Unit, string Category, string Lender, LoanStatus Status, decimal EstimatedCost);

    public string Name { get; private set; } = "";

    public string Borrower { get; private set; } = "";

    public string Place { get; private set; } = "";

    public DateOnly FirstDay { get; private set; }

    public DateOnly LastDay { get; private set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public string Summary => EventRequest.Summary(Name, Borrower, Rows.Select(r => r.Status));

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var found = await db.EventRequests.Where(e => e.Id == id)
            .Select(e => new { e.Name, e.BorrowerCommuneId, Borrower = e.BorrowerCommune.Name, e.Place, e.FirstDay, e.LastDay })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null || !(actor.IsAdmin || actor.IsStaff || actor.IsTechnician || actor.ActsFor(found.BorrowerCommuneId)))
        {
            return NotFound();
        }

        (Name, Borrower, Place, FirstDay, LastDay) = (found.Name, found.Borrower, found.Place, found.FirstDay, found.LastDay);
        Rows = await db.Loans.Where(l => EF.Property<int?>(l, EventRequest.LoanKey) == id)
            .OrderBy(l => l.Unit.Category.Name).ThenBy(l => l.Id)
            .Select(l => new Row(l.Id, l.Unit.Name, l.Unit.Category.Name,
                l.LenderCommune != null ? l.LenderCommune.Name : Equipment.EquipmentLabels.CommunityOwner, l.Status, l.EstimatedCost))
            .ToListAsync(cancellationToken);
        return Page();
    }
}
