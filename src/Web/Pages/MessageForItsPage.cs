using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Routing;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace ValDrome.Web.Pages;

/// <summary>
/// A message a handler leaves in <c>TempData["Message"]</c> (« Décomptes de novembre établis. ») belongs
/// to the page its redirect leads to. Alone, TempData shows it on whichever page reads it next,
/// which need not be that one. This notes where the redirect goes and, on the next page, keeps
/// the message only if it is that page: shown there, or dropped.
/// </summary>
public sealed class MessageForItsPage(ITempDataDictionaryFactory tempDataFactory, IUrlHelperFactory urls) : IAsyncPageFilter
{
    public const string Key = "Message";
    private const string TargetKey = "Message.For";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        // Most requests carry no message: touching TempData would load it and answer with a cookie
        // deletion on every page (no longer cacheable as it was). Only a request that brings the
        // cookie, or a handler that redirects, needs it.
        var carried = context.HttpContext.Request.Cookies.ContainsKey(CookieTempDataProvider.CookieName);
        if (!carried)
        {
            var outcome = await next();
            if (TargetOf(outcome.Result, context) is { } redirected)
            {
                var written = tempDataFactory.GetTempData(context.HttpContext);
                if (written.Peek(Key) is not null)
                {
                    written[TargetKey] = redirected;
                }
            }

            return;
        }

        var tempData = tempDataFactory.GetTempData(context.HttpContext);
        var path = context.HttpContext.Request.Path;
        if (tempData.Peek(Key) is not null && tempData.Peek(TargetKey) is string target && SamePath(target, path))
        {
            // Read now, so it goes after this request even if the page forgets to show it.
            _ = tempData[Key];
        }
        else
        {
            tempData.Remove(Key);
        }

        tempData.Remove(TargetKey);
        var before = tempData.Peek(Key);
        var executed = await next();
        if (tempData.Peek(Key) is { } message && !ReferenceEquals(message, before))
        {
            tempData[TargetKey] = TargetOf(executed.Result, context) ?? path.Value ?? "/";
        }
    }

    private string? TargetOf(IActionResult? result, ActionContext context) => result switch
    {
        RedirectResult redirect => redirect.Url,
        LocalRedirectResult redirect => redirect.Url,
        RedirectToPageResult redirect => urls.GetUrlHelper(context).Page(redirect.PageName, redirect.PageHandler, redirect.RouteValues),
        _ => null,
    };

    private static bool SamePath(string url, PathString path)
    {
        var end = url.IndexOfAny(['?', '#']);
        var target = end < 0 ? url : url[..end];
        if (target.Length == 0)
        {
            return false;
        }

        if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            target = absolute.AbsolutePath;
        }
        else if (target[0] != '/')
        {
            return false;
        }

        return string.Equals(PathString.FromUriComponent(target).Value?.TrimEnd('/'), path.Value?.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
    }
}
