using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ValDrome.Web.Pages;

/// <summary>A page with nothing to show for a bad address answers the French 400 page, saying what was wrong.</summary>
public static class ErrorPages
{
    public static IActionResult BadRequestPage(this PageModel page, string detail)
    {
        ArgumentNullException.ThrowIfNull(page);
        page.HttpContext.Items[ErrorModel.DetailKey] = detail;
        return page.BadRequest();
    }
}
