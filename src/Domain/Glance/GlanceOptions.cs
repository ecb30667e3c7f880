using System.Globalization;

namespace ValDrome.Domain.Glance;

/// <summary>
/// Section <c>ValDrome:Glance</c>: the assumption behind the kilometres and CO₂ the territory page
/// says pooling saved (ADR 26). Without the pool, a commune would have rented the unit from the
/// nearest hire company and driven there and back; with it, the unit came from where it is kept.
/// </summary>
public sealed class GlanceOptions
{
    public const string Section = "ValDrome:Glance";

    /// <summary>Where a commune would have rented; unset, <see cref="DefaultHireCompanies"/>. A configured list replaces it whole.</summary>
    public IList<HirePlace>? HireCompanies { get; set; }

    /// <summary>Round trips to the hire company a loan stands for (one: fetched, used, brought back together with the next trip).</summary>
    public double RoundTripsPerLoan { get; set; } = 1;

    /// <summary>Road distance ÷ geodesic distance, the same 1.3 the tours use on these roads (ValDrome:Transport:DetourFactor).</summary>
    public double DetourFactor { get; set; } = 1.3;

    /// <summary>
    /// Grams of CO₂ (equivalent) per kilometre driven by the light utility vehicle (VUL) a commune
    /// would fetch a hired machine with. 264 = 3,1 kg CO₂e per litre of road diesel (ADEME Base
    /// Carbone, « gazole B7 », France continentale, upstream and combustion, after its 2025 update of
    /// fossil fuels on the GLEC basis; as cited by ADEME's Nos Gestes Climat, « empreinte au litre »)
    /// × 8,5 L/100 km (average consumption of VUL, CGDD). The 3,17 kg/L used before (so 270 g/km)
    /// is the older factor of the arrêté of 26 April 2017 (GHG information on transport services:
    /// 0,66 upstream + 2,51 combustion), about 2 % higher. Check both figures against the current
    /// Base Carbone (its « Transport de marchandises › Routier › VUL » per-km factors) before
    /// publishing; a deployment sets its own with <c>ValDrome__Glance__GramsCo2PerKm</c>.
    /// </summary>
    public double GramsCo2PerKm { get; set; } = 264;

    /// <summary>The source of <see cref="GramsCo2PerKm"/>, shown on the page under the figures.</summary>
    public string EmissionFactorSource { get; set; } =
        "ADEME, Base Carbone : gazole routier B7, 3,1 kg CO₂e par litre (amont et combustion, mise à jour 2025), pour un véhicule "
        + "utilitaire léger consommant 8,5 L aux 100 km (moyenne des VUL, CGDD)";

    /// <summary>
    /// Rental firms' yards are not data we hold: the town centres of Crest and Valence, where the
    /// nearest ones are, stand for them. Set the real addresses' coordinates in production.
    /// </summary>
    public static IReadOnlyList<HirePlace> DefaultHireCompanies { get; } =
    [
        new() { Name = "Crest", Longitude = 5.0226, Latitude = 44.7283 },
        new() { Name = "Valence", Longitude = 4.8920, Latitude = 44.9333 },
    ];

    public IReadOnlyList<HirePlace> Places => HireCompanies is { Count: > 0 } configured ? [.. configured] : DefaultHireCompanies;

    /// <summary>The settings are turned into SQL literals: anything out of range stops the site at start.</summary>
    public bool IsValid(out string error)
    {
        error = "";
        foreach (var place in Places)
        {
            if (string.IsNullOrWhiteSpace(place.Name) || place.Name.Length > 100
                || !double.IsFinite(place.Longitude) || place.Longitude is < -180 or > 180
                || !double.IsFinite(place.Latitude) || place.Latitude is < -90 or > 90)
            {
                error = string.Create(CultureInfo.InvariantCulture,
                    $"{Section}:HireCompanies: each needs a Name (100 characters at most), a Longitude in [-180, 180] and a Latitude in [-90, 90] (got '{place.Name}', {place.Longitude}, {place.Latitude}).");
                return false;
            }
        }

        if (!double.IsFinite(RoundTripsPerLoan) || RoundTripsPerLoan is < 0 or > 10)
        {
            error = $"{Section}:RoundTripsPerLoan goes from 0 to 10.";
        }
        else if (!double.IsFinite(DetourFactor) || DetourFactor is < 1 or > 3)
        {
            error = $"{Section}:DetourFactor goes from 1 to 3.";
        }
        else if (!double.IsFinite(GramsCo2PerKm) || GramsCo2PerKm is < 0 or > 2000)
        {
            error = $"{Section}:GramsCo2PerKm goes from 0 to 2000.";
        }
        else if (string.IsNullOrWhiteSpace(EmissionFactorSource))
        {
            error = $"{Section}:EmissionFactorSource names where the emission factor comes from.";
        }

        return error.Length == 0;
    }
}

/// <summary>A hire company's yard (or the town that stands for it), in WGS84 degrees.</summary>
public sealed class HirePlace
{
    public string Name { get; set; } = "";

    public double Longitude { get; set; }

    public double Latitude { get; set; }
}
