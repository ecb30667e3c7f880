namespace ValDrome.Geo.Spatial;

/// <summary>
/// Distances on the WGS84 ellipsoid, computed in process when PostGIS is not at hand (benchmarks,
/// travel matrices built from a file). PostGIS stays the reference for stored points (ADR 0002).
/// </summary>
public static class Geodesic
{
    private const double SemiMajorAxis = 6_378_137.0;
    private const double Flattening = 1 / 298.257223563;
    private const double SemiMinorAxis = SemiMajorAxis * (1 - Flattening);

    /// <summary>Mean radius (2a + b) / 3, used only where the ellipsoidal iteration cannot converge.</summary>
    private const double MeanRadius = ((2 * SemiMajorAxis) + SemiMinorAxis) / 3;

    /// <summary>
    /// Length in metres of the geodesic between two points given in degrees, by Vincenty's
    /// inverse method (sub-millimetre on the ellipsoid). Nearly antipodal points, where the
    /// iteration does not converge, fall back to the great circle on the mean sphere.
    /// </summary>
    public static double DistanceMetres(double longitude1, double latitude1, double longitude2, double latitude2)
    {
        Check(longitude1, latitude1);
        Check(longitude2, latitude2);

        var reduced1 = Math.Atan((1 - Flattening) * Math.Tan(Radians(latitude1)));
        var reduced2 = Math.Atan((1 - Flattening) * Math.Tan(Radians(latitude2)));
        var (sin1, cos1) = Math.SinCos(reduced1);
        var (sin2, cos2) = Math.SinCos(reduced2);
        var longitudeDifference = Radians(longitude2 - longitude1);

        var lambda = longitudeDifference;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var (sinLambda, cosLambda) = Math.SinCos(lambda);
            var crossTerm = (cos1 * sin2) - (sin1 * cos2 * cosLambda);
            var sinSigma = Math.Sqrt((cos2 * sinLambda * cos2 * sinLambda) + (crossTerm * crossTerm));
            if (sinSigma == 0)
            {
                return 0;
            }

            var cosSigma = (sin1 * sin2) + (cos1 * cos2 * cosLambda);
            var sigma = Math.Atan2(sinSigma, cosSigma);
            var sinAzimuth = cos1 * cos2 * sinLambda / sinSigma;
            var cosSquaredAzimuth = 1 - (sinAzimuth * sinAzimuth);
            // On the equator the azimuth is 90° and the midpoint term vanishes.
            var cosDoubleMidpoint = cosSquaredAzimuth == 0 ? 0 : cosSigma - (2 * sin1 * sin2 / cosSquaredAzimuth);
            var c = Flattening / 16 * cosSquaredAzimuth * (4 + (Flattening * (4 - (3 * cosSquaredAzimuth))));
            var next = longitudeDifference + ((1 - c) * Flattening * sinAzimuth
                * (sigma + (c * sinSigma * (cosDoubleMidpoint + (c * cosSigma * ((2 * cosDoubleMidpoint * cosDoubleMidpoint) - 1))))));
            if (Math.Abs(next - lambda) > 1e-12)
            {
                lambda = next;
                continue;
            }

            var uSquared = cosSquaredAzimuth * ((SemiMajorAxis * SemiMajorAxis) - (SemiMinorAxis * SemiMinorAxis)) / (SemiMinorAxis * SemiMinorAxis);
            var a = 1 + (uSquared / 16384 * (4096 + (uSquared * (-768 + (uSquared * (320 - (175 * uSquared)))))));
            var b = uSquared / 1024 * (256 + (uSquared * (-128 + (uSquared * (74 - (47 * uSquared))))));
            var m2 = cosDoubleMidpoint * cosDoubleMidpoint;
            var deltaSigma = b * sinSigma * (cosDoubleMidpoint + (b / 4 * ((cosSigma * ((2 * m2) - 1))
                - (b / 6 * cosDoubleMidpoint * ((4 * sinSigma * sinSigma) - 3) * ((4 * m2) - 3)))));
            return SemiMinorAxis * a * (sigma - deltaSigma);
        }

        return GreatCircleMetres(longitude1, latitude1, longitude2, latitude2);
    }

    private static double GreatCircleMetres(double longitude1, double latitude1, double longitude2, double latitude2)
    {
        var sinHalfLatitude = Math.Sin(Radians(latitude2 - latitude1) / 2);
        var sinHalfLongitude = Math.Sin(Radians(longitude2 - longitude1) / 2);
        var h = (sinHalfLatitude * sinHalfLatitude)
            + (Math.Cos(Radians(latitude1)) * Math.Cos(Radians(latitude2)) * sinHalfLongitude * sinHalfLongitude);
        return 2 * MeanRadius * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    private static void Check(double longitude, double latitude)
    {
        if (!double.IsFinite(longitude) || longitude is < -180 or > 180)
        {
            throw new ArgumentOutOfRangeException(nameof(longitude), longitude, "Longitude must be within [-180, 180].");
        }

        if (!double.IsFinite(latitude) || latitude is < -90 or > 90)
        {
            throw new ArgumentOutOfRangeException(nameof(latitude), latitude, "Latitude must be within [-90, 90].");
        }
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
