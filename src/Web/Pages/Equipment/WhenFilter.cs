using System.Globalization;
using ValDrome.Domain.Loans;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>
/// « Quand ? »: the days a commune wants something (<c>?du=2027-07-12&amp;au=2027-07-14</c>), read
/// the same way by the catalogue, a unit's page and the map's GeoJSON. One day alone is
/// <c>du</c> without <c>au</c>.
/// </summary>
public sealed record WhenFilter(DateOnly First, DateOnly Last)
{
    /// <summary>A longer span says nothing useful about a unit (no category lends for more than a year).</summary>
    public const int MaxDays = 366;

    public string FreeLabel => FreeUnits.FreeLabel(First, Last);

    /// <summary>« du=…&amp;au=… », to carry the days on to another page.</summary>
    public string Query => string.Create(CultureInfo.InvariantCulture, $"du={First:yyyy-MM-dd}&au={Last:yyyy-MM-dd}");

    /// <summary>
    /// The filter, null when no day is given; false with a French sentence (and the parameter it is
    /// about) for a day that cannot be read, lies out of range, or ends before it starts.
    /// </summary>
    public static bool TryRead(string? du, string? au, DateOnly today, out WhenFilter? when, out string error, out string field)
    {
        when = null;
        (error, field) = ("", "du");
        if (string.IsNullOrWhiteSpace(du) && string.IsNullOrWhiteSpace(au))
        {
            return true;
        }

        if (string.IsNullOrWhiteSpace(du))
        {
            error = "Indiquez aussi le premier jour (« du »).";
            return false;
        }

        if (!DateParameters.TryDay(du.Trim(), today, out var first, out error))
        {
            return false;
        }

        var last = first;
        if (!string.IsNullOrWhiteSpace(au) && !DateParameters.TryDay(au.Trim(), today, out last, out error))
        {
            field = "au";
            return false;
        }

        if (last < first)
        {
            (error, field) = ("Le dernier jour doit être le même que le premier ou après lui.", "au");
            return false;
        }

        if (last.DayNumber - first.DayNumber + 1 > MaxDays)
        {
            (error, field) = ($"La période demandée est limitée à {MaxDays} jours.", "au");
            return false;
        }

        when = new WhenFilter(first, last);
        return true;
    }
}
