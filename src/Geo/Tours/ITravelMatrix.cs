namespace ValDrome.Geo.Tours;

/// <summary>
/// How far and how long between two locations of a tour problem, by location index. The solver
/// sees only this: geodesic estimates today, a road network later.
/// </summary>
public interface ITravelMatrix
{
    /// <summary>Number of locations; indices run from 0 to <c>Count - 1</c>.</summary>
    int Count { get; }

    /// <summary>Road distance in metres (or in the instance's own unit for benchmarks).</summary>
    double Metres(int origin, int destination);

    /// <summary>Driving time in seconds (or in the instance's own unit for benchmarks).</summary>
    double Seconds(int origin, int destination);
}
