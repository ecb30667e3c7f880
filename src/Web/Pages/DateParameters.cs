using System.Globalization;

namespace ValDrome.Web.Pages;

/// <summary>
/// Days and months read from addresses (<c>?jour=2026-12-02</c>, <c>?mois=2026-12</c>,
/// <c>/decomptes/2026-11</c>): one format each, and a sane range around today, so that
/// <c>9999-12-31</c> or <c>0001-01</c> is a French 400 here rather than an overflow further down.
/// The rules of the domain (a delivery not in the future, a request within its horizon) still
/// apply inside that range.
/// </summary>
public static class DateParameters
{
    /// <summary>History worth reading: statements, tours and calendars of the last ten years.</summary>
    public const int YearsBack = 10;

    /// <summary>Far enough for any request within its horizon (18 months by default) and its tours.</summary>
    public const int YearsAhead = 3;

    public static DateOnly Earliest(DateOnly today) => new DateOnly(today.Year, 1, 1).AddYears(-YearsBack);

    public static DateOnly Latest(DateOnly today) => new DateOnly(today.Year, 12, 31).AddYears(YearsAhead);

    /// <summary>A day as <c>2026-12-02</c> within the range; else false and the French sentence to show.</summary>
    public static bool TryDay(string? text, DateOnly today, out DateOnly day, out string error)
    {
        error = "";
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            error = $"« {Shown(text)} » n'est pas une date valable (par exemple {today:yyyy-MM-dd}).";
            return false;
        }

        return InRange(day, today, out error);
    }

    /// <summary>A month as <c>2026-12</c> within the range (its first day); else false and the French sentence to show.</summary>
    public static bool TryMonth(string? text, DateOnly today, out DateOnly month, out string error)
    {
        error = "";
        if (!DateOnly.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out month))
        {
            error = $"« {Shown(text)} » n'est pas un mois valable : utilisez la forme {today:yyyy-MM}.";
            return false;
        }

        return InRange(month, today, out error);
    }

    /// <summary>A day bound from a form (<see cref="DateOnly"/>) within the range; else false and the French sentence.</summary>
    public static bool InRange(DateOnly day, DateOnly today, out string error)
    {
        var (earliest, latest) = (Earliest(today), Latest(today));
        error = day < earliest || day > latest
            ? $"La date du {day:dd/MM/yyyy} est hors de la période gérée (du {earliest:dd/MM/yyyy} au {latest:dd/MM/yyyy})."
            : "";
        return error.Length == 0;
    }

    // What was typed, shortened: a 5,000-character value is not echoed whole.
    private static string Shown(string? text) => text is { Length: > 40 } ? text[..40] + "…" : text ?? "";
}
