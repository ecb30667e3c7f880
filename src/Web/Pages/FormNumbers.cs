using System.Globalization;
using ValDrome.Domain;

namespace ValDrome.Web.Pages;

/// <summary>
/// Numbers as people type them in a form: « 1 234,5 », « 1234.5 » (a number input sends a dot
/// whatever the language), « 125,50 € ». Empty is null; anything else is a French refusal.
/// </summary>
public static class FormNumbers
{
    public static decimal? Parse(string? text, string what, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var normalized = text.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal)
            .Replace("\u202f", "", StringComparison.Ordinal).Replace("€", "", StringComparison.Ordinal).Replace(',', '.');
        return decimal.TryParse(normalized, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new RuleException($"« {text} » n'est pas un {what} valable (par exemple 1234,5).", field);
    }
}
