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

    /// <summary>Renames or moves the depot; the caller checked the point lies in the territory and in <paramref name="commune"/>.</summary>
    public void Change(string name, string address, Commune commune, Point location)
    {
        Check(name, address);
        ArgumentNullException.ThrowIfNull(commune);
        ArgumentNullException.ThrowIfNull(location);
        Name = name.Trim();
        Address = address.Trim();
        Commune = commune;
        CommuneId = commune.Id;
        Location = location;
    }

    /// <summary>Refuses, in French and naming the form field, what a depot cannot be.</summary>
    public static void Check(string name, string address)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new RuleException("Donnez un nom au dépôt (par exemple « Atelier d'Eurre »).", "Name");
        }

        if (name.Trim().Length > 120)
        {
            throw new RuleException("Le nom d'un dépôt est limité à 120 caractères.", "Name");
        }

        if (string.IsNullOrWhiteSpace(address))
        {
            throw new RuleException("Donnez l'adresse du dépôt.", "Address");
        }

        if (address.Trim().Length > 250)
        {
            throw new RuleException("L'adresse est limitée à 250 caractères.", "Address");
        }
    }
}
