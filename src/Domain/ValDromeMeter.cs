using System.Diagnostics.Metrics;

namespace ValDrome.Domain;

/// <summary>ValDrome's own instruments that are measured where the work happens (the rest are read from the database at scrape time).</summary>
public static class ValDromeMeter
{
    public const string Name = "ValDrome";

    private static readonly Meter Meter = new(Name);

    /// <summary>Wall-clock time of one technician's day planned by the solver.</summary>
    public static readonly Histogram<double> TourPlanning =
        Meter.CreateHistogram<double>("valdrome.tours.planning.duration", "s", "Time to plan a technician's day");
}
