using System.Globalization;

namespace ValDrome.Domain;

/// <summary>The one French the site, the mails and the exports speak: numbers, dates and money as fr-FR writes them.</summary>
public static class FrenchCulture
{
    public static CultureInfo Instance { get; } = CultureInfo.GetCultureInfo("fr-FR");
}
