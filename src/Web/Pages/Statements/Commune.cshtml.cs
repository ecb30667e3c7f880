using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Statements;

/// <summary>One commune's statement for a month, line by line.</summary>
public sealed class CommuneModel(ValDromeDb db, TimeProvider time) : PageModel
{
    public DateOnly Month { get; private set; }

    public string Name { get; private set; } = "";

    public string Insee { get; private set; } = "";

    public IReadOnlyList<StatementQueries.Line> Lines { get; private set; } = [];

    public decimal Balance => Lines.Sum(l => l.Amount);

    public async Task<IActionResult> OnGetAsync(string mois, string insee, CancellationToken cancellationToken)
    {
        if (!StatementQueries.TryParseMonth(mois, time.Today(), out var month, out var error))
        {
            return this.BadRequestPage(error);
        }

        var actor = User.ToActor();
        var commune = await db.Communes.Where(c => c.Insee == insee).Select(c => new { c.Id, c.Name, c.Insee }).SingleOrDefaultAsync(cancellationToken);
        if (commune is null
            || !(actor.IsStaff || actor.IsAdmin || actor.ActsFor(commune.Id)))
        {
            return NotFound();
        }

        var statement = await db.Statements.Where(s => s.Month == month && s.CommuneId == commune.Id).Select(s => (int?)s.Id).SingleOrDefaultAsync(cancellationToken);
        if (statement is null)
        {
            return NotFound();
        }

        (Month, Name, Insee) = (month, commune.Name, commune.Insee);
        Lines = await StatementQueries.LinesAsync(db, statement.Value, cancellationToken);
        return Page();
    }
}
