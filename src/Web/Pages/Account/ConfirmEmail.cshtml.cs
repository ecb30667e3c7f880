using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ValDrome.Domain.Accounts;

namespace ValDrome.Web.Pages.Account;

/// <summary>
/// The link mailed to a new address. Opening it only shows a button: mail scanners follow links,
/// and a change must be a person's choice.
/// </summary>
[AllowAnonymous]
public sealed class ConfirmEmailModel(UserManager<ValDromeUser> users) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "compte")]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true, Name = "adresse")]
    public string? NewEmail { get; set; }

    [BindProperty(SupportsGet = true, Name = "jeton")]
    public string? Token { get; set; }

    public bool Valid { get; private set; }

    public bool Done { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await ValidUserAsync();
        return user is null ? Refused() : Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await ValidUserAsync();
        if (user is null)
        {
            return Refused();
        }

        // Changes the security stamp too: the person signs in again everywhere.
        var result = await users.ChangeEmailAsync(user, NewEmail!, Token!);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError("", error.Description);
            }

            Response.StatusCode = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateEmail))
                ? StatusCodes.Status409Conflict
                : StatusCodes.Status400BadRequest;
            return Page();
        }

        Done = true;
        return Page();
    }

    private async Task<ValDromeUser?> ValidUserAsync()
    {
        if (string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(NewEmail) || string.IsNullOrEmpty(Token)
            || UserId.Length > 64 || NewEmail.Length > 256 || Token.Length > 2000)
        {
            return null;
        }

        var user = await users.FindByIdAsync(UserId);
        if (user is null || await users.IsLockedOutAsync(user)
            || !await users.VerifyUserTokenAsync(user, users.Options.Tokens.ChangeEmailTokenProvider, UserManager<ValDromeUser>.GetChangeEmailTokenPurpose(NewEmail), Token))
        {
            return null;
        }

        Valid = true;
        return user;
    }

    private PageResult Refused()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        ModelState.AddModelError("", "Ce lien n'est plus valable : il a expiré ou a déjà servi. Demandez un nouveau changement d'adresse depuis « Mon compte ».");
        return Page();
    }
}
