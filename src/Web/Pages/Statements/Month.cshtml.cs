using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Statements;

/// <summary>The community's view of a month: every commune's balance, the totals, and a chart.</summary>
public sealed class MonthModel(ValDromeDb db, TimeProvider time) : PageModel
{
    public DateOnly Month { get; private set; }

    public IReadOnlyList<StatementQueries.Summary> Rows { get; private set; } = [];

    public decimal PaidByBorrowers => -Rows.Sum(r => r.Charges);

    public decimal CreditedToLenders => Rows.Where(r => r.CommuneId is not null).Sum(r => r.Credits);

    public decimal CommunityShare => Rows.Where(r => r.CommuneId is null).Sum(r => r.Credits);

    /// <summary>What the communes paid for the services aux communes (part of the community's share).</summary>
    public decimal ServicesPaid => -Rows.Where(r => r.CommuneId is not null).Sum(r => r.Services);

    public async Task<IActionResult> OnGetAsync(string mois, CancellationToken cancellationToken)
    {
        if (!StatementQueries.TryParseMonth(mois, time.Today(), out var month, out var error))
        {
            return this.BadRequestPage(error);
        }

        var actor = User.ToActor();
        if (!actor.IsStaff && !actor.IsAdmin)
        {
            // An agent sees the month through their own commune's statement.
            var insee = await db.Communes.Where(c => c.Id == actor.CommuneId).Select(c => c.Insee).SingleOrDefaultAsync(cancellationToken);
            return insee is null ? Forbid() : Redirect($"/decomptes/{mois}/{insee}");
        }

        Month = month;
        Rows = await StatementQueries.MonthAsync(db, month, cancellationToken);
        return Rows.Count == 0 ? NotFound() : Page();
    }
}
