namespace ValDrome.Web.Pages.Admin;

/// <summary>
/// Hangfire's dashboard polls <c>/jobs/stats</c> with a form POST (<c>metrics[]=…</c>). Anything
/// else sent there (a GET, a POST without a form) made Hangfire read a form that is not there: a
/// 500. Those answer 405 or 415 before the dashboard sees them.
/// </summary>
public static class JobsDashboardStats
{
    public static IApplicationBuilder UseJobsDashboardStatsGuard(this IApplicationBuilder app, string dashboardPath) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (request.Path.StartsWithSegments($"{dashboardPath}/stats", StringComparison.OrdinalIgnoreCase))
            {
                if (!HttpMethods.IsPost(request.Method))
                {
                    context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                    context.Response.Headers.Allow = "POST";
                    return;
                }

                if (!request.HasFormContentType)
                {
                    context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                    return;
                }
            }

            await next(context);
        });
}
