using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using QRCoder;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;

namespace ValDrome.Web.Pages.Account;

/// <summary>
/// Admins and staff enrol an authenticator (TOTP, Identity's own provider), get recovery codes,
/// and turn the second factor off (unless it is compulsory for admins).
/// </summary>
[Authorize(Roles = Roles.Admin + "," + Roles.Staff)]
public sealed class TwoFactorModel(
    UserManager<ValDromeUser> users, IDataProtectionProvider protection,
    IOptions<TwoFactorOptions> options) : PageModel
{
    private const int RecoveryCodeCount = 10;

    public bool Enabled { get; private set; }

    /// <summary>The key being enrolled, shown in groups of four for typing by hand.</summary>
    public string? Key { get; private set; }

    /// <summary>The key, protected, carried by the form between the page and its POST (it is stored only once a code proves it).</summary>
    public string? ProtectedKey { get; private set; }

    public string? QrCodeDataUri { get; private set; }

    /// <summary>Recovery codes just made: shown in this answer only.</summary>
    public IReadOnlyList<string> NewRecoveryCodes { get; private set; } = [];

    public int RecoveryCodesLeft { get; private set; }

    public bool Compulsory => options.Value.RequireTwoFactorForAdmins && User.IsInRole(Roles.Admin);

    private IDataProtector Protector => protection.CreateProtector("ValDrome.TwoFactor.Enrolment");

    /// <summary>Identity's store behind <see cref="UserManager{TUser}"/> (the same scoped instance), for what must not change the security stamp.</summary>
    private TStore Store<TStore>() => (TStore)HttpContext.RequestServices.GetRequiredService<IUserStore<ValDromeUser>>();

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        await LoadAsync(user, users.GenerateNewAuthenticatorKey());
        return Page();
    }

    public async Task<IActionResult> OnPostEnableAsync(string? key, string? code)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (user.TwoFactorEnabled)
        {
            return Redirect(TwoFactorEnrolment.PagePath);
        }

        string secret;
        try
        {
            secret = Protector.Unprotect(key ?? "");
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return await RefuseAsync(user, users.GenerateNewAuthenticatorKey(), "La page a expiré : scannez le nouveau code et recommencez.");
        }

        var digits = new string((code ?? "").Where(c => !char.IsWhiteSpace(c)).ToArray());
        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit))
        {
            return await RefuseAsync(user, secret, "Saisissez le code à 6 chiffres qu'affiche votre application.");
        }

        // The key goes to the store (tracked, not saved) so that Identity's own provider checks the code against it.
        await Store<IUserAuthenticatorKeyStore<ValDromeUser>>().SetAuthenticatorKeyAsync(user, secret, HttpContext.RequestAborted);
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits))
        {
            HttpContext.RequestServices.GetRequiredService<ValDromeDb>().ChangeTracker.Clear();
            user = await users.GetUserAsync(User) ?? throw new InvalidOperationException("The user vanished.");
            return await RefuseAsync(user, secret, "Ce code ne correspond pas : vérifiez l'heure de votre téléphone et saisissez le code affiché maintenant.");
        }

        // Through the store, not UserManager.SetTwoFactorEnabledAsync: that changes the security stamp, which
        // ends every session (ADR 12), this one included, and the cookie handler only renews a session, it
        // cannot bring an ended one back. The key, the flag and the recovery codes are saved together.
        await Store<IUserTwoFactorStore<ValDromeUser>>().SetTwoFactorEnabledAsync(user, true, HttpContext.RequestAborted);
        NewRecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        Enabled = true;
        RecoveryCodesLeft = NewRecoveryCodes.Count;
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (!user.TwoFactorEnabled)
        {
            return await RefuseAsync(user, users.GenerateNewAuthenticatorKey(), "La double authentification n'est pas activée : activez-la d'abord.");
        }

        NewRecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        Enabled = true;
        RecoveryCodesLeft = NewRecoveryCodes.Count;
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (Compulsory)
        {
            Enabled = user.TwoFactorEnabled;
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            ModelState.AddModelError("", "La double authentification est obligatoire pour les administrateurs : elle ne se désactive pas.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (user.TwoFactorEnabled)
        {
            // A new key and no recovery codes: the old ones, still in the phone or a drawer, must never open the account again.
            await Store<IUserTwoFactorStore<ValDromeUser>>().SetTwoFactorEnabledAsync(user, false, HttpContext.RequestAborted);
            await Store<IUserAuthenticatorKeyStore<ValDromeUser>>().SetAuthenticatorKeyAsync(user, users.GenerateNewAuthenticatorKey(), HttpContext.RequestAborted);
            await Store<IUserTwoFactorRecoveryCodeStore<ValDromeUser>>().ReplaceCodesAsync(user, [], HttpContext.RequestAborted);
            await users.UpdateAsync(user);
        }

        TempData["Message"] = "Double authentification désactivée.";
        return Redirect(TwoFactorEnrolment.PagePath);
    }

    private async Task<IActionResult> RefuseAsync(ValDromeUser user, string key, string message)
    {
        ModelState.AddModelError("", message);
        await LoadAsync(user, key);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task LoadAsync(ValDromeUser user, string key)
    {
        Enabled = user.TwoFactorEnabled;
        if (Enabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            return;
        }

        Key = string.Join(' ', key.ToLowerInvariant().Chunk(4).Select(c => new string(c)));
        ProtectedKey = Protector.Protect(key);
        var label = Uri.EscapeDataString("ValDrome:" + (user.Email ?? user.UserName ?? ""));
        var uri = string.Create(CultureInfo.InvariantCulture, $"otpauth://totp/{label}?secret={key}&issuer=ValDrome&digits=6");
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        using var png = new PngByteQRCode(data);
        QrCodeDataUri = "data:image/png;base64," + Convert.ToBase64String(png.GetGraphic(5));
    }
}
