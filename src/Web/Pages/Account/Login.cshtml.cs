using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ValDrome.Domain.Accounts;

namespace ValDrome.Web.Pages.Account;

[AllowAnonymous]
public sealed class LoginModel(SignInManager<ValDromeUser> signIn) : PageModel
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

        var result = await signIn.PasswordSignInAsync(Form.UserName.Trim(), Form.Password, Form.Remember, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/prets");
        }

        ModelState.AddModelError("", result.IsLockedOut
            ? "Trop d'essais infructueux : ce compte est bloqué pendant 15 minutes."
            : "Identifiant ou mot de passe incorrect.");
        Response.StatusCode = result.IsLockedOut ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest;
        return Page();
    }
}
