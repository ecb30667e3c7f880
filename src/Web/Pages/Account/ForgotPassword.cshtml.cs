using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ValDrome.Domain.Accounts;
using ValDrome.Jobs.Accounts;

namespace ValDrome.Web.Pages.Account;

/// <summary>
/// « Mot de passe oublié »: a link by mail. The answer is the same whether the address has an
/// account or not, so that the page tells no stranger who has one.
/// </summary>
[AllowAnonymous]
public sealed class ForgotPasswordModel(UserManager<ValDromeUser> users, IBackgroundJobClient jobs) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var email = Email?.Trim() ?? "";
        if (email.Length is 0 or > 256 || !email.Contains('@', StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(Email), "Saisissez l'adresse électronique de votre compte.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var user = await users.FindByEmailAsync(email);
        if (user is not null && !await users.IsLockedOutAsync(user))
        {
            // Someone who never set a password gets their invitation again: a reset link needs a password to replace.
            SendAccountMail.Enqueue(jobs, user.Id, user.PasswordHash is null ? AccountMail.Invitation : AccountMail.PasswordReset);
        }

        Sent = true;
        return Page();
    }
}
