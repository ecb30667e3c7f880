using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;

namespace ValDrome.Web.Pages.Account;

/// <summary><c>ValDrome:Accounts:RequireTwoFactorForAdmins</c>: whether an admin must have a second factor before anything else.</summary>
public sealed class TwoFactorOptions
{
    public const string Section = "ValDrome:Accounts";

    public bool RequireTwoFactorForAdmins { get; set; }
}

/// <summary>When the setting asks for it, an admin signed in without a second factor is sent to enrol one before any other page.</summary>
public static class TwoFactorEnrolment
{
    public const string PagePath = "/compte/double-authentification";

    /// <summary>What an admin still reaches before enrolling: the enrolment page itself, signing out, the error pages.</summary>
    private static readonly string[] Open = [PagePath, "/deconnexion", "/erreur"];

    public static IApplicationBuilder UseTwoFactorEnrolment(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            if (context.RequestServices.GetRequiredService<IOptions<TwoFactorOptions>>().Value.RequireTwoFactorForAdmins
                && context.User.Identity is { IsAuthenticated: true, AuthenticationType: var type } && type == IdentityConstants.ApplicationScheme
                && context.User.IsInRole(Roles.Admin)
                && !Open.Any(path => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase))
                && context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
            {
                // One primary-key read, for admins only: the setting may have been turned on after they signed in.
                var db = context.RequestServices.GetRequiredService<ValDromeDb>();
                if (!await db.Users.Where(u => u.Id == userId).Select(u => u.TwoFactorEnabled).SingleOrDefaultAsync(context.RequestAborted))
                {
                    context.Response.Redirect(PagePath);
                    return;
                }
            }

            await next(context);
        });
    }
}
