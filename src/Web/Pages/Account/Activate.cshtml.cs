using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ValDrome.Domain.Accounts;
using ValDrome.Jobs.Accounts;

namespace ValDrome.Web.Pages.Account;

/// <summary>
/// Where a one-time link lands: an invited person chooses their first password, or someone who
/// forgot theirs chooses a new one; then they are signed in.
/// </summary>
[AllowAnonymous]
public sealed class ActivateModel(UserManager<ValDromeUser> users, SignInManager<ValDromeUser> signIn) : PageModel
{
    public sealed class PasswordForm
    {
        [Required(ErrorMessage = "Choisissez un mot de passe.")]
        [DataType(DataType.Password)]
        [Display(Name = "Nouveau mot de passe")]
        public string Password { get; set; } = "";

        [Required(ErrorMessage = "Saisissez le mot de passe une seconde fois.")]
        [DataType(DataType.Password)]
        [Compare(nameof(Password), ErrorMessage = "Les deux mots de passe ne sont pas identiques.")]
        [Display(Name = "Confirmation")]
        public string Confirmation { get; set; } = "";
    }

    [BindProperty(SupportsGet = true, Name = "compte")]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true, Name = "jeton")]
    public string? Token { get; set; }

    [BindProperty]
    public PasswordForm Form { get; set; } = new();

    /// <summary>The person's sign-in name, shown so that they know it from now on.</summary>
    public string? UserName { get; private set; }

    public bool IsInvitation { get; private set; }

    public int MinimumLength => users.Options.Password.RequiredLength;

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await ValidUserAsync();
        if (user is null)
        {
            return Refused();
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await ValidUserAsync();
        if (user is null)
        {
            return Refused();
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // Setting the password changes the security stamp: this link, and any other sent before, stop working.
        var result = user.PasswordHash is null
            ? await users.AddPasswordAsync(user, Form.Password)
            : await users.ResetPasswordAsync(user, Token!, Form.Password);
        if (result.Succeeded && !user.EmailConfirmed)
        {
            user.EmailConfirmed = true;
            result = await users.UpdateAsync(user);
        }

        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError("Form.Password", error.Description);
            }

            Response.StatusCode = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure))
                ? StatusCodes.Status409Conflict
                : StatusCodes.Status400BadRequest;
            return Page();
        }

        await users.ResetAccessFailedCountAsync(user);
        await signIn.SignInAsync(user, isPersistent: false);
        return LocalRedirect("/prets");
    }

    private async Task<ValDromeUser?> ValidUserAsync()
    {
        if (string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Token) || UserId.Length > 64 || Token.Length > 2000)
        {
            return null;
        }

        var user = await users.FindByIdAsync(UserId);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            return null;
        }

        IsInvitation = user.PasswordHash is null;
        var valid = IsInvitation
            ? await users.VerifyUserTokenAsync(user, InvitationTokenOptions.ProviderName, PasswordLinks.InvitationPurpose, Token)
            : await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<ValDromeUser>.ResetPasswordTokenPurpose, Token);
        UserName = user.UserName;
        return valid ? user : null;
    }

    private PageResult Refused()
    {
        UserName = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        ModelState.AddModelError("", "Ce lien n'est plus valable : il a expiré, a déjà servi, ou le compte est désactivé. "
            + "Demandez une nouvelle invitation au service du matériel, ou un nouveau lien avec « Mot de passe oublié ».");
        return Page();
    }
}
