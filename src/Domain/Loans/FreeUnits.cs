using Microsoft.EntityFrameworkCore;

namespace ValDrome.Domain.Loans;

/// <summary>
/// « Quand ? »: which units of a list are free on some days, for the catalogue and the map. The
/// test is <see cref="NearestAvailable"/>'s own (in service, and no active booking over the days
/// widened by the unit's transport margin), run in PostgreSQL on the units' booked days (ADR 9).
/// </summary>
public static class FreeUnits
{
    /// <summary>The ids among <paramref name="unitIds"/> that could be lent from <paramref name="firstDay"/> to <paramref name="lastDay"/>.</summary>
    public static async Task<IReadOnlySet<int>> AmongAsync(
        ValDromeDb db, IReadOnlyCollection<int> unitIds, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(unitIds);
        if (unitIds.Count == 0)
        {
            return new HashSet<int>();
        }

        var ids = unitIds.ToArray();
        var free = await db.Database.SqlQuery<int>($"""
            SELECT u.id AS "Value"
            FROM equipment_units u JOIN equipment_categories c ON c.id = u.category_id
            WHERE u.id = ANY({ids}) AND u.status = 'InService'
              AND NOT u.booked && daterange(
                  {firstDay} - COALESCE(u.transport_margin_days_override, c.transport_margin_days),
                  {lastDay} + COALESCE(u.transport_margin_days_override, c.transport_margin_days) + 1, '[)')
            """).ToListAsync(cancellationToken);
        return free.ToHashSet();
    }

    /// <summary>« Libre du 12 au 14 juillet » (« Libre le 12 juillet » for one day).</summary>
    public static string FreeLabel(DateOnly firstDay, DateOnly lastDay) => "Libre " + Days(firstDay, lastDay);

    /// <summary>« du 12 au 14 juillet », « du 30 juin au 2 juillet », « le 12 juillet ».</summary>
    public static string Days(DateOnly firstDay, DateOnly lastDay)
    {
        var french = FrenchCulture.Instance;
        string Day(DateOnly d, bool withMonth, bool withYear) =>
            (d.Day == 1 ? "1er" : d.Day.ToString(french)) + (withMonth ? " " + d.ToString("MMMM", french) : "") + (withYear ? " " + d.Year.ToString(french) : "");
        if (firstDay == lastDay)
        {
            return "le " + Day(firstDay, true, false);
        }

        var sameMonth = firstDay.Month == lastDay.Month && firstDay.Year == lastDay.Year;
        var sameYear = firstDay.Year == lastDay.Year;
        return $"du {Day(firstDay, !sameMonth, !sameYear)} au {Day(lastDay, true, !sameYear)}";
    }
}
