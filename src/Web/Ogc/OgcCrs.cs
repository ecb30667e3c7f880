namespace ValDrome.Web.Ogc;

/// <summary>A coordinate reference system the API answers in (OGC API – Features Part 2).</summary>
/// <param name="LatitudeFirst">EPSG:4326 orders its axes latitude, longitude (CRS84 is its lon/lat twin).</param>
/// <param name="Decimals">Rounding of written coordinates: 1e-6° is about 0.1 m, 0.01 m in Lambert-93.</param>
public sealed record OgcCrs(string Uri, int Srid, bool LatitudeFirst, int Decimals, string Title)
{
    public static OgcCrs Crs84 { get; } = new(
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84", ValDrome.Geo.Spatial.Srid.Wgs84, false, 6, "WGS 84 longitude/latitude (CRS84)");

    public static OgcCrs Wgs84 { get; } = new(
        "http://www.opengis.net/def/crs/EPSG/0/4326", ValDrome.Geo.Spatial.Srid.Wgs84, true, 6, "WGS 84 latitude/longitude (EPSG:4326)");

    public static OgcCrs Lambert93 { get; } = new(
        "http://www.opengis.net/def/crs/EPSG/0/2154", ValDrome.Geo.Spatial.Srid.Lambert93, false, 2, "RGF93 v1 / Lambert-93 (EPSG:2154)");

    public static IReadOnlyList<OgcCrs> Supported { get; } = [Crs84, Wgs84, Lambert93];

    public bool IsGeographic => Srid == ValDrome.Geo.Spatial.Srid.Wgs84;

    /// <summary>Lambert-93's area of use (metropolitan France and its coasts), widened: bbox values beyond it are refused.</summary>
    public static (double MinX, double MinY, double MaxX, double MaxY) Lambert93Domain { get; } = (-500_000, 5_900_000, 1_400_000, 7_300_000);

    public static OgcCrs? Find(string uri) => Supported.FirstOrDefault(c => c.Uri == uri);

    public string ContentCrsHeader => $"<{Uri}>";
}
