namespace ValDrome.Domain.Transport;

/// <summary>Section <c>ValDrome:Transport</c>: how the technician's day is planned.</summary>
public sealed class TransportOptions
{
    public const string Section = "ValDrome:Transport";

    /// <summary>Road distance ÷ geodesic distance on these mountain roads (until pgRouting is loaded).</summary>
    public double DetourFactor { get; set; } = 1.3;

    public double AverageSpeedKmh { get; set; } = 50;

    public TimeOnly DayStart { get; set; } = new(8, 0);

    public TimeOnly DayEnd { get; set; } = new(17, 30);

    /// <summary>The lunch break is taken somewhere in this window.</summary>
    public TimeOnly LunchFrom { get; set; } = new(11, 45);

    public TimeOnly LunchTo { get; set; } = new(14, 0);

    public int LunchMinutes { get; set; } = 60;

    /// <summary>One truck with its trailer: room for one machine (10) and a small item or two (2 each).</summary>
    public string VehicleName { get; set; } = "Camion et remorque porte-engin";

    public int VehicleCapacity { get; set; } = 12;

    public int MachineLoad { get; set; } = 10;

    public int SmallItemLoad { get; set; } = 2;

    /// <summary>Loading or unloading, signing the form.</summary>
    public int MachineServiceMinutes { get; set; } = 30;

    public int SmallItemServiceMinutes { get; set; } = 15;

    /// <summary>
    /// The planner's budget for one day. Most days are solved exactly well within it; when the
    /// exact search gives up, OR-Tools' search ends on time but its model is built on top, so
    /// the answer can take about 0.1 s more (bench/README.md: 0.7 s gives at most 0.79 s, 1 s up
    /// to 1.09 s): 0.8 s keeps the day under a second.
    /// </summary>
    public double PlannerSeconds { get; set; } = 0.8;

    /// <summary>
    /// How much earlier (later) than <see cref="DayStart"/> (<see cref="DayEnd"/>) the technician
    /// leaves (is back) to be on a works site for the hours the commune booked (ADR 27).
    /// </summary>
    public int VisitStretchMinutes { get; set; } = 60;

    /// <summary>Opening hours of the depot (the community's workshop).</summary>
    public string DepotHours { get; set; } = "07:30-18:00";
}
