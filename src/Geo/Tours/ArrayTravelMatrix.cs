namespace ValDrome.Geo.Tours;

/// <summary>A travel matrix given explicitly, for tests and for matrices computed elsewhere.</summary>
public sealed class ArrayTravelMatrix : ITravelMatrix
{
    private readonly double[,] _metres;
    private readonly double[,] _seconds;

    public ArrayTravelMatrix(double[,] metres, double[,] seconds)
    {
        ArgumentNullException.ThrowIfNull(metres);
        ArgumentNullException.ThrowIfNull(seconds);
        var count = metres.GetLength(0);
        if (metres.GetLength(1) != count || seconds.GetLength(0) != count || seconds.GetLength(1) != count)
        {
            throw new ArgumentException("Both matrices must be square and of the same size.", nameof(seconds));
        }

        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < count; j++)
            {
                if (!double.IsFinite(metres[i, j]) || metres[i, j] < 0 || !double.IsFinite(seconds[i, j]) || seconds[i, j] < 0)
                {
                    throw new ArgumentException($"Travel from {i} to {j} must be finite and non-negative.", nameof(metres));
                }
            }
        }

        _metres = (double[,])metres.Clone();
        _seconds = (double[,])seconds.Clone();
        Count = count;
    }

    public int Count { get; }

    public double Metres(int origin, int destination) => _metres[origin, destination];

    public double Seconds(int origin, int destination) => _seconds[origin, destination];

    /// <summary>Distance and time taken from one matrix of metres at a constant speed.</summary>
    public static ArrayTravelMatrix AtSpeed(double[,] metres, double metresPerSecond)
    {
        ArgumentNullException.ThrowIfNull(metres);
        if (!double.IsFinite(metresPerSecond) || metresPerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(metresPerSecond), metresPerSecond, "Speed must be positive.");
        }

        var seconds = new double[metres.GetLength(0), metres.GetLength(1)];
        for (var i = 0; i < metres.GetLength(0); i++)
        {
            for (var j = 0; j < metres.GetLength(1); j++)
            {
                seconds[i, j] = metres[i, j] / metresPerSecond;
            }
        }

        return new ArrayTravelMatrix(metres, seconds);
    }
}
