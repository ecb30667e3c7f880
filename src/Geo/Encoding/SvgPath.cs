using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;

namespace ValDrome.Geo.Encoding;

/// <summary>
/// WGS84 geometries as SVG path data in the Web Mercator projection Leaflet draws with
/// (EPSG:3857, y pointing down), in whole units of <see cref="MetresPerUnit"/> projected metres,
/// every step relative to the last: a picture of the territory a page can carry cheaply.
/// </summary>
public static class SvgPath
{
    /// <summary>
    /// Twenty projected metres (about 14 m on the ground at 45° N) per unit: the territory, some
    /// 40 km across, is about 3,000 units wide, so a unit is a third of a pixel on a phone and
    /// the steps between vertices are two- or three-digit integers.
    /// </summary>
    public const double MetresPerUnit = 20;

    private const double EarthRadius = 6378137;

    private const double MaxLatitude = 85.0511287798066;

    /// <summary>A lon/lat position in the path's units: x east, y south.</summary>
    public static (double X, double Y) Project(double longitude, double latitude)
    {
        var phi = Math.Clamp(latitude, -MaxLatitude, MaxLatitude) * Math.PI / 180;
        var x = EarthRadius * longitude * Math.PI / 180;
        var y = EarthRadius * Math.Log(Math.Tan((Math.PI / 4) + (phi / 2)));
        return (x / MetresPerUnit, -y / MetresPerUnit);
    }

    /// <summary>The rings of a polygon or multipolygon as one path (holes cut by the even-odd or non-zero rule alike: they turn the other way).</summary>
    public static string Polygonal(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var path = new StringBuilder();
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            if (geometry.GetGeometryN(i) is not Polygon polygon)
            {
                throw new ArgumentException($"Only polygons are drawn as areas, not {geometry.GetGeometryN(i).GeometryType}.", nameof(geometry));
            }

            Ring(path, polygon.ExteriorRing);
            foreach (var hole in polygon.InteriorRings)
            {
                Ring(path, hole);
            }
        }

        return path.ToString();
    }

    private static void Ring(StringBuilder path, LineString ring)
    {
        var coordinates = ring.Coordinates;
        if (coordinates.Length < 4)
        {
            return;
        }

        // Each step is the difference of two rounded positions, so rounding never accumulates.
        var (x0, y0) = Rounded(coordinates[0]);
        path.Append(CultureInfo.InvariantCulture, $"M{x0} {y0}");
        var (lastX, lastY) = (x0, y0);
        var steps = 0;

        // The closing vertex repeats the first: « z » draws that side.
        for (var i = 1; i < coordinates.Length - 1; i++)
        {
            var (x, y) = Rounded(coordinates[i]);
            if (x == lastX && y == lastY)
            {
                continue;
            }

            path.Append(steps == 0 ? 'l' : ' ');

            path.Append(CultureInfo.InvariantCulture, $"{x - lastX} {y - lastY}");
            (lastX, lastY) = (x, y);
            steps++;
        }

        path.Append('z');
    }

    /// <summary>A lon/lat position in whole path units, as the paths' vertices are written: a mark drawn there sits on them.</summary>
    public static (long X, long Y) Position(double longitude, double latitude)
    {
        var (x, y) = Project(longitude, latitude);
        return ((long)Math.Round(x), (long)Math.Round(y));
    }

    private static (long X, long Y) Rounded(Coordinate coordinate) => Position(coordinate.X, coordinate.Y);
}
