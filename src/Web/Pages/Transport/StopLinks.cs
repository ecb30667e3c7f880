using System.Globalization;

namespace ValDrome.Web.Pages.Transport;

/// <summary>
/// Links a phone follows from a stop: call the mairie, open the navigation app (a geo: URI, which
/// Android hands to the installed GPS app) or, where geo: is not understood, OpenStreetMap's
/// directions to the stop.
/// </summary>
public static class StopLinks
{
    /// <summary>A tel: URI keeps the digits and a leading +, nothing else (« 04 75 25 00 00 » → tel:0475250000).</summary>
    public static string Tel(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        var trimmed = phone.Trim();
        var digits = new string([.. trimmed.Where(char.IsAsciiDigit)]);
        return "tel:" + (trimmed.StartsWith('+') ? "+" : "") + digits;
    }

    public static string Geo(double latitude, double longitude, string label) =>
        string.Create(CultureInfo.InvariantCulture, $"geo:{latitude:0.######},{longitude:0.######}?q={latitude:0.######},{longitude:0.######}({Uri.EscapeDataString(label)})");

    public static string Directions(double latitude, double longitude) =>
        string.Create(CultureInfo.InvariantCulture, $"https://www.openstreetmap.org/directions?engine=fossgis_osrm_car&route=%3B{latitude:0.######}%2C{longitude:0.######}");
}
