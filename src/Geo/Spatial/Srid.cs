namespace ValDrome.Geo.Spatial;

/// <summary>The spatial reference systems ValDrome stores and serves.</summary>
public static class Srid
{
    /// <summary>WGS84 longitude/latitude: every stored geometry and everything sent to a browser.</summary>
    public const int Wgs84 = 4326;

    /// <summary>RGF93 / Lambert-93, what French GIS users expect (served on request only).</summary>
    public const int Lambert93 = 2154;
}
