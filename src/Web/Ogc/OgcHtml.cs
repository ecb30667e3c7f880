using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using ValDrome.Domain;

namespace ValDrome.Web.Ogc;

/// <summary>
/// Renders the HTML views (Razor components in <c>Ogc/Views</c>) to bytes, so HTML answers get
/// the same strong ETag as JSON ones.
/// </summary>
internal static class OgcHtml
{
    private static readonly CultureInfo French = FrenchCulture.Instance;

    public static async Task<byte[]> RenderAsync<TComponent>(HttpContext http, Dictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(http.RequestServices, http.RequestServices.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
        return System.Text.Encoding.UTF8.GetBytes("<!DOCTYPE html>\n" + html);
    }

    /// <summary>A property value as a French reader expects it.</summary>
    public static string Display(object? value) => value switch
    {
        null => "—",
        bool b => b ? "oui" : "non",
        decimal d => d.ToString("N2", French),
        double d => d.ToString("G", French),
        int or long => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString("N0", French),
        DateTime t => t.ToString("d MMMM yyyy HH:mm", French),
        DateOnly day => day.ToString("d MMMM yyyy", French),
        _ => Convert.ToString(value, French) ?? "",
    };

    public static string TypeLabel(PropertyType type) => type switch
    {
        PropertyType.WholeNumber => "entier",
        PropertyType.Number => "nombre",
        PropertyType.Boolean => "booléen",
        PropertyType.Date => "date",
        PropertyType.DateTime => "date et heure",
        _ => "texte",
    };
}
