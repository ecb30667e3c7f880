using NetTopologySuite.Geometries;

namespace ValDrome.Geo.Territory;

/// <summary>One commune as read from the territory file: validated, repaired, ready to store.</summary>
/// <param name="Insee">INSEE code, five characters (2A/2B allowed for Corsica).</param>
/// <param name="LabelPoint">Reference point inside the boundary (the file's label point, else an interior point).</param>
/// <param name="AreaKm2">The area the file declares, kept to check the stored boundary against it.</param>
/// <param name="WasRepaired">True when the boundary was invalid and had to be fixed.</param>
public sealed record TerritoryCommune(
    string Insee,
    string Name,
    int Population,
    MultiPolygon Boundary,
    Point LabelPoint,
    double? AreaKm2,
    bool IsCurrentMember,
    DateOnly? LeftOn,
    bool WasRepaired);
