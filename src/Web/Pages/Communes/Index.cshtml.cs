using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;

namespace ValDrome.Web.Pages.Communes;

public sealed class IndexModel(ValDromeDb db) : PageModel
{
    public sealed record Row(string Insee, string Name, int Population, double? AreaKm2, bool IsCurrentMember, int Units);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Rows = await db.Communes
            .OrderBy(c => c.Name)
            .Select(c => new Row(
                c.Insee, c.Name, c.Population, c.DeclaredAreaKm2, c.IsCurrentMember,
                db.EquipmentUnits.Count(u => u.OwnerCommuneId == c.Id)))
            .ToListAsync(cancellationToken);
    }
}
