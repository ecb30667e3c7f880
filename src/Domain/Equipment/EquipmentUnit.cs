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

    /// <summary>Kept at a point of its own (the mairie's, or one placed on the map); the caller checked it lies in the territory.</summary>
    public void KeepAt(Point point)
    {
        ArgumentNullException.ThrowIfNull(point);
        HomeDepot = null;
        HomeDepotId = null;
        HomeLocation = point;
    }

    /// <summary>Euros asked as a guarantee when the unit is lent (0: none).</summary>
    public decimal Deposit { get; private set; }

    /// <summary>What the borrower must know and respect (shown on the unit's page).</summary>
    public string ConditionsOfUse { get; private set; } = "";

    /// <summary>The longest loan of this unit, in days; null: the category's.</summary>
    public int? MaxLoanDaysOverride { get; private set; }

    /// <summary>When the unit left the catalogue; its loans and statements stay.</summary>
    public DateTimeOffset? RetiredAt { get; private set; }

    /// <summary>
    /// Bumped by each edit from the catalogue's form, and checked by EF Core on every update of
    /// the row: of two owners saving the same form at once, the second writes nothing. Not xmin,
    /// which the booking triggers (ADR 9) change at every loan request.
    /// </summary>
    public int EditVersion { get; private set; }

    public const int MaxNameLength = 120;

    public const int MaxTextLength = 2000;

    public const int MaxLicenceLength = 120;

    public const decimal MaxAmount = 100_000m;

    public const int MaxLoanDaysLimit = 365;

    /// <summary>Sets what the owner says of the unit, checking each value (French messages, form field names).</summary>
    public void Describe(UnitDescription description, EquipmentCategory category)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(category);
        description.Check();
        if (Status == UnitStatus.Retired)
        {
            throw new RuleException("Ce matériel a été retiré du catalogue : il ne se modifie plus.") { IsConflict = true };
        }

        Name = description.Name.Trim();
        Category = category;
        Description = description.Description?.Trim() ?? "";
        DailyRate = description.DailyRate;
        Deposit = description.Deposit;
        ConditionsOfUse = description.ConditionsOfUse?.Trim() ?? "";
        LicenceRequirement = string.IsNullOrWhiteSpace(description.LicenceRequirement) ? null : description.LicenceRequirement.Trim();
        Transport = description.Transport;
        MaxLoanDaysOverride = description.MaxLoanDays;
        AutoApprove = description.AutoApprove;
        EditVersion++;
    }

    /// <summary>A photo added, moved or deleted: an edit of the unit like the form's, guarded by the same <see cref="EditVersion"/>.</summary>
    public void PhotosChanged()
    {
        if (Status == UnitStatus.Retired)
        {
            throw new RuleException("Ce matériel a été retiré du catalogue : il ne se modifie plus.") { IsConflict = true };
        }

        EditVersion++;
    }

    /// <summary>Out of service with a reason shown to borrowers, or back in service.</summary>
    public void SetInService(bool inService, string? reason)
    {
        if (inService)
        {
            BackInService();
            return;
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new RuleException("Dites pourquoi le matériel est hors service (les emprunteurs le liront).", "StatusReason");
        }

        if (reason.Trim().Length > 300)
        {
            throw new RuleException("La raison est limitée à 300 caractères.", "StatusReason");
        }

        if (Status == UnitStatus.InService || StatusReason != reason.Trim())
        {
            Block(reason.Trim());
        }
    }

    /// <summary>
    /// Leaves the catalogue for good, keeping its loans and statements: only once every current or
    /// coming loan has been decided (<paramref name="openLoans"/> counts those still holding it).
    /// </summary>
    public void Retire(DateTimeOffset at, int openLoans)
    {
        if (Status == UnitStatus.Retired)
        {
            throw new RuleException("Ce matériel a déjà été retiré du catalogue.") { IsConflict = true };
        }

        if (openLoans > 0)
        {
            throw new RuleException(openLoans == 1
                ? "Un prêt en cours ou à venir tient encore ce matériel : décidez-le (refus, annulation ou retour) avant de le retirer."
                : $"{openLoans} prêts en cours ou à venir tiennent encore ce matériel : décidez-les (refus, annulation ou retour) avant de le retirer.");
        }

        Status = UnitStatus.Retired;
        StatusReason = null;
        RetiredAt = at.ToUniversalTime();
        EditVersion++;
    }
}

/// <summary>What an owner says of a unit in the catalogue's form.</summary>
public sealed record UnitDescription(
    string Name,
    string? Description,
    decimal DailyRate,
    decimal Deposit,
    string? ConditionsOfUse,
    string? LicenceRequirement,
    TransportNeed Transport,
    int? MaxLoanDays,
    bool AutoApprove)
{
    /// <summary>Refuses, in French and naming the field, the first value out of bounds.</summary>
    public void Check()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new RuleException("Donnez un nom au matériel (par exemple « Mini-pelle Kubota 1,8 t »).", nameof(Name));
        }

        if (Name.Trim().Length > EquipmentUnit.MaxNameLength)
        {
            throw new RuleException($"Le nom est limité à {EquipmentUnit.MaxNameLength} caractères.", nameof(Name));
        }

        if (Description?.Trim().Length > EquipmentUnit.MaxTextLength)
        {
            throw new RuleException($"La description est limitée à {EquipmentUnit.MaxTextLength} caractères.", nameof(Description));
        }

        if (ConditionsOfUse?.Trim().Length > EquipmentUnit.MaxTextLength)
        {
            throw new RuleException($"Les conditions d'utilisation sont limitées à {EquipmentUnit.MaxTextLength} caractères.", nameof(ConditionsOfUse));
        }

        if (LicenceRequirement?.Trim().Length > EquipmentUnit.MaxLicenceLength)
        {
            throw new RuleException($"Le permis ou la formation exigé est limité à {EquipmentUnit.MaxLicenceLength} caractères.", nameof(LicenceRequirement));
        }

        if (DailyRate is < 0 or > EquipmentUnit.MaxAmount)
        {
            throw new RuleException($"Le tarif journalier va de 0 à {EquipmentUnit.MaxAmount:N0} €.", nameof(DailyRate));
        }

        if (decimal.Round(DailyRate, 2) != DailyRate)
        {
            throw new RuleException("Le tarif journalier se donne au centime près.", nameof(DailyRate));
        }

        if (Deposit is < 0 or > EquipmentUnit.MaxAmount)
        {
            throw new RuleException($"La caution va de 0 à {EquipmentUnit.MaxAmount:N0} €.", nameof(Deposit));
        }

        if (decimal.Round(Deposit, 2) != Deposit)
        {
            throw new RuleException("La caution se donne au centime près.", nameof(Deposit));
        }

        if (!Enum.IsDefined(Transport))
        {
            throw new RuleException("Choisissez qui transporte le matériel.", nameof(Transport));
        }

        if (MaxLoanDays is < 1 or > EquipmentUnit.MaxLoanDaysLimit)
        {
            throw new RuleException($"La durée de prêt la plus longue va de 1 à {EquipmentUnit.MaxLoanDaysLimit} jours (laissez vide pour celle de la catégorie).", nameof(MaxLoanDays));
        }
    }
}
