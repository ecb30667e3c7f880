using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;
using ValDrome.Geo.Encoding;

namespace ValDrome.Web.Pages.Communes;

public sealed class DetailsModel(ValDromeDb db) : PageModel
{
    public sealed record CommuneView(
        string Insee, string Name, int Population, double? DeclaredAreaKm2, double AreaKm2,
        bool IsCurrentMember, DateOnly? LeftOn, string BoundaryGeoJson);

    public sealed record UnitRow(int Id, string Name, string Category, decimal DailyRate, UnitStatus Status);

    public CommuneView Commune { get; private set; } = null!;

    public IReadOnlyList<UnitRow> Units { get; private set; } = [];

    public IReadOnlyList<string> Depots { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string insee, CancellationToken cancellationToken)
    {
        var commune = await db.Communes
            .Where(c => c.Insee == insee)
            .Select(c => new
            {
                c.Id, c.Insee, c.Name, c.Population, c.DeclaredAreaKm2, c.IsCurrentMember, c.LeftOn, c.Boundary,
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (commune is null)
        {
            return NotFound();
        }

        // Area on the ellipsoid (geography), in m²: the geometry column alone would give square degrees.
        var area = await db.Database
            .SqlQuery<double>($"SELECT ST_Area(boundary::geography) AS \"Value\" FROM communes WHERE id = {commune.Id}")
            .SingleAsync(cancellationToken);
        Commune = new CommuneView(
            commune.Insee, commune.Name, commune.Population, commune.DeclaredAreaKm2, area / 1e6,
            commune.IsCurrentMember, commune.LeftOn, GeoJson.Serialize(commune.Boundary));
        Units = await db.EquipmentUnits
            .Where(u => u.OwnerCommuneId == commune.Id)
            .OrderBy(u => u.Category.Name).ThenBy(u => u.Name)
            .Select(u => new UnitRow(u.Id, u.Name, u.Category.Name, u.DailyRate, u.Status))
            .ToListAsync(cancellationToken);
        Depots = await db.Depots.Where(d => d.CommuneId == commune.Id)
            .OrderBy(d => d.Name).Select(d => d.Name + ", " + d.Address).ToListAsync(cancellationToken);
        return Page();
    }
}
