using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ValDrome.Domain;
using ValDrome.Web.Pages.Equipment;

namespace ValDrome.Web.Pages.Map;

/// <summary>The map reads its layers from <see cref="MapData"/>; « Quand ? » only changes which units it asks for.</summary>
public sealed class IndexModel(TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "du")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "au")]
    public string? To { get; set; }

    public WhenFilter? When { get; private set; }

    public string UnitsUrl => MapData.UnitsUrl + (When is { } when ? "?" + when.Query : "");

    public void OnGet()
    {
        if (!WhenFilter.TryRead(From, To, time.Today(), out var when, out var error, out var field))
        {
            ModelState.AddModelError(field, error);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        When = when;
    }
}
