namespace ValDrome.Domain;

/// <summary>
/// A count and its noun agreed the way French agrees them: the singular below two (« 0 jour »,
/// « 1 demi-journée », « 1,5 heure »), the plural from two on (« 2 heures »). Pages, PDFs, mails
/// and exports that put a number before a noun go through here rather than writing « jour(s) »
/// or a plural that is wrong for one (« 1 demi-journées »).
/// </summary>
public static class FrenchCount
{
    /// <summary>Whether the noun after <paramref name="count"/> takes the plural: from two on, whatever the sign.</summary>
    public static bool IsPlural(decimal count) => Math.Abs(count) >= 2;

    /// <summary>
    /// The noun alone, agreed with <paramref name="count"/>. Without <paramref name="plural"/>, the
    /// singular and an « s » (a word in « s », « x » or « z » stays as it is); a phrase
    /// (« jour de retard ») or an irregular plural is given, never guessed.
    /// </summary>
    public static string Noun(decimal count, string singular, string? plural = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(singular);
        if (!IsPlural(count))
        {
            return singular;
        }

        if (plural is not null)
        {
            return plural;
        }

        if (singular.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Give the plural of the phrase « {singular} »: only one word is put in the plural by rule.", nameof(plural));
        }

        return singular[^1] is 's' or 'x' or 'z' ? singular : singular + "s";
    }

    /// <summary>
    /// The count as fr-FR writes it (« 1,5 », « 1 200 ») and its noun, joined by a no-break space
    /// so that a line never ends between them: « 3 jours », « 1 demi-journée ».
    /// </summary>
    public static string Of(decimal count, string singular, string? plural = null) =>
        count.ToString("#,0.##", FrenchCulture.Instance) + "\u00a0" + Noun(count, singular, plural);
}
