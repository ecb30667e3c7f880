using System.Globalization;

namespace ValDrome.Domain.Transport;

/// <summary>Opening hours as typed by people: « 08:30-12:00 13:30-17:00 ». Sorted, disjoint, checked.</summary>
public sealed record OpeningHours
{
    private OpeningHours(IReadOnlyList<(TimeOnly From, TimeOnly To)> periods) => Periods = periods;

    public const string Default = "08:30-12:00 13:30-17:00";

    /// <summary>Eight ranges of « HH:mm-HH:mm » fit the 100 characters the commune's column holds.</summary>
    public const int MaxPeriods = 8;

    /// <summary>What may be typed, spaces and all.</summary>
    public const int MaxLength = 200;

    public IReadOnlyList<(TimeOnly From, TimeOnly To)> Periods { get; }

    public static OpeningHours Parse(string text)
    {
        if (!TryParse(text, out var hours, out var error))
        {
            throw new RuleException(error!, "OpeningHours");
        }

        return hours!;
    }

    public static bool TryParse(string? text, out OpeningHours? hours, out string? error)
    {
        hours = null;
        error = null;
        if (text is { Length: > MaxLength })
        {
            error = $"Les horaires sont limités à {MaxLength} caractères (par exemple 08:30-12:00 13:30-17:00).";
            return false;
        }

        var periods = new List<(TimeOnly, TimeOnly)>();
        foreach (var part in (text ?? "").Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            var ends = part.Split('-');
            if (ends.Length != 2
                || !TimeOnly.TryParseExact(AsClock(ends[0]), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
                || !TimeOnly.TryParseExact(AsClock(ends[1]), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
                || to <= from)
            {
                error = $"« {part} » n'est pas une plage horaire valable (par exemple 08:30-12:00).";
                return false;
            }

            periods.Add((from, to));
        }

        if (periods.Count == 0)
        {
            error = "Indiquez au moins une plage horaire (par exemple 08:30-12:00 13:30-17:00).";
            return false;
        }

        if (periods.Count > MaxPeriods)
        {
            error = $"Indiquez au plus {MaxPeriods} plages horaires ; vous en avez saisi {periods.Count}.";
            return false;
        }

        periods.Sort();
        for (var i = 1; i < periods.Count; i++)
        {
            if (periods[i].Item1 <= periods[i - 1].Item2)
            {
                error = "Les plages horaires se chevauchent.";
                return false;
            }
        }

        hours = new OpeningHours(periods);
        return true;
    }

    public override string ToString() => string.Join(' ', Periods.Select(p => $"{p.From:HH\\:mm}-{p.To:HH\\:mm}"));

    /// <summary>« 9h », « 13h30 » and « 13:30 » as « 9:00 », « 13:30 », « 13:30 ».</summary>
    private static string AsClock(string end) => end.EndsWith('h') ? end[..^1] + ":00" : end.Replace('h', ':');
}
