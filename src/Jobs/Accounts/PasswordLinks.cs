using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ValDrome.Domain.Accounts;
using ValDrome.Jobs.Mail;

namespace ValDrome.Jobs.Accounts;

/// <summary>
/// Section <c>ValDrome:Accounts:Invitation</c> (<c>TokenLifespan</c>, 3 days by default). An invitation link lives longer than a password reset link
/// (a mairie's secretary may read the mail days later), but not forever.
/// </summary>
public sealed class InvitationTokenOptions : DataProtectionTokenProviderOptions
{
    public const string Section = "ValDrome:Accounts:Invitation";

    public const string ProviderName = "Invitation";

    public InvitationTokenOptions()
    {
        Name = ProviderName;
        TokenLifespan = TimeSpan.FromDays(3);
    }
}

/// <summary>Identity's data-protected tokens with the invitation's own lifespan.</summary>
public sealed class InvitationTokenProvider(
    IDataProtectionProvider protection, IOptions<InvitationTokenOptions> options, ILogger<DataProtectorTokenProvider<ValDromeUser>> logger)
    : DataProtectorTokenProvider<ValDromeUser>(protection, options, logger);

/// <summary>
/// The one-time links that set a password: an invitation (the account has no password yet) or a
/// forgotten password. Both carry Identity tokens bound to the security stamp, which setting the
/// password changes: a link works once.
/// </summary>
public static class PasswordLinks
{
    public const string InvitationPurpose = "invitation";

    public const string PagePath = "/compte/activer";

    public static async Task<string> ForInvitationAsync(UserManager<ValDromeUser> users, ValDromeUser user, PublicUrlOptions site)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(site);
        var token = await users.GenerateUserTokenAsync(user, InvitationTokenOptions.ProviderName, InvitationPurpose);
        return site.Link($"{PagePath}?compte={Uri.EscapeDataString(user.Id)}&jeton={Uri.EscapeDataString(token)}");
    }

    public static async Task<string> ForResetAsync(UserManager<ValDromeUser> users, ValDromeUser user, PublicUrlOptions site)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(site);
        var token = await users.GeneratePasswordResetTokenAsync(user);
        return site.Link($"{PagePath}?compte={Uri.EscapeDataString(user.Id)}&jeton={Uri.EscapeDataString(token)}");
    }
}
