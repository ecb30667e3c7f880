using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Ogc;

/// <summary>
/// Personal access keys as an authentication scheme: the key comes as <c>?cle=…</c> or
/// <c>Authorization: Bearer …</c>, is looked up by its SHA-256 on every request (no cache, so a
/// revoked key or a locked-out user is refused at once) and yields the claims of its user, made
/// by the same factory as the sign-in cookie (ADR 0011).
/// </summary>
public sealed class GisKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ValDromeDb db,
    UserManager<ValDromeUser> users,
    IUserClaimsPrincipalFactory<ValDromeUser> claims,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "GisKey";

    /// <summary>The query parameter that carries a key (GIS clients keep it on every URL they follow).</summary>
    public const string QueryParameter = "cle";

    /// <summary>The claim naming the key a request came with.</summary>
    public const string KeyClaim = "valdrome:gis-key";

    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>The key the request carries, and whether it came in the query string; null when none.</summary>
    public static (string Secret, bool InQuery)? Presented(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Query.TryGetValue(QueryParameter, out var values))
        {
            return (values.ToString(), true);
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? (authorization["Bearer ".Length..].Trim(), false)
            : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented(Request) is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        // Secrets are 47 ASCII characters: anything much longer is not one, and is not hashed.
        if (presented.Secret.Length is 0 or > 200)
        {
            return AuthenticateResult.Fail("Cette clé d'accès n'est pas valable.");
        }

        var hash = GisAccessKey.Hash(presented.Secret);
        var key = await db.GisAccessKeys.AsNoTracking()
            .Where(k => k.SecretHash == hash)
            .Select(k => new { k.Id, k.UserId, k.RevokedAt, k.LastUsedAt })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("Cette clé d'accès n'est pas valable.");
        }

        if (key.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("Cette clé d'accès a été révoquée.");
        }

        var user = await users.FindByIdAsync(key.UserId);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            return AuthenticateResult.Fail("Le compte de cette clé d'accès est bloqué ou désactivé.");
        }

        // One guarded UPDATE at most once a minute per key: cheap, and never a lost-update race.
        var now = clock.GetUtcNow();
        if (key.LastUsedAt is null || key.LastUsedAt < now - LastUsedResolution)
        {
            var before = now - LastUsedResolution;
            await db.GisAccessKeys
                .Where(k => k.Id == key.Id && (k.LastUsedAt == null || k.LastUsedAt < before))
                .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, now), Context.RequestAborted);
        }

        var principal = await claims.CreateAsync(user);
        var identity = new ClaimsIdentity(principal.Claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(KeyClaim, key.Id.ToString(CultureInfo.InvariantCulture)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

/// <summary>What a request may read of the GIS layer: public layers, one commune's share of the private ones, or everything.</summary>
/// <param name="CacheKey">Part of every cache key of a private layer, so no cached answer crosses scopes.</param>
/// <param name="CommuneId">The commune an agent's private rows are limited to; null with <paramref name="All"/>.</param>
public sealed record GisScope(string CacheKey, bool SignedIn, bool All, int? CommuneId)
{
    public static GisScope Anonymous { get; } = new("public", false, false, null);

    public bool SeesPrivate => All || CommuneId is not null;

    public static GisScope Of(ClaimsPrincipal user)
    {
        var actor = user.ToActor();
        if (user.Identity?.IsAuthenticated != true)
        {
            return Anonymous;
        }

        if (actor.IsStaff || actor.IsTechnician || actor.IsAdmin)
        {
            return new("all", true, true, null);
        }

        return actor.IsAgent
            ? new(string.Create(CultureInfo.InvariantCulture, $"commune:{actor.CommuneId}"), true, false, actor.CommuneId)
            : new("none", true, false, null);
    }
}

/// <summary>Who may read a layer: every layer checks here, for its collection, items, item, tiles and TileJSON.</summary>
internal static class GisAccess
{
    private const string KeyInQueryItem = "valdrome:gis-key-in-query";

    /// <summary>
    /// Authenticates a presented key (it then replaces the cookie's user for this request); a key
    /// that does not open is a 401 at once, not a silent anonymous answer.
    /// </summary>
    public static async Task AuthenticateKeyAsync(HttpContext http)
    {
        if (GisKeyAuthentication.Presented(http.Request) is not { } presented)
        {
            return;
        }

        var result = await http.AuthenticateAsync(GisKeyAuthentication.SchemeName);
        if (!result.Succeeded)
        {
            throw Unauthorized(result.Failure?.Message ?? "Cette clé d'accès n'est pas valable.");
        }

        http.User = result.Principal;
        if (presented.InQuery)
        {
            http.Items[KeyInQueryItem] = presented.Secret;
        }
    }

    /// <summary>The key to carry on links, when the request came with one in its query string.</summary>
    public static string? KeyInQuery(HttpContext http) => http.Items.TryGetValue(KeyInQueryItem, out var key) ? key as string : null;

    public static GisScope Scope(HttpContext http) => GisScope.Of(http.User);

    public static bool CanRead(GisScope scope, FeatureLayer layer) => layer.Private is null || scope.SeesPrivate;

    /// <summary>The scope the layer is read in; throws 401 (anonymous) or 403 (signed in without a share).</summary>
    public static GisScope Require(HttpContext http, FeatureLayer layer)
    {
        var scope = Scope(http);
        if (layer.Private is null)
        {
            return GisScope.Anonymous;
        }

        if (!scope.SignedIn)
        {
            throw Unauthorized($"La couche « {layer.Id} » est réservée aux personnes connectées. Connectez-vous, ou créez une clé d'accès "
                + $"personnelle sur la page « Mon compte » (/compte) et passez-la en paramètre « {GisKeyAuthentication.QueryParameter} » "
                + "ou dans l'en-tête « Authorization: Bearer ».");
        }

        if (!scope.SeesPrivate)
        {
            throw new OgcRequestException(StatusCodes.Status403Forbidden, "Accès refusé", $"Votre compte ne donne pas accès à la couche « {layer.Id} ».");
        }

        http.Response.OnStarting(() =>
        {
            // The answer depends on who asks: never in a shared cache, and a cache that keeps it keys it by credentials.
            http.Response.Headers.CacheControl = "private, no-cache";
            http.Response.Headers.Append("Vary", "Cookie, Authorization");
            return Task.CompletedTask;
        });
        return scope;
    }

    private static OgcRequestException Unauthorized(string detail) =>
        new(StatusCodes.Status401Unauthorized, "Authentification requise", detail);
}
