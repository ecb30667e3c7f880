using Hangfire.Dashboard;
using ValDrome.Domain.Accounts;

namespace ValDrome.Web.Pages.Account;

/// <summary>The Hangfire dashboard is for admins only (signed in with the site's cookie).</summary>
public sealed class AdminsOnlyDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetHttpContext().User.IsInRole(Roles.Admin);
    }
}
