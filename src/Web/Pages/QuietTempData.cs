using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace ValDrome.Web.Pages;

/// <summary>
/// The framework's cookie TempData, except that a page which only looked for a message, on a
/// request that brought none, answers without a cookie deletion. Pages show
/// <c>TempData["Message"]</c> when there is one; reading it loads TempData, and the framework would
/// then delete a cookie the visitor never had, on every page: a page that sets a cookie is not
/// kept by the public pages' cache (ADR 28), nor by any proxy.
/// </summary>
internal sealed class QuietTempData(CookieTempDataProvider cookies) : ITempDataProvider
{
    public IDictionary<string, object> LoadTempData(HttpContext context) => cookies.LoadTempData(context);

    public void SaveTempData(HttpContext context, IDictionary<string, object> values)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0 && !context.Request.Cookies.ContainsKey(CookieTempDataProvider.CookieName))
        {
            return;
        }

        cookies.SaveTempData(context, values);
    }
}
