using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace ValDrome.Geo.Spatial;

/// <summary>The one geometry factory: WGS84, floating precision.</summary>
public static class Geometries
{
    public static GeometryFactory Factory { get; } =
        NtsGeometryServices.Instance.CreateGeometryFactory(Srid.Wgs84);

    public static Point Point(double longitude, double latitude)
    {
        if (!double.IsFinite(longitude) || longitude is < -180 or > 180)
        {
            throw new ArgumentOutOfRangeException(nameof(longitude), longitude, "Longitude must be within [-180, 180].");
        }

        if (!double.IsFinite(latitude) || latitude is < -90 or > 90)
        {
            throw new ArgumentOutOfRangeException(nameof(latitude), latitude, "Latitude must be within [-90, 90].");
        }

        return Factory.CreatePoint(new Coordinate(longitude, latitude));
    }
}
