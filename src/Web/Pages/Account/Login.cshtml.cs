using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;

namespace ValDrome.Web.Pages.Account;

[AllowAnonymous]
public sealed class LoginModel(
    SignInManager<ValDromeUser> signIn, UserManager<ValDromeUser> users, PasswordAttempts attempts, ValDromeDb db, TimeProvider clock) : PageModel
{
    public sealed class LoginForm
    {
        [Required(ErrorMessage = "Saisissez votre identifiant.")]
        [Display(Name = "Identifiant")]
        public string UserName { get; set; } = "";

        [Required(ErrorMessage = "Saisissez votre mot de passe.")]
        [DataType(DataType.Password)]
        [Display(Name = "Mot de passe")]
        public string Password { get; set; } = "";

        [Display(Name = "Rester connecté")]
        public bool Remember { get; set; }
    }

    [BindProperty]
    public LoginForm Form { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public int MaxAttempts => attempts.MaxAttempts;

    public int LockoutMinutes => (int)Math.Ceiling(attempts.LockoutSpan.TotalMinutes);

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            // The checkbox cannot render a value that is not a boolean (it throws): it shows unchecked, with the error.
            if (ModelState.TryGetValue("Form.Remember", out var remember) && remember.Errors.Count > 0)
            {
                ModelState.SetModelValue("Form.Remember", false, "false");
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var (outcome, user) = await attempts.CheckAsync(Form.UserName.Trim(), Form.Password, HttpContext.RequestAborted);
        if (outcome == PasswordOutcome.Succeeded && user is not null)
        {
            if (await users.GetTwoFactorEnabledAsync(user))
            {
                // Identity's own short-lived cookie holds who passed the password, until the code.
                await HttpContext.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, LoginCodeModel.Pending(user.Id));
                return Redirect(LoginCodeModel.Link(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null, Form.Remember));
            }

            await signIn.SignInAsync(user, Form.Remember);
            await LastSignIn.RecordAsync(db, user.Id, clock.GetUtcNow(), HttpContext.RequestAborted);
            if (Url.IsLocalUrl(ReturnUrl))
            {
                return LocalRedirect(ReturnUrl!);
            }

            // The technician signs in on the road: straight to today's tour rather than the loans.
            return LocalRedirect(await signIn.UserManager.IsInRoleAsync(user, Roles.Technician) ? "/tournees" : "/prets");
        }

        var minutes = (int)Math.Ceiling(attempts.LockoutSpan.TotalMinutes);
        ModelState.AddModelError("", outcome == PasswordOutcome.LockedOut
            ? $"Trop d'essais infructueux : ce compte est bloqué pendant {minutes}\u00a0minutes. Réessayez ensuite ; si vous étiez déjà connecté ailleurs, vous le restez."
            : attempts.RemainingChecks is { } left and > 0 and <= 2
                ? $"Identifiant ou mot de passe incorrect. Encore {left}\u00a0essai{(left > 1 ? "s" : "")} avant le blocage du compte pendant {minutes}\u00a0minutes."
                : "Identifiant ou mot de passe incorrect.");
        Response.StatusCode = outcome == PasswordOutcome.LockedOut ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest;
        return Page();
    }
}
