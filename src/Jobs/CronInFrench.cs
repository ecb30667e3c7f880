using System.Globalization;

namespace ValDrome.Jobs;

/// <summary>
/// The schedules of <see cref="RecurringJobs"/> as a secretary reads them: « tous les jours à 0 h 15 »,
/// « le 1er de chaque mois à 4 h », « toutes les 5 minutes ». Only the shapes the app uses are
/// described; any other cron comes back as it is, never as a wrong sentence.
/// </summary>
public static class CronInFrench
{
    private static readonly string[] Weekdays = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"];

    public static string Describe(string cron)
    {
        ArgumentNullException.ThrowIfNull(cron);
        var parts = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            return cron;
        }

        return parts switch
        {
            [var m, "*", "*", "*", "*"] when m.StartsWith("*/", StringComparison.Ordinal) && Number(m[2..], 1, 59) is { } every =>
                every == 1 ? "toutes les minutes" : $"toutes les {every} minutes",
            [var m, var h, "*", "*", "*"] when Clock(h, m) is { } at => $"tous les jours à {at}",
            [var m, var h, var d, "*", "*"] when Clock(h, m) is { } at && Number(d, 1, 31) is { } day =>
                $"le {(day == 1 ? "1er" : day.ToString(CultureInfo.InvariantCulture))} de chaque mois à {at}",
            [var m, var h, "*", "*", var w] when Clock(h, m) is { } at && Number(w, 0, 7) is { } weekday =>
                $"chaque {Weekdays[weekday % 7]} à {at}",
            _ => cron,
        };
    }

    /// <summary>« 0 h 15 », « 7 h » (with no-break spaces), as the site writes hours.</summary>
    private static string? Clock(string hour, string minute) =>
        (Number(hour, 0, 23), Number(minute, 0, 59)) switch
        {
            ({ } h, 0) => string.Create(CultureInfo.InvariantCulture, $"{h}\u00a0h"),
            ({ } h, { } m) => string.Create(CultureInfo.InvariantCulture, $"{h}\u00a0h\u00a0{m:00}"),
            _ => null,
        };

    private static int? Number(string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value : null;
}
