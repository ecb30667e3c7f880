using System.Collections.Concurrent;
using PublicHoliday;

namespace ValDrome.Domain.Calendar;

/// <summary>
/// France's public holidays (metropolitan France: the Drôme), computed by the PublicHoliday
/// library rather than typed by hand: Easter and the days that follow it move every year.
/// Pentecost Monday is kept as a holiday, as the library and the Code du travail have it (ADR 18).
/// </summary>
public static class PublicHolidays
{
    private static readonly FrancePublicHoliday France = new();

    private static readonly ConcurrentDictionary<int, IReadOnlyDictionary<DateOnly, string>> Years = new();

    /// <summary>The holidays of a year (the library's days), with their French names (the library names some in English).</summary>
    public static IReadOnlyDictionary<DateOnly, string> In(int year) => Years.GetOrAdd(year, y =>
    {
        var french = new Dictionary<DateTime, string>
        {
            [FrancePublicHoliday.NewYear(y)] = "Jour de l'an",
            [FrancePublicHoliday.EasterMonday(y)] = "Lundi de Pâques",
            [FrancePublicHoliday.MayDay(y)] = "Fête du Travail",
            [FrancePublicHoliday.VictoryInEuropeDay(y)] = "Victoire 1945",
            [FrancePublicHoliday.Ascension(y)] = "Ascension",
            [FrancePublicHoliday.PentecostMonday(y)] = "Lundi de Pentecôte",
            [FrancePublicHoliday.National(y)] = "Fête nationale",
            [FrancePublicHoliday.Assumption(y)] = "Assomption",
            [FrancePublicHoliday.AllSaints(y)] = "Toussaint",
            [FrancePublicHoliday.Armistice(y)] = "Armistice 1918",
            [FrancePublicHoliday.Christmas(y)] = "Noël",
        };
        return France.PublicHolidayNames(y).ToDictionary(p => DateOnly.FromDateTime(p.Key), p => french.GetValueOrDefault(p.Key.Date, p.Value));
    });

    /// <summary>The holiday's French name, or null on an ordinary day.</summary>
    public static string? On(DateOnly day) => In(day.Year).GetValueOrDefault(day);
}
