using System.Globalization;
using System.Text;

namespace ValDrome.Geo.Spatial;

/// <summary>
/// A WGS84 longitude/latitude rectangle, as OGC API bbox parameters and tile bounds describe one.
/// <see cref="West"/> greater than <see cref="East"/> means the box crosses the antimeridian.
/// </summary>
public readonly record struct LonLatBox
{
    public LonLatBox(double west, double south, double east, double north)
    {
        if (!IsLongitude(west) || !IsLongitude(east))
        {
            throw new ArgumentOutOfRangeException(nameof(west), "Longitudes must be within [-180, 180].");
        }

        if (!IsLatitude(south) || !IsLatitude(north) || south > north)
        {
            throw new ArgumentOutOfRangeException(nameof(south), "Latitudes must be within [-90, 90], south first.");
        }

        West = west;
        South = south;
        East = east;
        North = north;
    }

    public double West { get; }

    public double South { get; }

    public double East { get; }

    public double North { get; }

    public bool CrossesAntimeridian => West > East;

    public static bool IsLongitude(double value) => double.IsFinite(value) && value is >= -180 and <= 180;

    public static bool IsLatitude(double value) => double.IsFinite(value) && value is >= -90 and <= 90;

    /// <summary>One box, or two when this one crosses the antimeridian (east part first).</summary>
    public IReadOnlyList<LonLatBox> SplitAtAntimeridian() => CrossesAntimeridian
        ? [new LonLatBox(West, South, 180, North), new LonLatBox(-180, South, East, North)]
        : [this];

    /// <summary>
    /// The box widened by <paramref name="degrees"/> on every side, clamped to the globe; for
    /// index prefilters that must not miss a feature to rounding.
    /// </summary>
    public LonLatBox Expand(double degrees) => CrossesAntimeridian
        ? throw new InvalidOperationException("Split the box at the antimeridian before expanding it.")
        : new LonLatBox(
            Math.Max(-180, West - degrees), Math.Max(-90, South - degrees),
            Math.Min(180, East + degrees), Math.Min(90, North + degrees));

    /// <summary>
    /// WKT of a polygon whose <c>geography</c> bounding box contains every point of this
    /// lon/lat rectangle, for a GiST-indexed <c>geography &amp;&amp; geography</c> prefilter.
    /// </summary>
    /// <remarks>
    /// PostGIS indexes geography by geocentric (x, y, z) boxes and joins vertices by great
    /// circles. The rectangle's meridian sides are great circles, but its parallels are not: a
    /// great circle between two corners bulges towards the pole, so the plain four-corner polygon
    /// can miss points near a parallel. On a parallel, x = cos φ cos λ and y = cos φ sin λ reach
    /// their extremes at the corners or where λ crosses 0°, ±90° or 180°; adding those
    /// longitudes as vertices on both parallels makes the polygon's box cover the whole
    /// rectangle. The caller still applies the exact planar test.
    /// </remarks>
    public string ToGeographyCoverWkt()
    {
        if (CrossesAntimeridian)
        {
            throw new InvalidOperationException("Split the box at the antimeridian first.");
        }

        var longitudes = new List<double> { West };
        foreach (var critical in (ReadOnlySpan<double>)[-90, 0, 90])
        {
            if (critical > West && critical < East)
            {
                longitudes.Add(critical);
            }
        }

        longitudes.Add(East);
        var (south, north) = (South, North);

        // A meridian side from pole to pole is an antipodal edge, which PostGIS refuses (« Antipodal
        // edge detected »): the whole-world box GIS clients send has two. A vertex at the middle
        // latitude halves every side longer than a quarter turn.
        var middle = (south + north) / 2;
        var halve = north - south > 90;
        var ring = new List<(double Lon, double Lat)>();
        ring.AddRange(longitudes.Select(lon => (lon, south)));
        if (halve)
        {
            ring.Add((East, middle));
        }

        ring.AddRange(Enumerable.Reverse(longitudes).Select(lon => (lon, north)));
        if (halve)
        {
            ring.Add((West, middle));
        }

        ring.Add(ring[0]);

        var wkt = new StringBuilder("POLYGON((");
        for (var i = 0; i < ring.Count; i++)
        {
            if (i > 0)
            {
                wkt.Append(',');
            }

            wkt.Append(CultureInfo.InvariantCulture, $"{ring[i].Lon:R} {ring[i].Lat:R}");
        }

        return wkt.Append("))").ToString();
    }
}
