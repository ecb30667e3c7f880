using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using ValDrome.Domain;
using ValDrome.Domain.Communes;
using ValDrome.Domain.Equipment;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>Where a unit lives when it is not lent.</summary>
public enum UnitHome
{
    /// <summary>The owner commune's mairie (its reference point).</summary>
    Mairie,

    /// <summary>One of the community's depots.</summary>
    Depot,

    /// <summary>A point placed on the map.</summary>
    Point,
}

/// <summary>The catalogue form, shared by the new unit's page and the edit page.</summary>
public sealed class UnitForm
{
    [Display(Name = "code d'inventaire")]
    public string? InventoryCode { get; set; }

    [Display(Name = "propriétaire")]
    public string? Owner { get; set; }

    [Display(Name = "nom")]
    public string? Name { get; set; }

    [Display(Name = "catégorie")]
    public int? CategoryId { get; set; }

    [Display(Name = "description")]
    public string? Description { get; set; }

    [Display(Name = "tarif journalier")]
    public string? DailyRate { get; set; }

    [Display(Name = "caution")]
    public string? Deposit { get; set; }

    [Display(Name = "conditions d'utilisation")]
    public string? ConditionsOfUse { get; set; }

    [Display(Name = "permis ou formation exigé")]
    public string? LicenceRequirement { get; set; }

    [Display(Name = "transport")]
    public TransportNeed Transport { get; set; }

    [Display(Name = "durée de prêt la plus longue")]
    public int? MaxLoanDays { get; set; }

    [Display(Name = "approbation automatique")]
    public bool AutoApprove { get; set; }

    [Display(Name = "compteur horaire")]
    public bool HasHourMeter { get; set; }

    [Display(Name = "en service")]
    public bool InService { get; set; } = true;

    [Display(Name = "raison")]
    public string? StatusReason { get; set; }

    [Display(Name = "lieu de garde")]
    public UnitHome Home { get; set; }

    [Display(Name = "dépôt")]
    public int? DepotId { get; set; }

    [Display(Name = "longitude")]
    public string? Longitude { get; set; }

    [Display(Name = "latitude")]
    public string? Latitude { get; set; }

    public static UnitForm From(EquipmentUnit unit, Point? mairie) => new()
    {
        InventoryCode = unit.InventoryCode,
        Name = unit.Name,
        CategoryId = unit.CategoryId,
        Description = unit.Description,
        DailyRate = unit.DailyRate.ToString("0.00", FrenchCulture.Instance),
        Deposit = unit.Deposit.ToString("0.00", FrenchCulture.Instance),
        ConditionsOfUse = unit.ConditionsOfUse,
        LicenceRequirement = unit.LicenceRequirement,
        Transport = unit.Transport,
        MaxLoanDays = unit.MaxLoanDaysOverride,
        AutoApprove = unit.AutoApprove,
        HasHourMeter = unit.HasHourMeter,
        InService = unit.Status == UnitStatus.InService,
        StatusReason = unit.StatusReason,
        Home = unit.HomeDepotId is not null ? UnitHome.Depot
            : mairie is not null && mairie.EqualsExact(unit.HomeLocation) ? UnitHome.Mairie : UnitHome.Point,
        DepotId = unit.HomeDepotId,
        Longitude = unit.HomeLocation.X.ToString("0.#######", System.Globalization.CultureInfo.InvariantCulture),
        Latitude = unit.HomeLocation.Y.ToString("0.#######", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>What the owner says of the unit, checked by the entity's rules.</summary>
    public UnitDescription ToDescription() => new(
        Name ?? "",
        Description,
        FormNumbers.Parse(DailyRate, "tarif", "DailyRate") ?? 0m,
        FormNumbers.Parse(Deposit, "montant de caution", "Deposit") ?? 0m,
        ConditionsOfUse,
        LicenceRequirement,
        Transport,
        MaxLoanDays,
        AutoApprove);

    /// <summary>
    /// Checks the whole form and applies it to <paramref name="unit"/> (a new unit, added to the context, when null):
    /// null, with French errors in <paramref name="modelState"/> and nothing tracked, when a value is refused.
    /// </summary>
    public async Task<EquipmentUnit?> ApplyAsync(
        ValDromeDb db, ModelStateDictionary modelState, Commune? owner, EquipmentUnit? unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(modelState);
        try
        {
            var description = ToDescription();
            description.Check();
            var category = CategoryId is { } categoryId
                ? await db.EquipmentCategories.SingleOrDefaultAsync(c => c.Id == categoryId, cancellationToken)
                : null;
            if (category is null)
            {
                throw new RuleException("Choisissez une catégorie dans la liste.", "CategoryId");
            }

            if (!Enum.IsDefined(Home))
            {
                throw new RuleException("Choisissez où le matériel est gardé.", "Home");
            }

            Depot? depot = null;
            Point location;
            switch (Home)
            {
                case UnitHome.Mairie when owner is null:
                    throw new RuleException("Le matériel de la communauté n'a pas de mairie : choisissez un dépôt ou placez-le sur la carte.", "Home");
                case UnitHome.Mairie:
                    location = (Point)owner!.ReferencePoint.Copy();
                    break;
                case UnitHome.Depot:
                    depot = DepotId is { } depotId ? await db.Depots.SingleOrDefaultAsync(d => d.Id == depotId, cancellationToken) : null;
                    location = depot?.Location ?? throw new RuleException("Choisissez un dépôt dans la liste.", "DepotId");
                    break;
                default:
                    location = TerritoryPoints.Parse(Longitude, Latitude, "Longitude");
                    if (await TerritoryPoints.CommuneAtAsync(db, location, cancellationToken) is null)
                    {
                        throw new RuleException(TerritoryPoints.OutsideMessage, "Longitude");
                    }

                    break;
            }

            if (unit is null)
            {
                var code = InventoryCode?.Trim() ?? "";
                if (code.Length is 0 or > 40)
                {
                    throw new RuleException("Donnez un code d'inventaire de 1 à 40 caractères (par exemple « 26144-MP-01 »).", "InventoryCode");
                }

                if (await db.EquipmentUnits.AnyAsync(u => u.InventoryCode == code, cancellationToken))
                {
                    throw new RuleException($"Le code d'inventaire « {code} » est déjà pris : choisissez-en un autre.", "InventoryCode");
                }

                unit = new EquipmentUnit(code, description.Name.Trim(), category, owner, location, description.DailyRate, description.Transport);
                db.EquipmentUnits.Add(unit);
            }

            unit.Describe(description, category);
            unit.SetInService(InService, StatusReason);
            unit.HasHourMeter = HasHourMeter;
            if (depot is not null)
            {
                unit.KeepAt(depot);
            }
            else
            {
                unit.KeepAt(location);
            }

            return unit;
        }
        catch (RuleException e) when (!e.IsConflict)
        {
            db.ChangeTracker.Clear();
            modelState.AddModelError(e.Field is null ? "" : "Form." + e.Field, e.Message);
            return null;
        }
    }
}

/// <summary>The lists the catalogue form offers.</summary>
public sealed record UnitChoices(
    IReadOnlyList<UnitChoices.Choice> Categories,
    IReadOnlyList<UnitChoices.Choice> Depots,
    IReadOnlyList<UnitChoices.Choice> Owners)
{
    public sealed record Choice(string Value, string Label);

    public static UnitChoices Empty { get; } = new([], [], []);

    public static async Task<UnitChoices> LoadAsync(ValDromeDb db, bool withOwners, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var categories = await db.EquipmentCategories.OrderBy(c => c.Name)
            .Select(c => new Choice(c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Name)).ToListAsync(cancellationToken);
        var depots = await db.Depots.OrderBy(d => d.Name)
            .Select(d => new Choice(d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Name + " — " + d.Address)).ToListAsync(cancellationToken);
        List<Choice> owners = withOwners
            ? [new(IndexModel.CommunityOwnerFilter, EquipmentLabels.CommunityOwner),
                .. await db.Communes.Where(c => c.IsCurrentMember).OrderBy(c => c.Name).Select(c => new Choice(c.Insee, c.Name)).ToListAsync(cancellationToken)]
            : [];
        return new(categories, depots, owners);
    }
}
