using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ValDrome.Domain.Transport;

/// <summary>
/// A mairie's opening hours per weekday, read as secretaries type them (ADR 18):
/// « lun.-ven. 8h30-12h », « mardi et jeudi 9h-12h, 14h-17h », « fermé le mercredi »,
/// « du lundi au vendredi 8h30 - 12h et 13h30 - 17h30 », « lundi, mardi 9h-12h ; jeudi 14h-18h ».
/// Hours without days are for every working day (Monday to Friday). Kept as a short canonical
/// text (<see cref="ToString"/>, which reads back the same), shown in French by <see cref="ToFrench"/>.
/// </summary>
public sealed partial class OpeningHours
{
    private static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    private static readonly string[] Short = ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"];

    private static readonly string[] Long = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

    private static readonly HashSet<string> Filler = new(StringComparer.Ordinal) { "du", "de", "le", "les", "la", "l'", ":", "et", "," };

    private readonly IReadOnlyList<(TimeOnly From, TimeOnly To)>[] _days;

    private OpeningHours(IReadOnlyList<(TimeOnly From, TimeOnly To)>[] days) => _days = days;

    /// <summary>Monday to Friday, mornings and afternoons: the hours of a mairie nobody has set.</summary>
    public const string Default = "08:30-12:00 13:30-17:00";

    public const int MaxPeriodsPerDay = 4;

    /// <summary>What may be typed, spaces and all.</summary>
    public const int MaxLength = 300;

    /// <summary>The canonical text of seven different days of four ranges fits in this.</summary>
    public const int StoredLength = 400;

    /// <summary>The ranges of <paramref name="day"/>, sorted and disjoint; empty when the mairie is closed.</summary>
    public IReadOnlyList<(TimeOnly From, TimeOnly To)> On(DayOfWeek day) => _days[(int)day];

    public bool IsOpenOn(DayOfWeek day) => _days[(int)day].Count > 0;

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
        if (text is { Length: > MaxLength })
        {
            error = $"Les horaires sont limités à {MaxLength} caractères (par exemple « lun.-ven. 8h30-12h, 13h30-17h »).";
            return false;
        }

        error = Read(text ?? "", out var days);
        if (error is null)
        {
            hours = new OpeningHours(days);
        }

        return error is null;
    }

    /// <summary>
    /// The canonical text: « 08:30-12:00 13:30-17:00 » when Monday to Friday alike and the weekend
    /// closed (as before days could be told apart), else groups of days: « lun-mar,jeu 09:00-12:00; ven 14:00-18:00 ».
    /// </summary>
    public override string ToString()
    {
        var groups = Groups();
        if (groups.Count == 1 && groups[0].Days.SequenceEqual(Week[..5]))
        {
            return Ranges(groups[0].Periods);
        }

        return string.Join("; ", groups.Select(g => $"{string.Join(',', Runs(g.Days).Select(r => r.Count == 1 ? Short[Index(r[0])] : $"{Short[Index(r[0])]}-{Short[Index(r[^1])]}"))} {Ranges(g.Periods)}"));

        static string Ranges(IReadOnlyList<(TimeOnly From, TimeOnly To)> periods) =>
            string.Join(' ', periods.Select(p => $"{p.From:HH\\:mm}-{p.To:HH\\:mm}"));
    }

    /// <summary>« du lundi au vendredi : 8 h 30 – 12 h, 13 h 30 – 17 h ; samedi : 9 h – 12 h ».</summary>
    public string ToFrench() => string.Join(" ; ", Groups().Select(g =>
        $"{FrenchDays(g.Days)}\u00a0: {string.Join(", ", g.Periods.Select(p => $"{Clock(p.From)} – {Clock(p.To)}"))}"));

    /// <summary>« 8 h 30 », « 12 h ».</summary>
    public static string Clock(TimeOnly time) =>
        time.Minute == 0 ? $"{time.Hour}\u00a0h" : string.Create(CultureInfo.InvariantCulture, $"{time.Hour}\u00a0h\u00a0{time.Minute:00}");

    private static string FrenchDays(IReadOnlyList<DayOfWeek> days)
    {
        var parts = new List<string>();
        foreach (var run in Runs(days))
        {
            if (run.Count >= 3)
            {
                parts.Add($"du {Long[Index(run[0])]} au {Long[Index(run[^1])]}");
            }
            else
            {
                parts.AddRange(run.Select(d => Long[Index(d)]));
            }
        }

        return parts.Count == 1 ? parts[0] : $"{string.Join(", ", parts[..^1])} et {parts[^1]}";
    }

    /// <summary>Days with the same ranges together, in the order of the week.</summary>
    private List<(List<DayOfWeek> Days, IReadOnlyList<(TimeOnly From, TimeOnly To)> Periods)> Groups()
    {
        var groups = new List<(List<DayOfWeek> Days, IReadOnlyList<(TimeOnly From, TimeOnly To)> Periods)>();
        foreach (var day in Week.Where(IsOpenOn))
        {
            var same = groups.FindIndex(g => g.Periods.SequenceEqual(On(day)));
            if (same >= 0)
            {
                groups[same].Days.Add(day);
            }
            else
            {
                groups.Add(([day], On(day)));
            }
        }

        return groups;
    }

    /// <summary>Consecutive days of the week as runs: Mon, Tue, Thu → [Mon, Tue], [Thu].</summary>
    private static List<List<DayOfWeek>> Runs(IReadOnlyList<DayOfWeek> days)
    {
        var runs = new List<List<DayOfWeek>>();
        foreach (var day in days.OrderBy(Index))
        {
            if (runs.Count > 0 && Index(runs[^1][^1]) == Index(day) - 1)
            {
                runs[^1].Add(day);
            }
            else
            {
                runs.Add([day]);
            }
        }

        return runs;
    }

    private static int Index(DayOfWeek day) => ((int)day + 6) % 7;

    private enum Kind
    {
        Day,
        Time,
        Dash,
        Until,
        GroupEnd,
        Closed,
        Filler,
        Unknown,
    }

    private sealed record Token(string Text, Kind Kind, DayOfWeek Day = default, TimeOnly Time = default);

    /// <summary>Reads the text into the week's ranges; returns the French reason it cannot, naming the faulty word.</summary>
    private static string? Read(string text, out IReadOnlyList<(TimeOnly From, TimeOnly To)>[] days)
    {
        days = [.. Enumerable.Range(0, 7).Select(_ => (IReadOnlyList<(TimeOnly, TimeOnly)>)[])];
        var open = Enumerable.Range(0, 7).Select(_ => new List<(TimeOnly From, TimeOnly To)>()).ToArray();
        var closed = new HashSet<DayOfWeek>();
        var tokens = Tokens(text);
        var groupDays = new List<DayOfWeek>();
        var groupPeriods = new List<(TimeOnly From, TimeOnly To)>();
        var closing = false;
        var rangeOfDays = false;
        var anyPeriod = false;

        string? EndGroup()
        {
            if (groupPeriods.Count == 0 && groupDays.Count > 0)
            {
                return $"Indiquez les heures d'ouverture du {FrenchDays(groupDays)} (par exemple « {Long[Index(groupDays[0])]} 9h-12h »).";
            }

            foreach (var day in groupDays.Count == 0 ? Week[..5] : groupDays.Distinct())
            {
                open[(int)day].AddRange(groupPeriods);
            }

            groupDays.Clear();
            groupPeriods.Clear();
            return null;
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            switch (token.Kind)
            {
                case Kind.Unknown:
                    return $"« {token.Text} » n'est ni un jour ni une heure : écrivez par exemple « mardi et jeudi 9h-12h, 14h-17h » ou « lun.-ven. 8h30-12h ».";
                case Kind.Filler:
                    break;
                case Kind.Closed:
                    closing = true;
                    break;
                case Kind.GroupEnd:
                    closing = false;
                    if (EndGroup() is { } missing)
                    {
                        return missing;
                    }

                    break;
                case Kind.Until:
                    if (i == 0 || tokens[i - 1].Kind != Kind.Day || i + 1 >= tokens.Count || tokens[i + 1].Kind != Kind.Day)
                    {
                        return $"« {token.Text} » doit relier deux jours (par exemple « du lundi au vendredi »).";
                    }

                    rangeOfDays = true;
                    break;
                case Kind.Dash:
                    if (i > 0 && tokens[i - 1].Kind == Kind.Day && i + 1 < tokens.Count && tokens[i + 1].Kind == Kind.Day)
                    {
                        rangeOfDays = true;
                        break;
                    }

                    return $"« {token.Text} » doit relier deux jours ou deux heures (par exemple « lun.-ven. » ou « 9h-12h »).";
                case Kind.Day:
                    var list = closing ? null : groupDays;
                    if (!closing && groupPeriods.Count > 0 && EndGroup() is { } incomplete)
                    {
                        return incomplete;
                    }

                    var span = new List<DayOfWeek> { token.Day };
                    if (rangeOfDays)
                    {
                        var from = Index(tokens[i - 2].Day);
                        // The first day of the range is already in; add the days after it, up to this one.
                        span = [.. Enumerable.Range(1, (Index(token.Day) - from + 7) % 7).Select(k => Week[(from + k) % 7])];
                        rangeOfDays = false;
                    }

                    if (closing)
                    {
                        closed.UnionWith(span);
                    }
                    else
                    {
                        list!.AddRange(span);
                    }

                    break;
                case Kind.Time:
                    if (i + 2 >= tokens.Count || tokens[i + 1].Kind != Kind.Dash || tokens[i + 2].Kind != Kind.Time)
                    {
                        var after = i + 1 < tokens.Count ? tokens[i + 1].Text : null;
                        return after is null || tokens[i + 1].Kind is Kind.Dash
                            ? $"« {token.Text} » : il manque l'heure de fermeture (par exemple « {token.Text}-12h »)."
                            : $"« {token.Text} {after} » n'est pas une plage horaire : écrivez l'ouverture et la fermeture reliées par un tiret (par exemple « 9h-12h »).";
                    }

                    var end = tokens[i + 2];
                    if (end.Time <= token.Time)
                    {
                        return $"« {token.Text}-{end.Text} » : l'heure de fermeture doit venir après celle d'ouverture.";
                    }

                    closing = false;
                    groupPeriods.Add((token.Time, end.Time));
                    anyPeriod = true;
                    i += 2;
                    break;
            }
        }

        if (EndGroup() is { } last)
        {
            return last;
        }

        if (!anyPeriod)
        {
            if (closed.Count == 0)
            {
                return "Indiquez au moins une plage horaire (par exemple « lun.-ven. 8h30-12h, 13h30-17h »).";
            }

            // « fermé le mercredi » alone: the usual hours, that day excepted.
            foreach (var day in Week[..5])
            {
                open[(int)day].AddRange([(new TimeOnly(8, 30), new TimeOnly(12, 0)), (new TimeOnly(13, 30), new TimeOnly(17, 0))]);
            }
        }

        foreach (var day in closed)
        {
            open[(int)day].Clear();
        }

        foreach (var day in Week)
        {
            var periods = open[(int)day];
            periods.Sort();
            if (periods.Count > MaxPeriodsPerDay)
            {
                return $"Indiquez au plus {MaxPeriodsPerDay} plages horaires par jour ; vous en avez saisi {periods.Count} pour le {Long[Index(day)]}.";
            }

            for (var k = 1; k < periods.Count; k++)
            {
                if (periods[k].From <= periods[k - 1].To)
                {
                    return $"Les plages horaires se chevauchent le {Long[Index(day)]} ({Clock(periods[k - 1].From)} – {Clock(periods[k - 1].To)} et {Clock(periods[k].From)} – {Clock(periods[k].To)}).";
                }
            }

            days[(int)day] = [.. periods];
        }

        return open.Any(d => d.Count > 0)
            ? null
            : "Ces horaires ferment la mairie tous les jours : indiquez au moins une plage horaire.";
    }

    /// <remarks>Minutes may follow « h » after a space (« 8 h 30 »), unless they are the next hour (« 12h 13h30 »).</remarks>
    private static List<Token> Tokens(string text)
    {
        var spaced = new StringBuilder();
        // « 8 h 30 » and « 12 h » as one word each; dashes of every kind as one; separators apart.
        var joined = SpacedClock().Replace(text.Replace('\u00a0', ' ').Replace('\u202f', ' '), "$1h$2");
        foreach (var c in joined)
        {
            if (c is '-' or '–' or '—' or '‑' or ',' or ';' or '/' or '\n' or '(' or ')')
            {
                spaced.Append(' ').Append(c is '–' or '—' or '‑' ? '-' : c).Append(' ');
            }
            else
            {
                spaced.Append(c);
            }
        }

        return [.. ColonAlone().Replace(spaced.ToString(), " : ")
            .Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries)
            .Select(Classify)];
    }

    private static Token Classify(string word)
    {
        var lower = word.ToLowerInvariant();
        var bare = lower.TrimEnd('.');
        if (bare is "-" or "à" or "a" or "jusqu'à")
        {
            return new Token(word, Kind.Dash);
        }

        if (bare is "au")
        {
            return new Token(word, Kind.Until);
        }

        if (bare is ";" or "/" or "\n")
        {
            return new Token(word, Kind.GroupEnd);
        }

        if (bare is "fermé" or "fermée" or "ferme" or "fermee" or "fermés" or "fermées" or "sauf")
        {
            return new Token(word, Kind.Closed);
        }

        if (Filler.Contains(bare) || bare is "(" or ")")
        {
            return new Token(word, Kind.Filler);
        }

        var day = Array.FindIndex(Long, d => d == bare || d + "s" == bare);
        day = day >= 0 ? day : Array.IndexOf(Short, bare);
        if (day >= 0)
        {
            return new Token(word, Kind.Day, Week[day]);
        }

        var clock = ClockWord().Match(bare);
        if (clock.Success)
        {
            var hour = int.Parse(clock.Groups[1].Value, CultureInfo.InvariantCulture);
            var minutes = clock.Groups[2].Success ? clock.Groups[2] : clock.Groups[3];
            var minute = minutes.Success ? int.Parse(minutes.Value, CultureInfo.InvariantCulture) : 0;
            if (hour < 24 && minute < 60)
            {
                return new Token(word, Kind.Time, Time: new TimeOnly(hour, minute));
            }
        }

        return new Token(word, Kind.Unknown);
    }

    [GeneratedRegex(@"(?<!\d)(\d{1,2})\s*[hH](?:\s*(\d{2})(?!\s*[hH:\d]))?")]
    private static partial Regex SpacedClock();

    /// <summary>A colon that is not inside a time (« jeudi : 9h-12h », « jeudi: »).</summary>
    [GeneratedRegex(@":(?!\d)")]
    private static partial Regex ColonAlone();

    [GeneratedRegex(@"^(\d{1,2})(?:h(\d{2})?|:(\d{2}))$")]
    private static partial Regex ClockWord();
}
