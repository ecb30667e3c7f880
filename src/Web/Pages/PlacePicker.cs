namespace ValDrome.Web.Pages;

/// <summary>The map where a point is placed (a unit's home, a depot): its form fields under <paramref name="Prefix"/>.</summary>
public sealed record PlacePicker(string Prefix, string? Longitude, string? Latitude)
{
    public string Name(string field) => string.IsNullOrEmpty(Prefix) ? field : Prefix + "." + field;
}
