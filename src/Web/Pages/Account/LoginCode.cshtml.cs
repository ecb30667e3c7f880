using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;

namespace ValDrome.Web.Pages.Account;

/// <summary>The second step of signing in, for people with an authenticator: its code, or one of their recovery codes.</summary>
[AllowAnonymous]
public sealed class LoginCodeModel(
    SignInManager<ValDromeUser> signIn, UserManager<ValDromeUser> users, PasswordAttempts attempts, ValDromeDb db, TimeProvider clock) : PageModel
{
    public const string Path = "/connexion/code";

    /// <summary>What Identity's two-factor cookie holds (as its own <c>PasswordSignInAsync</c> writes it): the user's id.</summary>
    public static ClaimsPrincipal Pending(string userId)
    {
        var identity = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
        identity.AddClaim(new Claim(ClaimTypes.Name, userId));
        return new ClaimsPrincipal(identity);
    }

    public static string Link(string? returnUrl, bool remember) =>
        Path + QueryString.Create(new KeyValuePair<string, string?>[] { new("ReturnUrl", returnUrl), new("Remember", remember ? "true" : "false") }).ToUriComponent();

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public bool Recovery { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Remember { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Recovery = Request.Query["secours"] == "1";
        return await signIn.GetTwoFactorAuthenticationUserAsync() is null ? Redirect("/connexion") : Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            // The step's cookie lasts minutes: start again from the password.
            return Redirect("/connexion");
        }

        ModelState.Clear();
        var code = new string((Code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        if (code.Length == 0 || code.Length > 32)
        {
            ModelState.AddModelError(nameof(Code), Recovery ? "Saisissez l'un de vos codes de secours." : "Saisissez le code à 6 chiffres de votre application.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var outcome = await attempts.CheckSecondFactorAsync(user, async () => Recovery
                ? (await users.RedeemTwoFactorRecoveryCodeAsync(user, code)).Succeeded
                : code.Length == 6 && code.All(char.IsAsciiDigit)
                    && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code),
            HttpContext.RequestAborted);
        if (outcome == PasswordOutcome.Succeeded)
        {
            await HttpContext.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
            await signIn.SignInWithClaimsAsync(user, Remember, [new Claim("amr", "mfa")]);
            await LastSignIn.RecordAsync(db, user.Id, clock.GetUtcNow(), HttpContext.RequestAborted);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/prets");
        }

        var minutes = (int)Math.Ceiling(attempts.LockoutSpan.TotalMinutes);
        ModelState.AddModelError(nameof(Code), outcome == PasswordOutcome.LockedOut
            ? $"Trop d'essais infructueux : ce compte est bloqué pendant {minutes}\u00a0minutes. Réessayez ensuite ; si vous étiez déjà connecté ailleurs, vous le restez."
            : attempts.RemainingChecks is { } left and > 0 and <= 2
                ? $"Code incorrect. Encore {left}\u00a0essai{(left > 1 ? "s" : "")} avant le blocage du compte pendant {minutes}\u00a0minutes."
                : "Code incorrect. Vérifiez l'heure de votre téléphone et saisissez le code affiché maintenant.");
        Response.StatusCode = outcome == PasswordOutcome.LockedOut ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest;
        Code = null;
        return Page();
    }
}
