namespace ValDrome.Geo.Tours;

/// <summary>
/// Straight-line distances between plane coordinates, in double precision, and travel time as
/// distance divided by a speed: the convention of the Li &amp; Lim and Solomon benchmarks.
/// </summary>
public sealed class EuclideanTravelMatrix : ITravelMatrix
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double _speed;

    public EuclideanTravelMatrix(IReadOnlyList<(double X, double Y)> points, double speed = 1)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (!double.IsFinite(speed) || speed <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "Speed must be positive.");
        }

        if (points.Any(p => !double.IsFinite(p.X) || !double.IsFinite(p.Y)))
        {
            throw new ArgumentException("Coordinates must be finite.", nameof(points));
        }

        _x = [.. points.Select(p => p.X)];
        _y = [.. points.Select(p => p.Y)];
        _speed = speed;
    }

    public int Count => _x.Length;

    public double Metres(int origin, int destination)
    {
        var dx = _x[origin] - _x[destination];
        var dy = _y[origin] - _y[destination];
        return Math.Sqrt((dx * dx) + (dy * dy));
    }

    public double Seconds(int origin, int destination) => Metres(origin, destination) / _speed;
}
