using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Communes;
using ValDrome.Domain.Equipment;
using ValDrome.Geo.Spatial;

namespace ValDrome.Domain.Seed;

/// <summary>
/// Demo data for development and tests: the Eurre depot, the categories, and about fifty units
/// spread over the communes. Idempotent: rows are keyed by name or inventory code, and what
/// exists is left as it is. Needs the territory imported first.
/// </summary>
public static class DevelopmentSeed
{
    public const string DepotName = "Atelier communautaire de l'Écosite";

    private const string Eurre = "26125";

    // Machines need the truck and a day of margin either side for transport; small items travel in the van.
    private static readonly (string Code, string Name, string Description, int MaxDays, int Margin)[] Categories =
    [
        ("mini-pelle", "Mini-pelle", "Pelle hydraulique compacte (moins de 6 t) pour tranchées, fossés et petits terrassements.", 10, 1),
        ("tractopelle", "Tractopelle", "Chargeuse-pelleteuse pour terrassements, chargement et curage de fossés.", 10, 1),
        ("remorque", "Remorque", "Remorques plateau, benne ou porte-engin.", 14, 0),
        ("nacelle", "Nacelle élévatrice", "Plateforme élévatrice mobile de personnes (PEMP) pour travaux en hauteur : éclairage public, élagage, façades.", 7, 1),
        ("broyeur", "Broyeur de végétaux", "Broyeur tracté pour les branchages issus de l'élagage et des déchets verts.", 7, 1),
        ("balayeuse", "Balayeuse de voirie", "Balayeuse pour chaussées, places et parkings.", 7, 1),
        ("plaque-vibrante", "Plaque vibrante", "Compactage de remblais, enrobés et pavés.", 14, 0),
        ("groupe-electrogene", "Groupe électrogène", "Alimentation électrique de manifestations ou de chantiers.", 14, 0),
        ("barnum", "Barnum", "Tente de réception pliante pour fêtes, marchés et cérémonies.", 14, 0),
        ("podium", "Podium", "Scène mobile pour concerts, discours et spectacles.", 7, 1),
        ("tables-bancs", "Tables et bancs", "Lots de tables et de bancs pliants pour repas et fêtes de village.", 14, 0),
        ("barrieres", "Barrières de police", "Barrières de sécurité pour manifestations et chantiers (par lots).", 30, 0),
        ("sonorisation", "Sonorisation", "Enceintes, table de mixage et micros pour réunions et fêtes.", 14, 0),
        ("signalisation", "Signalisation temporaire", "Panneaux de chantier, cônes et feux tricolores mobiles.", 30, 0),
    ];

    private sealed record UnitSeed(
        string Code,
        string Name,
        string Category,
        string? OwnerInsee,
        decimal DailyRate,
        TransportNeed Transport,
        string? Licence = null,
        bool HourMeter = false,
        string Description = "");

    // Owner null = the community; its units are kept at the Eurre depot. A commune's units are kept
    // at its reference point (in practice the mairie's technical services).
    private static readonly UnitSeed[] Units =
    [
        new("CCVD-MP-01", "Mini-pelle Kubota KX019-4", "mini-pelle", null, 120m, TransportNeed.TruckAndTrailer, "CACES R482 cat. A", true, "1,9 t, godets de 30, 40 et 60 cm, godet de curage."),
        new("CCVD-MP-02", "Mini-pelle Yanmar SV26", "mini-pelle", null, 140m, TransportNeed.TruckAndTrailer, "CACES R482 cat. A", true, "2,6 t, marteau hydraulique disponible."),
        new("CCVD-TP-01", "Tractopelle JCB 3CX", "tractopelle", null, 220m, TransportNeed.TruckAndTrailer, "CACES R482 cat. C2", true, "Livrée par porte-engin."),
        new("CCVD-RE-01", "Remorque porte-engin 3,5 t", "remorque", null, 35m, TransportNeed.None, "Permis BE", false, "Rampes de chargement, sangles fournies."),
        new("CCVD-NA-01", "Nacelle sur remorque Niftylift 12 m", "nacelle", null, 150m, TransportNeed.TruckAndTrailer, "CACES R486 cat. B", true),
        new("CCVD-BR-01", "Broyeur de végétaux tracté 15 cm", "broyeur", null, 90m, TransportNeed.TruckAndTrailer, null, true, "Branches jusqu'à 15 cm de diamètre."),
        new("CCVD-BA-01", "Balayeuse aspiratrice compacte", "balayeuse", null, 160m, TransportNeed.TruckAndTrailer, "CACES R482 cat. A", true),
        new("CCVD-PO-01", "Podium 8 × 6 m", "podium", null, 180m, TransportNeed.TruckAndTrailer, null, false, "Montage par deux agents formés, compter une demi-journée."),
        new("CCVD-BN-01", "Barnum 5 × 8 m", "barnum", null, 60m, TransportNeed.Van),
        new("CCVD-SO-01", "Sonorisation 2 × 1000 W", "sonorisation", null, 45m, TransportNeed.Van, null, false, "Deux enceintes, table 8 voies, deux micros sans fil."),
        new("CCVD-GE-01", "Groupe électrogène 10 kVA", "groupe-electrogene", null, 55m, TransportNeed.Van, null, true),
        new("CCVD-SI-01", "Feux tricolores mobiles (paire)", "signalisation", null, 30m, TransportNeed.Van),

        new("26165-TP-01", "Tractopelle Case 580ST", "tractopelle", "26165", 200m, TransportNeed.TruckAndTrailer, "CACES R482 cat. C2", true),
        new("26165-BN-01", "Barnum 3 × 6 m n°1", "barnum", "26165", 35m, TransportNeed.Van),
        new("26165-BN-02", "Barnum 3 × 6 m n°2", "barnum", "26165", 35m, TransportNeed.Van),
        new("26165-BP-01", "Barrières de police (lot de 20)", "barrieres", "26165", 20m, TransportNeed.Van),
        new("26165-BP-02", "Barrières de police (lot de 20) bis", "barrieres", "26165", 20m, TransportNeed.Van),
        new("26165-TB-01", "Tables et bancs (10 tables, 20 bancs)", "tables-bancs", "26165", 25m, TransportNeed.Van),
        new("26166-NA-01", "Nacelle automotrice 10 m", "nacelle", "26166", 170m, TransportNeed.TruckAndTrailer, "CACES R486 cat. B", true),
        new("26166-PO-01", "Podium 6 × 4 m", "podium", "26166", 120m, TransportNeed.TruckAndTrailer),
        new("26166-SI-01", "Panneaux de chantier (lot de 12)", "signalisation", "26166", 15m, TransportNeed.Van),
        new("26166-BP-01", "Barrières de police (lot de 30)", "barrieres", "26166", 25m, TransportNeed.Van),
        new("26166-RE-01", "Remorque benne 750 kg", "remorque", "26166", 20m, TransportNeed.None),
        new("26006-MP-01", "Mini-pelle Takeuchi TB216", "mini-pelle", "26006", 110m, TransportNeed.TruckAndTrailer, "CACES R482 cat. A", true),
        new("26006-TB-01", "Tables et bancs (8 tables, 16 bancs)", "tables-bancs", "26006", 20m, TransportNeed.Van),
        new("26006-SO-01", "Sonorisation portable", "sonorisation", "26006", 25m, TransportNeed.None),
        new("26144-BR-01", "Broyeur de végétaux 10 cm", "broyeur", "26144", 60m, TransportNeed.TruckAndTrailer, null, true),
        new("26144-BN-01", "Barnum 4 × 4 m", "barnum", "26144", 30m, TransportNeed.Van),
        new("26144-PV-01", "Plaque vibrante 90 kg", "plaque-vibrante", "26144", 35m, TransportNeed.Van),
        new("26144-BP-01", "Barrières de police (lot de 15)", "barrieres", "26144", 15m, TransportNeed.Van),
        new("26208-RE-01", "Remorque plateau 1,3 t", "remorque", "26208", 25m, TransportNeed.None, "Permis B96 ou BE"),
        new("26208-TB-01", "Tables et bancs (15 tables, 30 bancs)", "tables-bancs", "26208", 30m, TransportNeed.Van),
        new("26208-GE-01", "Groupe électrogène 5 kVA", "groupe-electrogene", "26208", 30m, TransportNeed.None, null, true),
        new("26125-PV-01", "Plaque vibrante 60 kg", "plaque-vibrante", "26125", 25m, TransportNeed.None),
        new("26125-BN-01", "Barnum 3 × 3 m", "barnum", "26125", 20m, TransportNeed.None),
        new("26065-RE-01", "Remorque benne basculante 2 t", "remorque", "26065", 30m, TransportNeed.None, "Permis BE"),
        new("26097-SO-01", "Sonorisation de salle", "sonorisation", "26097", 30m, TransportNeed.Van),
        new("26115-BP-01", "Barrières de police (lot de 10)", "barrieres", "26115", 10m, TransportNeed.Van),
        new("26185-TB-01", "Tables et bancs (6 tables, 12 bancs)", "tables-bancs", "26185", 15m, TransportNeed.Van),
        new("26336-BN-01", "Barnum 3 × 6 m", "barnum", "26336", 35m, TransportNeed.Van),
        new("26336-PO-01", "Petit podium 4 × 3 m", "podium", "26336", 70m, TransportNeed.TruckAndTrailer),
        new("26344-GE-01", "Groupe électrogène 3 kVA", "groupe-electrogene", "26344", 20m, TransportNeed.None),
        new("26346-SI-01", "Cônes de signalisation (lot de 30)", "signalisation", "26346", 10m, TransportNeed.None),
        new("26035-BN-01", "Barnum 3 × 4,5 m", "barnum", "26035", 25m, TransportNeed.Van),
        new("26365-TB-01", "Tables et bancs (10 tables, 20 bancs)", "tables-bancs", "26365", 25m, TransportNeed.Van),
        new("26365-BA-01", "Balayeuse tractée", "balayeuse", "26365", 70m, TransportNeed.TruckAndTrailer),
        new("26258-MP-01", "Micro-pelle Kubota U10", "mini-pelle", "26258", 80m, TransportNeed.TruckAndTrailer, "CACES R482 cat. A", true),
        new("26056-BN-01", "Barnum 5 × 5 m", "barnum", "26056", 40m, TransportNeed.Van),
        new("26141-BR-01", "Broyeur de végétaux thermique 8 cm", "broyeur", "26141", 45m, TransportNeed.Van),
        new("26020-PV-01", "Pilonneuse 70 kg", "plaque-vibrante", "26020", 30m, TransportNeed.Van),
        new("26021-TB-01", "Tables et bancs (4 tables, 8 bancs)", "tables-bancs", "26021", 10m, TransportNeed.None),
        new("26277-RE-01", "Remorque 500 kg", "remorque", "26277", 15m, TransportNeed.None),
        new("26195-BN-01", "Barnum 3 × 3 m", "barnum", "26195", 20m, TransportNeed.Van),
        new("26240-GE-01", "Groupe électrogène 2 kVA", "groupe-electrogene", "26240", 15m, TransportNeed.None),
    ];

    public static int UnitCount => Units.Length;

    /// <summary>
    /// Demo only, and says so: no public source for the 36 mairies' contacts was at hand. Phones are
    /// in the 04 65 71 range ARCEP keeps for fiction, so a tap on a demo phone calls nobody.
    /// </summary>
    private static void SeedMairieContacts(IEnumerable<Commune> communes)
    {
        var index = 0;
        foreach (var commune in communes.OrderBy(c => c.Insee, StringComparer.Ordinal))
        {
            index++;
            if (commune.MairieAddress is null && commune.MairiePhone is null)
            {
                commune.SetMairieContacts(
                    $"Place de la mairie, {commune.Name} (adresse de démonstration)",
                    $"04 65 71 00 {index % 100:00}");
            }
        }
    }

    /// <param name="today">The day the demo is set around (maintenance dates); tests pass their fake clock's.</param>
    public static async Task SeedAsync(ValDromeDb db, DateOnly? today = null, CancellationToken cancellationToken = default)
    {
        var day = today ?? DateOnly.FromDateTime(DateTime.UtcNow);
        ArgumentNullException.ThrowIfNull(db);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var communes = await db.Communes.ToDictionaryAsync(c => c.Insee, StringComparer.Ordinal, cancellationToken);
        if (!communes.TryGetValue(Eurre, out var eurre))
        {
            throw new InvalidOperationException("The territory must be imported before the demo data (Eurre is missing).");
        }

        var depot = await db.Depots.SingleOrDefaultAsync(d => d.Name == DepotName, cancellationToken);
        if (depot is null)
        {
            // The Écosite du Val de Drôme, the community's seat and workshop, north-east of Eurre's village.
            var location = Geometries.Point(4.9912, 44.7606);
            if (!eurre.Boundary.Covers(location))
            {
                throw new InvalidOperationException("The depot's location must lie in Eurre.");
            }

            depot = new Depot(DepotName, "96 ronde des Alisiers, 26400 Eurre", eurre, location);
            db.Depots.Add(depot);
        }

        var categories = await db.EquipmentCategories.ToDictionaryAsync(c => c.Code, StringComparer.Ordinal, cancellationToken);
        foreach (var (code, name, description, maxDays, margin) in Categories)
        {
            if (!categories.ContainsKey(code))
            {
                var category = new EquipmentCategory(code, name, description, maxDays, margin);
                db.EquipmentCategories.Add(category);
                categories.Add(code, category);
            }
        }

        var existingCodes = await db.EquipmentUnits.Select(u => u.InventoryCode).ToListAsync(cancellationToken);
        foreach (var seed in Units.Where(u => !existingCodes.Contains(u.Code)))
        {
            var owner = seed.OwnerInsee is null ? null : communes[seed.OwnerInsee];
            var unit = new EquipmentUnit(
                seed.Code, seed.Name, categories[seed.Category], owner,
                owner?.ReferencePoint ?? depot.Location, seed.DailyRate, seed.Transport)
            {
                Description = seed.Description,
                LicenceRequirement = seed.Licence,
                HasHourMeter = seed.HourMeter,
                // Barriers, tables and signs are lent without waiting for a decision.
                AutoApprove = seed.Category is "barrieres" or "tables-bancs" or "signalisation",
            };
            if (owner is null)
            {
                unit.KeepAt(depot);
            }

            db.EquipmentUnits.Add(unit);
        }

        SeedMairieContacts(communes.Values);
        await db.SaveChangesAsync(cancellationToken);
        await SeedMaintenanceAsync(db, day, cancellationToken);
        await DevelopmentAccounts.SeedAsync(db, communes.Values, cancellationToken);
        await Services.ServicesSeed.SeedAsync(db, communes, day, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A few plans, dated around <paramref name="today"/>: one inspection coming, one overdue (its unit gets blocked).</summary>
    private static async Task SeedMaintenanceAsync(ValDromeDb db, DateOnly today, CancellationToken cancellationToken)
    {
        if (await db.MaintenancePlans.AnyAsync(cancellationToken))
        {
            return;
        }

        var units = await db.EquipmentUnits.Include(u => u.Category)
            .Where(u => u.InventoryCode == "CCVD-NA-01" || u.InventoryCode == "26166-NA-01" || u.InventoryCode == "CCVD-TP-01"
                || u.InventoryCode == "CCVD-MP-01" || u.InventoryCode == "CCVD-PO-01")
            .ToDictionaryAsync(u => u.InventoryCode, StringComparer.Ordinal, cancellationToken);
        units["CCVD-MP-01"].ReadMeter(1180);
        units["CCVD-TP-01"].ReadMeter(3420);
        db.MaintenancePlans.AddRange(
            new Maintenance.MaintenancePlan(units["CCVD-NA-01"], Maintenance.MaintenanceKind.Inspection, "Vérification générale périodique (VGP)", 182, 1, today.AddDays(-170), today),
            new Maintenance.MaintenancePlan(units["26166-NA-01"], Maintenance.MaintenanceKind.Inspection, "Vérification générale périodique (VGP)", 182, 1, today.AddDays(-190), today),
            new Maintenance.MaintenancePlan(units["CCVD-TP-01"], Maintenance.MaintenanceKind.EveryDays, "Révision semestrielle", 180, 2, today.AddDays(-100), today, 3420),
            new Maintenance.MaintenancePlan(units["CCVD-MP-01"], Maintenance.MaintenanceKind.EveryHours, "Vidange et graissage", 250, 1, today.AddDays(-60), today, 1000),
            new Maintenance.MaintenancePlan(units["CCVD-PO-01"], Maintenance.MaintenanceKind.EveryLoans, "Contrôle de la structure", 10, 1, today.AddDays(-200), today));
        await db.SaveChangesAsync(cancellationToken);
    }
}
