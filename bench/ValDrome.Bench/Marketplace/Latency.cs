using System.Diagnostics;
using System.Globalization;

namespace ValDrome.Bench.Marketplace;

/// <summary>Latencies of one measure, in milliseconds, summarised by nearest-rank percentiles.</summary>
internal sealed record Latency(int Runs, double MedianMs, double P95Ms, double P99Ms, double MeanMs, double MaxMs)
{
    public static Latency Of(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return new Latency(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = milliseconds.Order().ToArray();
        return new Latency(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99), sorted.Average(), sorted[^1]);
    }

    public static double Since(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;

    public static string Format(double milliseconds) =>
        double.IsNaN(milliseconds) ? "—" : milliseconds.ToString(milliseconds < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture);

    private static double Rank(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
