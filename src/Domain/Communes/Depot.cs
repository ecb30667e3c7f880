using NetTopologySuite.Geometries;

namespace ValDrome.Domain.Communes;

/// <summary>A place of the community's where units are kept and tours start (the workshop at Eurre).</summary>
public sealed class Depot
{
    private Depot()
    {
    }

    public Depot(string name, string address, Commune commune, Point location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(commune);
        ArgumentNullException.ThrowIfNull(location);
        Name = name;
        Address = address;
        Commune = commune;
        Location = location;
    }

    public int Id { get; private set; }

    public string Name { get; private set; } = "";

    public string Address { get; private set; } = "";

    public int CommuneId { get; private set; }

    public Commune Commune { get; private set; } = null!;

    /// <summary>WGS84 geography point.</summary>
    public Point Location { get; private set; } = null!;
}
