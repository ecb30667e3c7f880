using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using Hangfire;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Jobs.Accounts;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Admin;

/// <summary>
/// Accounts, kept by staff and admins: invite, resend the invitation, unlock, disable, change role
/// or commune. Staff never make an admin nor touch an admin's account. Every change carries the
/// account's concurrency stamp as the form showed it: a change made meanwhile wins, this one is refused.
/// </summary>
public sealed class AccountsModel(ValDromeDb db, UserManager<ValDromeUser> users, IBackgroundJobClient jobs, TimeProvider clock) : PageModel
{
    public sealed class InviteForm
    {
        [Display(Name = "Adresse électronique")]
        public string? Email { get; set; }

        [Display(Name = "Nom affiché")]
        public string? DisplayName { get; set; }

        [Display(Name = "Rôle")]
        public string? Role { get; set; }

        [Display(Name = "Commune")]
        public int? CommuneId { get; set; }
    }

    public sealed record AccountRow(
        string Id, string UserName, string DisplayName, string? Email, int? CommuneId, string? Commune, string? Role,
        bool Invited, bool Disabled, DateTimeOffset? LockedUntil, DateTimeOffset? LastSignInAt, string Stamp);

    public sealed record CommuneOption(int Id, string Name);

    /// <summary>"Disabled" is a lockout that never ends: sessions, sign-in and GIS keys all refuse it already.</summary>
    public static readonly DateTimeOffset DisabledUntil = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyDictionary<string, string> RoleNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Roles.Agent] = "Agent de commune",
        [Roles.Staff] = "Service du matériel",
        [Roles.Technician] = "Technicien",
        [Roles.Admin] = "Administrateur",
    };

    [BindProperty]
    public InviteForm Invite { get; set; } = new();

    public IReadOnlyList<AccountRow> Accounts { get; private set; } = [];

    public IReadOnlyList<CommuneOption> Communes { get; private set; } = [];

    public string? Message { get; private set; }

    public bool MayMakeAdmins => User.IsInRole(Roles.Admin);

    public IEnumerable<string> GrantableRoles => Roles.All.Where(r => MayMakeAdmins || r != Roles.Admin);

    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken cancellationToken)
    {
        var email = Invite.Email?.Trim() ?? "";
        var name = Invite.DisplayName?.Trim() ?? "";
        if (!MailAddress.TryCreate(email, out var address) || !string.Equals(address.Address, email, StringComparison.Ordinal) || email.Length > 256)
        {
            ModelState.AddModelError("Invite.Email", "Saisissez une adresse électronique valable (prenom.nom@mairie.fr).");
        }

        if (name.Length is 0 or > 100)
        {
            ModelState.AddModelError("Invite.DisplayName", "Saisissez le nom affiché (100\u00a0caractères au plus).");
        }

        await CheckRoleAndCommuneAsync("Invite", Invite.Role, Invite.CommuneId, cancellationToken);
        if (!ModelState.IsValid)
        {
            return await RefusedAsync(StatusCodes.Status400BadRequest, cancellationToken);
        }

        var user = new ValDromeUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = name,
            CommuneId = Invite.Role == Roles.Agent ? Invite.CommuneId : null,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await FirstAdmin.EnsureRolesAsync(db, cancellationToken);
        var result = await users.CreateAsync(user);
        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(user, Invite.Role!);
        }

        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError("Invite.Email", error.Description);
            }

            return await RefusedAsync(StatusCodes.Status409Conflict, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        SendAccountMail.Enqueue(jobs, user.Id, AccountMail.Invitation);
        TempData["Message"] = $"Invitation envoyée à {email}. Son identifiant est son adresse électronique.";
        return RedirectToPage();
    }

    public Task<IActionResult> OnPostResendAsync(string? id, string? stamp, CancellationToken cancellationToken) =>
        ChangeAsync(id, stamp, async user =>
        {
            if (user.PasswordHash is not null)
            {
                return "Ce compte a déjà un mot de passe : la personne peut utiliser « Mot de passe oublié ».";
            }

            SendAccountMail.Enqueue(jobs, user.Id, AccountMail.Invitation);
            await Task.CompletedTask;
            return null;
        }, "Invitation renvoyée à {0}.", cancellationToken);

    public Task<IActionResult> OnPostUnlockAsync(string? id, string? stamp, CancellationToken cancellationToken) =>
        ChangeAsync(id, stamp, async user =>
        {
            user.LockoutEnd = null;
            user.AccessFailedCount = 0;
            return await SaveAsync(user);
        }, "Le compte {0} est débloqué.", cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(string? id, string? stamp, CancellationToken cancellationToken) =>
        ChangeAsync(id, stamp, async user =>
        {
            if (user.Id == User.ToActor().UserId)
            {
                return "Vous ne pouvez pas désactiver votre propre compte.";
            }

            // Through the store: a lockout ends every session of the account at once (ValDromeUserStore).
            user.LockoutEnabled = true;
            user.LockoutEnd = DisabledUntil;
            return await SaveAsync(user);
        }, "Le compte {0} est désactivé : ses sessions et ses clés d'accès SIG ne fonctionnent plus.", cancellationToken);

    public Task<IActionResult> OnPostChangeAsync(string? id, string? stamp, string? role, int? communeId, CancellationToken cancellationToken) =>
        ChangeAsync(id, stamp, async user =>
        {
            await CheckRoleAndCommuneAsync("", role, communeId, cancellationToken);
            if (!ModelState.IsValid)
            {
                return ModelState.Values.SelectMany(v => v.Errors).First().ErrorMessage;
            }

            if (user.Id == User.ToActor().UserId && role != Roles.Admin && User.IsInRole(Roles.Admin))
            {
                return "Vous ne pouvez pas retirer vos propres droits d'administrateur.";
            }

            user.CommuneId = role == Roles.Agent ? communeId : null;
            var current = await users.GetRolesAsync(user);
            // Changing roles renews the security stamp, which signs the person out (ValDromeUserStore):
            // their cookie carries the old role and commune.
            var result = await users.RemoveFromRolesAsync(user, current);
            if (result.Succeeded)
            {
                result = await users.AddToRoleAsync(user, role!);
            }

            return result.Succeeded ? null : string.Join(" ", result.Errors.Select(e => e.Description));
        }, "Le rôle ou la commune de {0} est changé ; la personne devra se reconnecter.", cancellationToken);

    /// <summary>Loads the account, checks the rights and the stamp, runs the change in one transaction.</summary>
    private async Task<IActionResult> ChangeAsync(
        string? id, string? stamp, Func<ValDromeUser, Task<string?>> change, string done, CancellationToken cancellationToken)
    {
        var user = string.IsNullOrEmpty(id) || id.Length > 64 ? null : await users.FindByIdAsync(id);
        if (user is null)
        {
            ModelState.AddModelError("", "Ce compte n'existe pas.");
            return await RefusedAsync(StatusCodes.Status404NotFound, cancellationToken);
        }

        if (!MayMakeAdmins && await users.IsInRoleAsync(user, Roles.Admin))
        {
            ModelState.AddModelError("", "Seul un administrateur peut modifier le compte d'un administrateur.");
            return await RefusedAsync(StatusCodes.Status403Forbidden, cancellationToken);
        }

        if (!string.Equals(stamp, user.ConcurrencyStamp, StringComparison.Ordinal))
        {
            ModelState.AddModelError("", $"Le compte {user.UserName} vient d'être modifié par quelqu'un d'autre : voici son état actuel, recommencez si besoin.");
            return await RefusedAsync(StatusCodes.Status409Conflict, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var refusal = await change(user);
        if (refusal is not null)
        {
            ModelState.AddModelError("", refusal);
            var status = refusal == new FrenchIdentityErrors().ConcurrencyFailure().Description
                ? StatusCodes.Status409Conflict
                : StatusCodes.Status400BadRequest;
            return await RefusedAsync(status, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        TempData["Message"] = string.Format(System.Globalization.CultureInfo.InvariantCulture, done, user.UserName);
        return RedirectToPage();
    }

    private async Task<string?> SaveAsync(ValDromeUser user)
    {
        var result = await users.UpdateAsync(user);
        return result.Succeeded ? null : string.Join(" ", result.Errors.Select(e => e.Description));
    }

    private async Task CheckRoleAndCommuneAsync(string prefix, string? role, int? communeId, CancellationToken cancellationToken)
    {
        var roleField = prefix.Length > 0 ? $"{prefix}.Role" : "";
        if (role is null || !RoleNames.ContainsKey(role))
        {
            ModelState.AddModelError(roleField, "Choisissez un rôle.");
            return;
        }

        if (role == Roles.Admin && !MayMakeAdmins)
        {
            ModelState.AddModelError(roleField, "Seul un administrateur peut nommer un administrateur.");
        }

        if (role == Roles.Agent && (communeId is not { } commune || !await db.Communes.AnyAsync(c => c.Id == commune, cancellationToken)))
        {
            ModelState.AddModelError(prefix.Length > 0 ? $"{prefix}.CommuneId" : "", "Un agent agit pour une commune : choisissez-la.");
        }
    }

    private async Task<IActionResult> RefusedAsync(int status, CancellationToken cancellationToken)
    {
        Response.StatusCode = status;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Message = TempData["Message"] as string;
        Communes = await db.Communes.AsNoTracking().OrderBy(c => c.Name).Select(c => new CommuneOption(c.Id, c.Name)).ToListAsync(cancellationToken);
        var rows = await (from u in db.Users.AsNoTracking()
                          orderby u.UserName
                          select new
                          {
                              u.Id,
                              u.UserName,
                              u.DisplayName,
                              u.Email,
                              u.CommuneId,
                              Commune = u.Commune != null ? u.Commune.Name : null,
                              Role = (from l in db.UserRoles join r in db.Roles on l.RoleId equals r.Id where l.UserId == u.Id select r.Name).FirstOrDefault(),
                              Invited = u.PasswordHash == null,
                              u.LockoutEnd,
                              u.LastSignInAt,
                              u.ConcurrencyStamp,
                          }).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        Accounts = [.. rows.Select(r => new AccountRow(
            r.Id, r.UserName ?? "", r.DisplayName, r.Email, r.CommuneId, r.Commune, r.Role, r.Invited,
            r.LockoutEnd == DisabledUntil, r.LockoutEnd > now && r.LockoutEnd != DisabledUntil ? r.LockoutEnd : null,
            r.LastSignInAt, r.ConcurrencyStamp ?? ""))];
    }
}
