using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;

namespace ValDrome.Web.Pages;

public sealed class IndexModel(ValDromeDb db) : PageModel
{
    public int Communes { get; private set; }

    public int Population { get; private set; }

    public int Units { get; private set; }

    public int Categories { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Communes = await db.Communes.CountAsync(cancellationToken);
        Population = await db.Communes.SumAsync(c => c.Population, cancellationToken);
        Units = await db.EquipmentUnits.CountAsync(u => u.Status != Domain.Equipment.UnitStatus.Retired, cancellationToken);
        Categories = await db.EquipmentCategories.CountAsync(cancellationToken);
    }
}
