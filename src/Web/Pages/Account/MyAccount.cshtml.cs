using System.ComponentModel.DataAnnotations;
using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Jobs.Accounts;
using ValDrome.Web.Ogc;

namespace ValDrome.Web.Pages.Account;

/// <summary>The signed-in person's account: their personal access keys for GIS clients (ADR 0011).</summary>
[Authorize]
public sealed class MyAccountModel(
    ValDromeDb db, TimeProvider clock, UserManager<ValDromeUser> users, SignInManager<ValDromeUser> signIn, IBackgroundJobClient jobs) : PageModel
{
    /// <summary>Bound by its handler only (not a page property), so that the key handlers never see its rules.</summary>
    public sealed class PasswordChange
    {
        public string? Current { get; set; }

        public string? New { get; set; }

        public string? Confirmation { get; set; }
    }

    public sealed class KeyForm
    {
        [Display(Name = "Nom de la clé")]
        public string? Name { get; set; }
    }

    public sealed record KeyRow(int Id, string Name, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

    [BindProperty]
    public KeyForm Form { get; set; } = new();

    public IReadOnlyList<KeyRow> Keys { get; private set; } = [];

    /// <summary>The secret of the key just made: shown in this answer only, never stored.</summary>
    public string? NewSecret { get; private set; }

    public string? NewKeyName { get; private set; }

    public string? Message { get; private set; }

    public string UserName => User.FindFirst(ActorClaims.NameClaim)?.Value ?? User.Identity?.Name ?? "";

    public string SiteUrl => $"{Request.Scheme}://{Request.Host}{Request.PathBase}";

    public string OgcUrl => SiteUrl + OgcEndpoints.Prefix;

    public string KeyParameter => GisKeyAuthentication.QueryParameter;

    private string UserId => User.ToActor().UserId;

    public string? Email { get; private set; }

    public int MinimumLength => users.Options.Password.RequiredLength;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostPasswordAsync([Bind(Prefix = "Change")] PasswordChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (string.IsNullOrEmpty(change.Current) || string.IsNullOrEmpty(change.New))
        {
            ModelState.AddModelError("Change", "Saisissez le mot de passe actuel et le nouveau.");
        }
        else if (!string.Equals(change.New, change.Confirmation, StringComparison.Ordinal))
        {
            ModelState.AddModelError("Change", "Les deux nouveaux mots de passe ne sont pas identiques.");
        }
        else
        {
            // A new security stamp: every session of the account ends (ValDromeUserStore), this one is opened again below.
            var result = await users.ChangePasswordAsync(user, change.Current, change.New);
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError("Change", error.Description);
            }

            if (result.Succeeded)
            {
                // Every session ends, this one too: the cookie handler would only renew this session's
                // deleted row, never store a new one. The person signs in again with the new password.
                await signIn.SignOutAsync();
                return Redirect("/connexion?motdepasse=change");
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostEmailAsync(string? newEmail, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var email = newEmail?.Trim() ?? "";
        if (email.Length > 256 || !System.Net.Mail.MailAddress.TryCreate(email, out var address) || !string.Equals(address.Address, email, StringComparison.Ordinal))
        {
            ModelState.AddModelError("NewEmail", "Saisissez une adresse électronique valable.");
        }
        else if (string.Equals(users.NormalizeEmail(email), user.NormalizedEmail, StringComparison.Ordinal))
        {
            ModelState.AddModelError("NewEmail", "C'est déjà l'adresse de votre compte.");
        }
        else
        {
            SendAccountMail.EnqueueEmailChange(jobs, user.Id, email);
            TempData["Message"] = $"Un lien de confirmation part à {email} : votre adresse changera quand vous l'aurez ouvert.";
            return RedirectToPage();
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        // A key's secret must never be stored by a cache on the way back.
        Response.Headers.CacheControl = "no-store";
        var active = await db.GisAccessKeys.CountAsync(k => k.UserId == UserId && k.RevokedAt == null, cancellationToken);
        if (active >= GisAccessKey.MaxActivePerUser)
        {
            ModelState.AddModelError("", $"Vous avez déjà {GisAccessKey.MaxActivePerUser} clés actives : révoquez celles qui ne servent plus avant d'en créer une autre.");
        }
        else
        {
            try
            {
                var (key, secret) = GisAccessKey.Create(UserId, Form.Name ?? "", clock.GetUtcNow());
                db.GisAccessKeys.Add(key);
                await db.SaveChangesAsync(cancellationToken);
                (NewSecret, NewKeyName) = (secret, key.Name);
                // The form starts empty again: its field must not show the name just used.
                Form = new();
                ModelState.Clear();
            }
            catch (RuleException refusal)
            {
                ModelState.AddModelError("Form.Name", refusal.Message);
            }
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken cancellationToken)
    {
        // One guarded UPDATE: revoking twice at once, or someone else's key, changes nothing.
        var now = clock.GetUtcNow();
        var name = await db.GisAccessKeys.Where(k => k.Id == id && k.UserId == UserId && k.RevokedAt == null).Select(k => k.Name).FirstOrDefaultAsync(cancellationToken);
        var revoked = await db.GisAccessKeys
            .Where(k => k.Id == id && k.UserId == UserId && k.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.RevokedAt, now), cancellationToken);
        if (revoked == 0)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            ModelState.AddModelError("", "Cette clé n'existe pas, n'est pas la vôtre ou est déjà révoquée.");
        }
        else
        {
            Message = $"La clé « {name} » est révoquée : elle n'ouvre plus rien, dès maintenant.";
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var userId = UserId;
        Message ??= TempData["Message"] as string;
        Email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        Keys = await db.GisAccessKeys.AsNoTracking()
            .Where(k => k.UserId == userId && k.RevokedAt == null)
            .OrderBy(k => k.CreatedAt).ThenBy(k => k.Id)
            .Select(k => new KeyRow(k.Id, k.Name, k.Hint, k.CreatedAt, k.LastUsedAt))
            .ToListAsync(cancellationToken);
    }
}
