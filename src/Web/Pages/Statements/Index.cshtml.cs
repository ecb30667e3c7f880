using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Statements;
using ValDrome.Jobs;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Statements;

/// <summary>The months with statements: an agent sees their commune's, staff and admins every commune's.</summary>
public sealed class IndexModel(ValDromeDb db, BuildMonthlyStatements build, TimeProvider time) : PageModel
{
    public sealed record MonthRow(DateOnly Month, decimal? Balance, string? Insee);

    public Actor Actor { get; private set; } = null!;

    public IReadOnlyList<MonthRow> Months { get; private set; } = [];

    /// <summary>For staff and admins: per month, what the communes paid for equipment and for services.</summary>
    public IReadOnlyDictionary<DateOnly, StatementQueries.MonthSplit> Splits { get; private set; } = new Dictionary<DateOnly, StatementQueries.MonthSplit>();

    /// <summary>The last twelve months with statements, oldest first, for the chart.</summary>
    public IReadOnlyList<StatementQueries.MonthSplit> ChartMonths =>
        [.. Months.Take(12).Select(m => Splits.GetValueOrDefault(m.Month) ?? new StatementQueries.MonthSplit(m.Month, 0, 0)).Reverse()];

    public DateOnly LastMonth { get; private set; }

    /// <summary>Set when the month was built by someone else (or before): nothing was written (409).</summary>
    public ConflictNotice? Conflict { get; private set; }

    [BindProperty]
    public string? Month { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    /// <summary>An admin builds a month now (for instance after a late return): it is written once, like the job does.</summary>
    public async Task<IActionResult> OnPostBuildAsync(CancellationToken cancellationToken)
    {
        if (!User.ToActor().IsAdmin)
        {
            return Forbid();
        }

        var (first, last) = await MonthlyStatements.BuildableMonthsAsync(db, time.Today(), cancellationToken);
        if (Month is null || !StatementQueries.TryParseMonth(Month, time.Today(), out var month, out _) || month > last || month < first)
        {
            ModelState.AddModelError(nameof(Month), first == last
                ? $"Seul le mois {FrenchNames.Of($"{last:MMMM yyyy}")} peut être établi."
                : $"Choisissez un mois terminé, entre {first:MMMM yyyy} et {last:MMMM yyyy}.");
            await LoadAsync(cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (!await build.RunForAsync(month, cancellationToken))
        {
            // Written once: a second build, at the same instant or later, writes nothing.
            var closedAt = await db.Statements.Where(s => s.Month == month).MinAsync(s => s.ClosedAt, cancellationToken);
            Conflict = new ConflictNotice(closedAt.ToParis().Date == TimeZoneInfo.ConvertTime(time.GetUtcNow(), ParisTime.Zone).Date
                    ? $"Les décomptes {FrenchNames.Of($"{month:MMMM yyyy}")} viennent d'être établis, à {closedAt.Clock()} : ils ne changent plus."
                    : $"Les décomptes {FrenchNames.Of($"{month:MMMM yyyy}")} ont déjà été établis, le {closedAt.ToParis():dd/MM/yyyy} à {closedAt.Clock()} : ils ne changent plus.",
                $"/decomptes/{month:yyyy-MM}", $"Voir les décomptes {FrenchNames.Of($"{month:MMMM yyyy}")}");
            await LoadAsync(cancellationToken);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        TempData["Message"] = $"Décomptes {FrenchNames.Of($"{month:MMMM yyyy}")} établis.";
        return Redirect($"/decomptes/{month:yyyy-MM}");
    }

    private DateOnly FirstOfThisMonth()
    {
        var today = time.Today();
        return new DateOnly(today.Year, today.Month, 1);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Actor = User.ToActor();
        LastMonth = FirstOfThisMonth().AddMonths(-1);
        if (Actor.IsStaff || Actor.IsAdmin)
        {
            Months = (await db.Statements.Select(s => s.Month).Distinct().OrderByDescending(m => m).ToListAsync(cancellationToken))
                .Select(m => new MonthRow(m, null, null)).ToList();
            Splits = (await StatementQueries.MonthSplitsAsync(db, cancellationToken)).ToDictionary(s => s.Month);
        }
        else if (Actor.CommuneId is { } commune)
        {
            var insee = await db.Communes.Where(c => c.Id == commune).Select(c => c.Insee).SingleAsync(cancellationToken);
            Months = await db.Statements.Where(s => s.CommuneId == commune).OrderByDescending(s => s.Month)
                .Select(s => new MonthRow(s.Month, s.Lines.Sum(l => l.Amount), insee)).ToListAsync(cancellationToken);
        }
    }
}
