using System.Globalization;

namespace ValDrome.Domain;

/// <summary>
/// A name put after « de » or « à » the way French writes it: « d'Allex », « du Poët-Célard »,
/// « des Tonils », « de La Répara-Auriples », « au Poët-Célard », « du dépôt » (from « le dépôt »).
/// A commune's own article is part of its name (COG): « Le » and « Les » contract with the
/// preposition, « La » and « L' » keep their capital. Pages, mails and seeds all go through here.
/// </summary>
public static class FrenchNames
{
    /// <summary>
    /// Words starting with an aspirated h, which takes no elision (« de Hangar », not « d'Hangar »);
    /// any other initial h is mute (« d'Hauterives »).
    /// </summary>
    private static readonly string[] AspiratedH = ["haie", "hall", "halle", "hameau", "hangar", "harnais", "haut", "haute", "hauteur", "hache", "housse", "hotte", "houe", "hutte"];

    /// <summary>One French sort order for every list of names, the same as the <c>french</c> collation of the database.</summary>
    public static StringComparer Comparer { get; } = StringComparer.Create(FrenchCulture.Instance, CompareOptions.None);

    /// <summary>« de » and the name: « d'Eurre », « du Poët-Célard », « des Tonils », « de Grane ».</summary>
    public static string Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Article(name) switch
        {
            ("Le" or "le", var rest) => "du " + rest,
            ("Les" or "les", var rest) => "des " + rest,
            _ => Elides(name) ? "d'" + name : "de " + name,
        };
    }

    /// <summary>« à » and the name: « à Allex », « au Poët-Célard », « aux Tonils », « à La Roche-sur-Grane ».</summary>
    public static string At(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Article(name) switch
        {
            ("Le" or "le", var rest) => "au " + rest,
            ("Les" or "les", var rest) => "aux " + rest,
            _ => "à " + name,
        };
    }

    private static (string Word, string Remainder) Article(string name)
    {
        var space = name.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? (name[..space], name[(space + 1)..]) : ("", name);
    }

    private static bool Elides(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        // « é » and « É » fold to « e »: accents never stop an elision.
        var first = char.ToLowerInvariant(name.Normalize(System.Text.NormalizationForm.FormD)[0]);
        if (first is 'a' or 'e' or 'i' or 'o' or 'u' or 'y' or 'œ' or 'æ')
        {
            return true;
        }

        if (first != 'h')
        {
            return false;
        }

        var word = name.Split(' ', '-', '\'')[0];
        return !AspiratedH.Contains(word, StringComparer.OrdinalIgnoreCase);
    }
}
