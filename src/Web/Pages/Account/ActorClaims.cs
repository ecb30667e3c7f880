using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ValDrome.Domain.Accounts;

namespace ValDrome.Web.Pages.Account;

/// <summary>The signed-in user as the domain rules see them (<see cref="Actor"/>).</summary>
public static class ActorClaims
{
    public const string CommuneClaim = "valdrome:commune";
    public const string NameClaim = "valdrome:name";

    public static Actor ToActor(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return new Actor("", "Anonyme", null, new HashSet<string>());
        }

        var communeId = user.FindFirstValue(CommuneClaim) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : (int?)null;
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new Actor(
            user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
            user.FindFirstValue(NameClaim) ?? user.Identity.Name ?? "",
            communeId,
            roles);
    }
}

/// <summary>Puts the agent's commune and display name into the sign-in cookie.</summary>
public sealed class ValDromeClaimsFactory(
    UserManager<ValDromeUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ValDromeUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ValDromeUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ActorClaims.NameClaim, user.DisplayName));
        if (user.CommuneId is { } communeId)
        {
            identity.AddClaim(new Claim(ActorClaims.CommuneClaim, communeId.ToString(CultureInfo.InvariantCulture)));
        }

        return identity;
    }
}
