using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ValDrome.Web.Pages.Map;

/// <summary>The map reads its layers from <see cref="MapData"/>; the page itself is static.</summary>
public sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
