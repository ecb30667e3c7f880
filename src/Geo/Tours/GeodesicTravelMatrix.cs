using ValDrome.Geo.Spatial;

namespace ValDrome.Geo.Tours;

/// <summary>
/// Road estimates from WGS84 points without a road network: the geodesic distance on the
/// ellipsoid times a detour factor, driven at an average speed.
/// </summary>
public sealed class GeodesicTravelMatrix : ITravelMatrix
{
    private readonly double[,] _metres;
    private readonly double _metresPerSecond;

    /// <param name="points">Longitude and latitude of each location, in degrees.</param>
    /// <param name="detourFactor">Road distance over geodesic distance, at least 1 (1.3 is usual in the countryside).</param>
    /// <param name="kilometresPerHour">Average speed door to door.</param>
    public GeodesicTravelMatrix(IReadOnlyList<(double Longitude, double Latitude)> points, double detourFactor, double kilometresPerHour)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (!double.IsFinite(detourFactor) || detourFactor < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(detourFactor), detourFactor, "The detour factor must be at least 1.");
        }

        if (!double.IsFinite(kilometresPerHour) || kilometresPerHour <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(kilometresPerHour), kilometresPerHour, "Speed must be positive.");
        }

        var count = points.Count;
        _metres = new double[count, count];
        for (var i = 0; i < count; i++)
        {
            for (var j = i + 1; j < count; j++)
            {
                var metres = detourFactor * Geodesic.DistanceMetres(points[i].Longitude, points[i].Latitude, points[j].Longitude, points[j].Latitude);
                _metres[i, j] = metres;
                _metres[j, i] = metres;
            }
        }

        _metresPerSecond = kilometresPerHour / 3.6;
    }

    public int Count => _metres.GetLength(0);

    public double Metres(int origin, int destination) => _metres[origin, destination];

    public double Seconds(int origin, int destination) => _metres[origin, destination] / _metresPerSecond;
}
