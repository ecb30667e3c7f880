using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Loans;
using ValDrome.Web.Pages.Equipment;

namespace ValDrome.Web.Pages.Map;

/// <summary>The GeoJSON layers the map page reads (the OGC API will serve the same data later).</summary>
public static class MapData
{
    public const string CommunesUrl = "/carte/communes.geojson";
    public const string UnitsUrl = "/carte/materiel.geojson";

    internal sealed record CommuneProperties(string Insee, string Nom, int Population, int Materiels, string Url);

    internal sealed record UnitProperties(int Id, string Nom, string Categorie, string Proprietaire, string Statut, string Url)
    {
        /// <summary>With « Quand ? » (<c>du</c>, <c>au</c>): « Libre du 12 au 14 juillet ».</summary>
        public string? Disponibilite { get; init; }
    }

    public static IEndpointRouteBuilder MapMapData(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(CommunesUrl, Communes).CacheOutput(Weight.PageCache.PolicyName);
        endpoints.MapGet(UnitsUrl, Units).CacheOutput(Weight.PageCache.PolicyName);
        MapAssets.Map(endpoints);
        return endpoints;
    }

    private static async Task<IResult> Communes(ValDromeDb db, CancellationToken cancellationToken) =>
        await CommunesAsync(db, cancellationToken);

    /// <summary>The communes layer: the endpoint's answer, and the first data carried in /carte itself.</summary>
    internal static async Task<GeoJsonResult<CommuneProperties>> CommunesAsync(ValDromeDb db, CancellationToken cancellationToken) =>
        AsGeoJson(await CommuneListAsync(db, cancellationToken));

    /// <summary>The communes with their boundaries, which the layer and the page's first view both draw.</summary>
    internal static async Task<IReadOnlyList<MapCommune>> CommuneListAsync(ValDromeDb db, CancellationToken cancellationToken)
    {
        var communes = await db.Communes
            .OrderBy(c => c.Name)
            .Select(c => new
            {
                c.Id,
                c.Insee,
                c.Name,
                c.Population,
                c.Boundary,
                Units = db.EquipmentUnits.Count(u => u.OwnerCommuneId == c.Id && u.Status != UnitStatus.Retired),
            })
            .ToListAsync(cancellationToken);
        return [.. communes.Select(c => new MapCommune(
            c.Id,
            c.Boundary,
            new CommuneProperties(c.Insee, c.Name, c.Population, c.Units, $"/communes/{c.Insee}")))];
    }

    internal static GeoJsonResult<CommuneProperties> AsGeoJson(IReadOnlyList<MapCommune> communes) =>
        new(communes.Select(c => (c.Id, c.Boundary, c.Properties)));

    /// <summary>Every unit in the catalogue; with « Quand ? » (<c>du</c>, <c>au</c>), only those free on those days.</summary>
    private static async Task<IResult> Units(ValDromeDb db, TimeProvider time, string? du, string? au, CancellationToken cancellationToken)
    {
        if (!WhenFilter.TryRead(du, au, time.Today(), out var when, out var error, out _))
        {
            return Results.Problem(statusCode: 400, title: "Dates invalides", detail: error);
        }

        return await UnitsAsync(db, when, cancellationToken);
    }

    /// <summary>The units layer, as the endpoint gives it for these days (all units without « Quand ? »).</summary>
    internal static async Task<GeoJsonResult<UnitProperties>> UnitsAsync(ValDromeDb db, WhenFilter? when, CancellationToken cancellationToken) =>
        AsGeoJson(await UnitListAsync(db, when, cancellationToken));

    /// <summary>The units the layer and the page's first view show for these days (all units without « Quand ? »).</summary>
    internal static async Task<IReadOnlyList<MapUnit>> UnitListAsync(ValDromeDb db, WhenFilter? when, CancellationToken cancellationToken)
    {
        var query = db.EquipmentUnits.Where(u => u.Status != UnitStatus.Retired);
        if (when is not null)
        {
            var candidates = await query.Select(u => u.Id).ToListAsync(cancellationToken);
            var free = (await FreeUnits.AmongAsync(db, candidates, when.First, when.Last, cancellationToken)).ToList();
            query = query.Where(u => free.Contains(u.Id));
        }

        var units = await query
            .OrderBy(u => u.Name)
            .Select(u => new
            {
                u.Id,
                u.Name,
                Category = u.Category.Name,
                Owner = u.OwnerCommune != null ? u.OwnerCommune.Name : EquipmentLabels.CommunityOwner,
                OwnerInsee = u.OwnerCommune != null ? u.OwnerCommune.Insee : null,
                u.Status,
                u.HomeLocation,
            })
            .ToListAsync(cancellationToken);
        return [.. units.Select(u => new MapUnit(
            u.Id,
            u.HomeLocation,
            new UnitProperties(u.Id, u.Name, u.Category, u.Owner, EquipmentLabels.Status(u.Status),
                $"/materiel/{u.Id}" + (when is null ? "" : "?" + when.Query)) { Disponibilite = when?.FreeLabel },
            u.OwnerInsee ?? Equipment.IndexModel.CommunityOwnerFilter))];
    }

    internal static GeoJsonResult<UnitProperties> AsGeoJson(IReadOnlyList<MapUnit> units) =>
        new(units.Select(u => (u.Id, (NetTopologySuite.Geometries.Geometry)u.Location, u.Properties)));
}

/// <summary>A commune as the map draws it.</summary>
internal sealed record MapCommune(long Id, NetTopologySuite.Geometries.Geometry Boundary, MapData.CommuneProperties Properties);

/// <summary>A unit as the map draws it; <paramref name="OwnerFilter"/> is the catalogue's owner filter that lists its owner's units.</summary>
internal sealed record MapUnit(long Id, NetTopologySuite.Geometries.Point Location, MapData.UnitProperties Properties, string OwnerFilter);
