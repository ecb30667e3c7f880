using ValDrome.Domain.Equipment;
using ValDrome.Web.Pages.Equipment;

namespace ValDrome.Web.Ogc;

/// <summary>
/// The layers ValDrome publishes. Adding one is one declaration here and one line in
/// <see cref="All"/>; loans (<c>prets</c>: lines from lender to borrower, their period as
/// <see cref="LayerTime"/>) and maintenances will come this way.
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
            new("materiels", "(SELECT count(*)::int FROM equipment_units m WHERE m.owner_commune_id = c.id)",
                PropertyType.WholeNumber, "Nombre de matériels dont la commune est propriétaire"),
        ],
        Tables: ["communes", "equipment_units"],
        Tiles: new(MinZoom: 0, MaxZoom: 16, ["insee", "nom", "population", "materiels"]));

    public static FeatureLayer Equipment { get; } = new(
        Id: "equipements",
        Title: "Matériel",
        Description: "Le matériel partagé, à son lieu de garde (le dépôt communautaire ou la mairie propriétaire).",
        From: "equipment_units u JOIN equipment_categories k ON k.id = u.category_id "
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

    public static IReadOnlyList<FeatureLayer> All { get; } = [Communes, Equipment, Depots];
}

/// <summary>The layers this site serves (a singleton, so tests can publish a layer of their own).</summary>
public sealed class FeatureLayerRegistry(IReadOnlyList<FeatureLayer> layers)
{
    public IReadOnlyList<FeatureLayer> Layers { get; } = layers;

    public FeatureLayer? Find(string id) => Layers.FirstOrDefault(l => l.Id == id);
}
