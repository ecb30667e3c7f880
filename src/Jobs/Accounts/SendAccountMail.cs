using Hangfire;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ValDrome.Domain.Accounts;
using ValDrome.Jobs.Mail;

namespace ValDrome.Jobs.Accounts;

public enum AccountMail
{
    /// <summary>An account was made for someone: their identifier and the link that sets the first password.</summary>
    Invitation,

    /// <summary>« Mot de passe oublié »: a link that sets a new one.</summary>
    PasswordReset,
}

/// <summary>
/// Mails a person a one-time link. The link is made here, when the mail leaves, never stored: a
/// job's arguments are visible on the jobs dashboard. Unlike a loan's notice (ADR 7) a second
/// run sends a second mail; both links work until one of them sets the password.
/// </summary>
public sealed class SendAccountMail(UserManager<ValDromeUser> users, Mailer mailer, IOptions<PublicUrlOptions> site, IOptions<InvitationTokenOptions> invitation)
{
    public async Task<bool> RunAsync(string userId, AccountMail kind, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId);
        if (user?.Email is null || await users.IsLockedOutAsync(user))
        {
            return false;
        }

        var message = kind switch
        {
            AccountMail.Invitation => new MailMessage([user.Email], "Votre compte ValDrome", $"""
                Bonjour,

                Un compte ValDrome vient d'être ouvert pour vous ({user.DisplayName}).
                Votre identifiant : {user.UserName}

                Pour choisir votre mot de passe, ouvrez ce lien (il sert une seule fois et expire dans {invitation.Value.TokenLifespan.TotalHours:0} heures) :
                {await PasswordLinks.ForInvitationAsync(users, user, site.Value)}

                Si le lien a expiré, demandez une nouvelle invitation au service du matériel de la communauté de communes.
                """),
            AccountMail.PasswordReset => new MailMessage([user.Email], "Nouveau mot de passe ValDrome", $"""
                Bonjour,

                Quelqu'un (vous, sans doute) a demandé un nouveau mot de passe pour le compte ValDrome « {user.UserName} ».
                Pour le choisir, ouvrez ce lien (il sert une seule fois et expire dans 24 heures) :
                {await PasswordLinks.ForResetAsync(users, user, site.Value)}

                Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.
                """),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        await mailer.SendAsync(message, cancellationToken);
        return true;
    }

    /// <summary>Asks the new address to confirm itself: the account's address changes only when its link is used.</summary>
    public async Task<bool> RunEmailChangeAsync(string userId, string newEmail, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            return false;
        }

        var token = await users.GenerateChangeEmailTokenAsync(user, newEmail);
        var link = site.Value.Link($"/compte/adresse?compte={Uri.EscapeDataString(user.Id)}&adresse={Uri.EscapeDataString(newEmail)}&jeton={Uri.EscapeDataString(token)}");
        await mailer.SendAsync(new MailMessage([newEmail], "Confirmez votre nouvelle adresse ValDrome", $"""
            Bonjour,

            Le compte ValDrome « {user.UserName} » ({user.DisplayName}) veut recevoir ses mails à cette adresse.
            Pour confirmer, ouvrez ce lien (il sert une seule fois et expire dans 24 heures) :
            {link}

            Votre identifiant ne change pas. Si vous n'avez rien demandé, ignorez ce message.
            """), cancellationToken);
        return true;
    }

    public static void EnqueueEmailChange(IBackgroundJobClient jobs, string userId, string newEmail)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        jobs.Enqueue<SendAccountMail>(job => job.RunEmailChangeAsync(userId, newEmail, CancellationToken.None));
    }

    /// <summary>Queues the mail for after the answer: the page does not wait for the mail server.</summary>
    public static void Enqueue(IBackgroundJobClient jobs, string userId, AccountMail kind)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        jobs.Enqueue<SendAccountMail>(job => job.RunAsync(userId, kind, CancellationToken.None));
    }
}
