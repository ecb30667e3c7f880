using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ValDrome.Domain;
using ValDrome.Web.Pages.Equipment;

namespace ValDrome.Web.Pages.Map;

/// <summary>
/// The map reads its layers from <see cref="MapData"/>; « Quand ? » only changes which units it asks for.
/// The page carries both layers' first answer itself, as their public URLs give it (ADR 31): on a slow
/// line each request in a row costs a round trip, and these two came last, after the scripts.
/// </summary>
public sealed class IndexModel(TimeProvider time, ValDromeDb db, IWebHostEnvironment environment) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "du")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "au")]
    public string? To { get; set; }

    public WhenFilter? When { get; private set; }

    public string UnitsUrl => MapData.UnitsUrl + (When is { } when ? "?" + when.Query : "");

    /// <summary>What <see cref="MapData.CommunesUrl"/> answers, word for word.</summary>
    public string CommunesJson { get; private set; } = "";

    /// <summary>What <see cref="UnitsUrl"/> answers, word for word.</summary>
    public string UnitsJson { get; private set; } = "";

    /// <summary>The same layers drawn by the page itself, shown until the interactive map replaces them.</summary>
    internal FirstView? Drawn { get; private set; }

    /// <summary>Leaflet, its cluster plug-in and the map's own script as one script; the styles and the layout's small scripts as text.</summary>
    internal MapAssets Assets { get; } = MapAssets.For(environment);

    /// <summary>
    /// The page carries its styles and the layout's two small scripts for a visitor without a
    /// session, whose pages are compressed; a signed-in visitor's are not (BREACH), and link the
    /// cached files (ADR 31). The map's script is a file for everyone: compiled as it comes.
    /// </summary>
    public bool CarriesAssets { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        CarriesAssets = !Weight.Compression.HasSession(HttpContext, WebComposition.SessionCookie);
        // Named in the answer's headers, they are asked for before the page's first line is read.
        Response.Headers.Link = CarriesAssets
            ? $"<{Assets.Script.Url}>; rel=preload; as=script"
            : $"<{Assets.Style.Url}>; rel=preload; as=style, <{Assets.Script.Url}>; rel=preload; as=script";

        if (!WhenFilter.TryRead(From, To, time.Today(), out var when, out var error, out var field))
        {
            ModelState.AddModelError(field, error);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        When = when;
        var communes = await MapData.CommuneListAsync(db, cancellationToken);
        var units = await MapData.UnitListAsync(db, When, cancellationToken);
        CommunesJson = MapData.AsGeoJson(communes).ToJson();
        UnitsJson = MapData.AsGeoJson(units).ToJson();
        Drawn = FirstView.Of(communes, units, User.FindFirst(Account.ActorClaims.CommuneClaim)?.Value, When?.Query);
    }
}
