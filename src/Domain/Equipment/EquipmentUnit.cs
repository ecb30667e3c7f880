using NetTopologySuite.Geometries;
using ValDrome.Domain.Communes;

namespace ValDrome.Domain.Equipment;

/// <summary>How a unit travels between communes.</summary>
public enum TransportNeed
{
    /// <summary>The borrower collects it with an ordinary car.</summary>
    None,

    /// <summary>The technician's van.</summary>
    Van,

    /// <summary>The truck and its trailer (machines): one at a time.</summary>
    TruckAndTrailer,
}

public enum UnitStatus
{
    InService,
    InMaintenance,
    Retired,
}

/// <summary>One lendable thing, owned by a commune or by the community itself.</summary>
public sealed class EquipmentUnit
{
    private EquipmentUnit()
    {
    }

    public EquipmentUnit(
        string inventoryCode,
        string name,
        EquipmentCategory category,
        Commune? ownerCommune,
        Point homeLocation,
        decimal dailyRate,
        TransportNeed transport)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inventoryCode);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(category);
        ArgumentNullException.ThrowIfNull(homeLocation);
        ArgumentOutOfRangeException.ThrowIfNegative(dailyRate);
        InventoryCode = inventoryCode;
        Name = name;
        Category = category;
        OwnerCommune = ownerCommune;
        HomeLocation = homeLocation;
        DailyRate = dailyRate;
        Transport = transport;
        Status = UnitStatus.InService;
    }

    public int Id { get; private set; }

    /// <summary>The owner's inventory code, unique (for example <c>CCVD-MP-01</c>).</summary>
    public string InventoryCode { get; private set; } = "";

    public string Name { get; private set; } = "";

    public string Description { get; set; } = "";

    public int CategoryId { get; private set; }

    public EquipmentCategory Category { get; private set; } = null!;

    /// <summary>The owning commune; null when the community itself owns the unit.</summary>
    public int? OwnerCommuneId { get; private set; }

    public Commune? OwnerCommune { get; private set; }

    /// <summary>Where the unit is kept when not lent, when that is one of the community's depots.</summary>
    public int? HomeDepotId { get; private set; }

    public Depot? HomeDepot { get; private set; }

    /// <summary>Where the unit is kept when not lent: WGS84 geography point.</summary>
    public Point HomeLocation { get; private set; } = null!;

    /// <summary>Euros per day of loan, excluding transport.</summary>
    public decimal DailyRate { get; private set; }

    public TransportNeed Transport { get; private set; }

    /// <summary>A licence or training the user must hold (for example "CACES R482 cat. A"), or null.</summary>
    public string? LicenceRequirement { get; set; }

    public bool HasHourMeter { get; set; }

    public UnitStatus Status { get; private set; }

    /// <summary>Why the unit cannot be lent when it is not in service (shown to users).</summary>
    public string? StatusReason { get; private set; }

    /// <summary>The last hour meter reading known (check-in or maintenance).</summary>
    public decimal? MeterReading { get; private set; }

    /// <summary>Highest hour meter reading taken: no machine of the community runs that long, and the columns hold less than a billion.</summary>
    public const decimal MaxMeterReading = 999_999m;

    /// <summary>Refuses (in French) a reading typed with too many digits.</summary>
    public static void CheckMeterReading(decimal? reading, string field)
    {
        if (reading > MaxMeterReading)
        {
            throw new RuleException($"Un compteur horaire ne dépasse pas {MaxMeterReading:N0} h : vérifiez le relevé ({reading:N1} h).", field);
        }
    }

    public void ReadMeter(decimal reading)
    {
        if (reading < 0 || (MeterReading is { } last && reading < last))
        {
            throw new ArgumentOutOfRangeException(nameof(reading), reading, "An hour meter does not go backwards.");
        }

        MeterReading = reading;
    }

    /// <summary>No lending until <see cref="BackInService"/> (an overdue regulatory inspection, a breakdown).</summary>
    public void Block(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Status = UnitStatus.InMaintenance;
        StatusReason = reason;
    }

    public void BackInService()
    {
        if (Status == UnitStatus.InMaintenance)
        {
            Status = UnitStatus.InService;
            StatusReason = null;
        }
    }

    /// <summary>Requests for this unit are approved at once, without waiting for the owner.</summary>
    public bool AutoApprove { get; set; }

    /// <summary>Overrides the category's transport margin for this unit.</summary>
    public int? TransportMarginDaysOverride { get; set; }

    public bool IsCommunityOwned => OwnerCommuneId is null;

    public int TransportMarginDays => TransportMarginDaysOverride ?? Category.TransportMarginDays;

    public void KeepAt(Depot depot)
    {
        ArgumentNullException.ThrowIfNull(depot);
        HomeDepot = depot;
        HomeLocation = depot.Location;
    }
}
