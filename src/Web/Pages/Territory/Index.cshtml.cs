using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Glance;

namespace ValDrome.Web.Pages.Territory;

/// <summary>
/// The territory at a glance (issue 13): per commune and month, what was borrowed, lent, used and
/// paid, and what borrowing saved on the road. Public like its OGC collection (ADR 26): monthly
/// totals per commune, no loan, person or purpose.
/// </summary>
public sealed class IndexModel(ValDromeDb db, TimeProvider time, IOptions<GlanceOptions> glance) : PageModel
{
    /// <summary>Months shown by the charts, ending with the chosen one.</summary>
    public const int TrendMonths = 12;

    public const string CollectionUrl = "/ogc/collections/territoire";

    [BindProperty(SupportsGet = true, Name = "mois")]
    public string? MonthText { get; set; }

    public DateOnly Month { get; private set; }

    public string MonthLabel => Month.ToString("MMMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>Every commune's row for the month; empty outside the months with activity.</summary>
    public IReadOnlyList<CommuneMonth> Rows { get; private set; } = [];

    public IReadOnlyList<CommuneMonth> Active => [.. Rows.Where(r => r.DaysBorrowed != 0 || r.DaysLent != 0 || r.ServiceHours != 0 || r.LoansBorrowed != 0 || r.Balance is not (null or 0))];

    public TerritoryMonth Totals { get; private set; } = null!;

    /// <summary>The <see cref="TrendMonths"/> months up to the chosen one, zeros where nothing happened.</summary>
    public IReadOnlyList<TerritoryMonth> Trend { get; private set; } = [];

    /// <summary>The months with activity, newest first (the chosen one always among them).</summary>
    public IReadOnlyList<DateOnly> Months { get; private set; } = [];

    public GlanceOptions Assumption => glance.Value;

    /// <summary>The map reads the month from the OGC collection; outside the months with activity, only the boundaries.</summary>
    public string MapUrl => Rows.Count > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{CollectionUrl}/items?mois={Month:yyyy-MM}&limit=1000&f=json")
        : Map.MapData.CommunesUrl;

    public string HirePlacesJson => JsonSerializer.Serialize(Assumption.Places.Select(p => new { nom = p.Name, lon = p.Longitude, lat = p.Latitude }));

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var today = time.Today();
        var months = await TerritoryGlance.MonthsAsync(db, glance.Value, cancellationToken);
        if (MonthText is null)
        {
            // The latest month begun with something in it; else this month.
            var thisMonth = new DateOnly(today.Year, today.Month, 1);
            Month = months.Where(m => m.Month <= thisMonth).Select(m => (DateOnly?)m.Month).LastOrDefault() ?? thisMonth;
        }
        else if (!DateParameters.TryMonth(MonthText, today, out var month, out var error))
        {
            return this.BadRequestPage(error);
        }
        else
        {
            Month = month;
        }

        Rows = await TerritoryGlance.MonthAsync(db, glance.Value, Month, cancellationToken);
        var byMonth = months.ToDictionary(m => m.Month);
        Trend = [.. Enumerable.Range(0, TrendMonths).Select(i => Month.AddMonths(i - TrendMonths + 1)).Select(m => byMonth.GetValueOrDefault(m) ?? Empty(m))];
        Totals = Trend[^1];
        Months = [.. months.Select(m => m.Month).Append(Month).Distinct().OrderDescending()];
        return Page();
    }

    private static TerritoryMonth Empty(DateOnly month) => new(month, 0, 0, 0, 0, 0, 0, null, null, null);
}
