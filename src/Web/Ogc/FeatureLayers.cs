using ValDrome.Domain.Equipment;
using ValDrome.Domain.Glance;
using ValDrome.Domain.Loans;
using ValDrome.Web.Pages.Equipment;

namespace ValDrome.Web.Ogc;

/// <summary>
/// The layers ValDrome publishes. Adding one is one declaration here and one line in
/// <see cref="All"/>.
/// </summary>
public static class FeatureLayers
{
    public static FeatureLayer Communes { get; } = new(
        Id: "communes",
        Title: "Communes",
        Description: "Les 36 communes du périmètre historique du Val de Drôme : limites (IGN ADMIN EXPRESS), "
            + "population légale 2023 (INSEE) et appartenance à la communauté de communes (DGCL).",
        From: "communes c",
        IdSql: "c.id",
        Geometry: new("c.boundary", GeometryStorage.Geometry, "MultiPolygon"),
        Properties:
        [
            new("insee", "c.insee::text", PropertyType.Text, "Code INSEE", Queryable: true),
            new("nom", "c.name", PropertyType.Text, "Nom", Queryable: true),
            new("population", "c.population", PropertyType.WholeNumber, "Population légale 2023", Queryable: true),
            new("membre", "c.is_current_member", PropertyType.Boolean, "Membre de la communauté aujourd'hui", Queryable: true),
            new("materiels", "(SELECT count(*)::int FROM equipment_units m WHERE m.owner_commune_id = c.id AND m.status <> 'Retired')",
                PropertyType.WholeNumber, "Nombre de matériels dont la commune est propriétaire"),
        ],
        Tables: ["communes", "equipment_units"],
        Tiles: new(MinZoom: 0, MaxZoom: 16, ["insee", "nom", "population", "materiels"]));

    public static FeatureLayer Equipment { get; } = new(
        Id: "equipements",
        Title: "Matériel",
        Description: "Le matériel partagé, à son lieu de garde (le dépôt communautaire ou la mairie propriétaire).",
        // Retired units keep their loans and statements but leave the published catalogue.
        From: "(SELECT * FROM equipment_units WHERE status <> 'Retired') u JOIN equipment_categories k ON k.id = u.category_id "
            + "LEFT JOIN communes o ON o.id = u.owner_commune_id",
        IdSql: "u.id",
        Geometry: new("u.home_location", GeometryStorage.Geography, "Point"),
        Properties:
        [
            new("nom", "u.name", PropertyType.Text, "Nom"),
            new("code_inventaire", "u.inventory_code", PropertyType.Text, "Code d'inventaire", Queryable: true),
            new("categorie", "k.name", PropertyType.Text, "Catégorie", Queryable: true),
            new("proprietaire", $"coalesce(o.name, {Sql.Literal(EquipmentLabels.CommunityOwner)})",
                PropertyType.Text, "Propriétaire", Queryable: true),
            new("proprietaire_insee", "o.insee::text", PropertyType.Text, "Code INSEE de la commune propriétaire (vide : la communauté)", Queryable: true),
            new("statut", Sql.Case("u.status", Enum.GetValues<UnitStatus>().ToDictionary(s => s.ToString(), EquipmentLabels.Status)),
                PropertyType.Text, "Statut", Queryable: true, Values: [.. Enum.GetValues<UnitStatus>().Select(EquipmentLabels.Status)]),
            new("tarif_journalier", "u.daily_rate", PropertyType.Number, "Tarif journalier (€, hors transport)", Queryable: true),
            new("transport", Sql.Case("u.transport", Enum.GetValues<TransportNeed>().ToDictionary(t => t.ToString(), EquipmentLabels.Transport)),
                PropertyType.Text, "Transport", Queryable: true, Values: [.. Enum.GetValues<TransportNeed>().Select(EquipmentLabels.Transport)]),
            new("permis", "u.licence_requirement", PropertyType.Text, "Permis ou formation exigé"),
        ],
        Tables: ["equipment_units", "equipment_categories", "communes"],
        Tiles: new(MinZoom: 0, MaxZoom: 16, ["nom", "categorie", "proprietaire", "statut", "tarif_journalier"]));

    public static FeatureLayer Depots { get; } = new(
        Id: "depots",
        Title: "Dépôts",
        Description: "Les dépôts de la communauté de communes, où son matériel est gardé et d'où partent les tournées.",
        From: "depots d JOIN communes c ON c.id = d.commune_id",
        IdSql: "d.id",
        Geometry: new("d.location", GeometryStorage.Geography, "Point"),
        Properties:
        [
            new("nom", "d.name", PropertyType.Text, "Nom", Queryable: true),
            new("adresse", "d.address", PropertyType.Text, "Adresse"),
            new("commune", "c.name", PropertyType.Text, "Commune", Queryable: true),
            new("commune_insee", "c.insee::text", PropertyType.Text, "Code INSEE de la commune", Queryable: true),
        ],
        Tables: ["depots", "communes"],
        Tiles: new(MinZoom: 0, MaxZoom: 16, ["nom", "adresse", "commune"]));

    /// <summary>
    /// Loans per pair of communes per month, as lines from the lender (its mairie, or the
    /// community's depot) to the borrower: public, since a count and a number of days say nothing
    /// of who asked what for which purpose (ADR 0011). Only loans agreed on count.
    /// </summary>
    public static FeatureLayer Flows { get; } = new(
        Id: "flux",
        Title: "Flux de prêts entre communes",
        Description: "Le nombre de prêts et de jours prêtés, par mois, d'une commune (ou de la communauté, depuis son dépôt) "
            + "à une autre : une ligne de la mairie qui prête à celle qui emprunte. Seuls les prêts acceptés comptent, "
            + "au mois de leur premier jour.",
        From: "(SELECT l.lender_commune_id AS lender_id, l.borrower_commune_id AS borrower_id, "
            + "date_trunc('month', l.first_day)::date AS month, count(*)::int AS loans, sum(l.last_day - l.first_day + 1)::int AS days "
            + $"FROM loans l WHERE l.status IN ({Sql.List(AgreedStates.Select(s => s.ToString()))}) GROUP BY 1, 2, 3) f "
            + "JOIN communes b ON b.id = f.borrower_id LEFT JOIN communes o ON o.id = f.lender_id",

        // Communes have small serial ids: lender, borrower and month pack into one stable 64-bit id.
        IdSql: "((coalesce(f.lender_id, 0)::int8 * 100000 + f.borrower_id) * 1000000 + extract(year FROM f.month)::int8 * 100 + extract(month FROM f.month)::int8)",
        Geometry: new("ST_MakeLine(coalesce(o.reference_point, (SELECT d.location FROM depots d ORDER BY d.id LIMIT 1))::geometry, b.reference_point::geometry)",
            GeometryStorage.Geometry, "LineString"),
        Properties:
        [
            new("preteur", $"coalesce(o.name, {Sql.Literal(EquipmentLabels.CommunityOwner)})", PropertyType.Text, "Qui prête", Queryable: true),
            new("preteur_insee", "o.insee::text", PropertyType.Text, "Code INSEE de la commune qui prête (vide : la communauté)", Queryable: true),
            new("emprunteur", "b.name", PropertyType.Text, "Commune qui emprunte", Queryable: true),
            new("emprunteur_insee", "b.insee::text", PropertyType.Text, "Code INSEE de la commune qui emprunte", Queryable: true),
            new("mois", "to_char(f.month, 'YYYY-MM')", PropertyType.Text, "Mois (AAAA-MM)", Queryable: true),
            new("prets", "f.loans", PropertyType.WholeNumber, "Nombre de prêts"),
            new("jours", "f.days", PropertyType.WholeNumber, "Jours prêtés"),
        ],
        Tables: ["loans", "communes", "depots"],
        Time: new("(f.month::timestamp AT TIME ZONE 'Europe/Paris')", "((f.month + interval '1 month')::timestamp AT TIME ZONE 'Europe/Paris')"),
        Tiles: new(MinZoom: 0, MaxZoom: 16, ["preteur", "emprunteur", "mois", "prets", "jours"]));

    /// <summary>Loans under way or to come, as lines from where the unit is kept to the borrower's mairie; their days are the time.</summary>
    public static FeatureLayer Loans { get; } = new(
        Id: "prets",
        Title: "Prêts en cours et à venir",
        Description: "Les prêts demandés, approuvés ou livrés : une ligne du lieu de garde du matériel à la mairie de la commune "
            + "qui l'emprunte ; la période du prêt (jours entiers, heure de Paris) est le temps de l'objet.",
        From: $"(SELECT * FROM loans WHERE status IN ({Sql.List(Loan.BookingStates.Select(s => s.ToString()))})) l "
            + "JOIN equipment_units u ON u.id = l.unit_id JOIN equipment_categories k ON k.id = u.category_id "
            + "JOIN communes b ON b.id = l.borrower_commune_id LEFT JOIN communes o ON o.id = l.lender_commune_id",
        IdSql: "l.id",
        Geometry: new("ST_MakeLine(u.home_location::geometry, b.reference_point::geometry)", GeometryStorage.Geometry, "LineString"),
        Properties:
        [
            new("materiel", "u.name", PropertyType.Text, "Matériel"),
            new("categorie", "k.name", PropertyType.Text, "Catégorie", Queryable: true),
            new("emprunteur", "b.name", PropertyType.Text, "Commune qui emprunte", Queryable: true),
            new("emprunteur_insee", "b.insee::text", PropertyType.Text, "Code INSEE de la commune qui emprunte", Queryable: true),
            new("preteur", $"coalesce(o.name, {Sql.Literal(EquipmentLabels.CommunityOwner)})", PropertyType.Text, "Propriétaire", Queryable: true),
            new("etat", Sql.Case("l.status", Loan.BookingStates.ToDictionary(s => s.ToString(), LoanWords.Label)),
                PropertyType.Text, "État", Queryable: true, Values: [.. Loan.BookingStates.Select(LoanWords.Label)]),
            new("premier_jour", "l.first_day", PropertyType.Date, "Premier jour"),
            new("dernier_jour", "l.last_day", PropertyType.Date, "Dernier jour"),
            new("distance_km", "round((l.distance_metres / 1000)::numeric, 1)", PropertyType.Number, "Distance à vol d'oiseau (km)"),
        ],
        Tables: ["loans", "equipment_units", "equipment_categories", "communes"],
        Time: new("(l.first_day::timestamp AT TIME ZONE 'Europe/Paris')", "((l.last_day + 1)::timestamp AT TIME ZONE 'Europe/Paris')"),
        Tiles: new(MinZoom: 0, MaxZoom: 16, ["materiel", "emprunteur", "preteur", "etat"]),
        Private: new("l.borrower_commune_id = {0} OR l.lender_commune_id = {0}"));

    /// <summary>Open maintenance and inspection tasks, at the unit's home; their planned days are the time.</summary>
    public static FeatureLayer Maintenances { get; } = new(
        Id: "maintenances",
        Title: "Maintenances et vérifications",
        Description: "Les interventions à faire sur le matériel (entretien, vérification réglementaire), au lieu de garde du matériel ; "
            + "les jours où le matériel est immobilisé sont le temps de l'objet.",
        From: "(SELECT * FROM maintenance_tasks WHERE closed_on IS NULL) t "
            + "JOIN maintenance_plans p ON p.id = t.plan_id JOIN equipment_units u ON u.id = t.unit_id",
        IdSql: "t.id",
        Geometry: new("u.home_location", GeometryStorage.Geography, "Point"),
        Properties:
        [
            new("materiel", "u.name", PropertyType.Text, "Matériel"),
            new("intervention", "p.label", PropertyType.Text, "Intervention", Queryable: true),
            new("echeance", "t.due_on", PropertyType.Date, "Échéance"),
            new("debut", "t.planned_from", PropertyType.Date, "Immobilisé du"),
            new("fin", "t.planned_to", PropertyType.Date, "Immobilisé au"),
        ],
        Tables: ["maintenance_tasks", "maintenance_plans", "equipment_units"],
        Time: new("(t.planned_from::timestamp AT TIME ZONE 'Europe/Paris')", "((t.planned_to + 1)::timestamp AT TIME ZONE 'Europe/Paris')"),
        Tiles: new(MinZoom: 0, MaxZoom: 16, ["materiel", "intervention", "debut", "fin"]),
        Private: new("u.owner_commune_id = {0}"));

    /// <summary>
    /// The territory at a glance (issue 13, ADR 26): every commune for every month with activity,
    /// its boundary and the page <c>/territoire</c>'s numbers, from the same SQL
    /// (<see cref="TerritoryGlance.Sql"/>). Public: totals per commune and month, no loan, person or
    /// purpose. Built from the settings, since the kilometres saved depend on the assumption.
    /// </summary>
    public static FeatureLayer Territory(GlanceOptions options) => new(
        Id: "territoire",
        Title: "Le territoire en un coup d'œil",
        Description: "Par commune et par mois : jours de matériel empruntés et prêtés, heures des services aux communes, "
            + "montants des décomptes (vides tant que le mois n'est pas établi), et kilomètres et CO₂ évités en empruntant "
            + "plutôt qu'en louant chez le loueur le plus proche (hypothèse décrite sur la page /territoire).",
        From: $"({TerritoryGlance.Sql(options)}) t JOIN communes c ON c.id = t.commune_id",
        // Communes have small serial ids: commune and month pack into one stable 64-bit id.
        IdSql: "(t.commune_id::int8 * 1000000 + extract(year FROM t.month)::int8 * 100 + extract(month FROM t.month)::int8)",
        Geometry: new("c.boundary", GeometryStorage.Geometry, "MultiPolygon"),
        Properties:
        [
            new("insee", "c.insee::text", PropertyType.Text, "Code INSEE", Queryable: true),
            new("nom", "c.name", PropertyType.Text, "Commune", Queryable: true),
            new("mois", "to_char(t.month, 'YYYY-MM')", PropertyType.Text, "Mois (AAAA-MM)", Queryable: true),
            new("jours_empruntes", "t.days_borrowed", PropertyType.WholeNumber, "Jours de matériel empruntés dans le mois"),
            new("jours_pretes", "t.days_lent", PropertyType.WholeNumber, "Jours où le matériel de la commune était prêté"),
            new("prets_commences", "t.loans_borrowed", PropertyType.WholeNumber, "Prêts à la commune commencés dans le mois"),
            new("heures_services", "t.service_hours", PropertyType.Number, "Heures des services aux communes"),
            new("montant_materiel", "t.equipment_paid", PropertyType.Number, "Payé pour le matériel emprunté (€, décompte du mois)"),
            new("montant_services", "t.services_paid", PropertyType.Number, "Payé pour les services (€, décompte du mois)"),
            new("montant_recu", "t.received", PropertyType.Number, "Reçu pour le matériel prêté (€, décompte du mois)"),
            new("solde", "t.balance", PropertyType.Number, "Solde du décompte du mois (€)"),
            new("km_evites", "t.km_saved", PropertyType.Number, "Kilomètres évités (hypothèse de la page /territoire)"),
            new("co2_evite_kg", "t.co2_kg_saved", PropertyType.Number, "CO₂ évité (kg, même hypothèse)"),
            new("loueur_proche", "t.nearest_hire", PropertyType.Text, "Loueur le plus proche (hypothèse)"),
            new("distance_loueur_km", "t.nearest_hire_km", PropertyType.Number, "Distance à vol d'oiseau au loueur le plus proche (km)"),
        ],
        Tables: ["loans", "communes", "agent_bookings", "time_entries", "statements", "statement_lines"],
        Time: new("(t.month::timestamp AT TIME ZONE 'Europe/Paris')", "((t.month + interval '1 month')::timestamp AT TIME ZONE 'Europe/Paris')"),
        Tiles: new(MinZoom: 0, MaxZoom: 16, ["nom", "mois", "jours_empruntes", "jours_pretes", "heures_services", "km_evites"]));

    public static IReadOnlyList<FeatureLayer> All { get; } = [Communes, Equipment, Depots, Flows, Loans, Maintenances];

    /// <summary>What the site serves: <see cref="All"/> and the territory layer, public layers first.</summary>
    public static IReadOnlyList<FeatureLayer> Published(GlanceOptions glance) =>
        [.. All.Where(l => l.Private is null), Territory(glance), .. All.Where(l => l.Private is not null)];

    /// <summary>The states of a loan the two communes agreed on, whether done or to come.</summary>
    private static IEnumerable<LoanStatus> AgreedStates =>
        Enum.GetValues<LoanStatus>().Where(s => s is not (LoanStatus.Requested or LoanStatus.Refused or LoanStatus.Cancelled));
}

/// <summary>The layers this site serves (a singleton, so tests can publish a layer of their own).</summary>
public sealed class FeatureLayerRegistry(IReadOnlyList<FeatureLayer> layers)
{
    public IReadOnlyList<FeatureLayer> Layers { get; } = layers;

    public FeatureLayer? Find(string id) => Layers.FirstOrDefault(l => l.Id == id);
}
