using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Jobs.Accounts;
using ValDrome.Jobs.Mail;

namespace ValDrome.Web.Pages.Account;

/// <summary>
/// The <c>admin</c> command: creates an administrator with no password and prints the one-time
/// link that sets it. Run again for an account that never set its password, it prints a fresh
/// link (the first one may have expired); for an account that has one, it refuses: that person
/// uses « Mot de passe oublié ».
/// </summary>
public static class FirstAdmin
{
    public const string Usage = "Usage : admin --email adresse@exemple.fr --name \"Prénom Nom\"";

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var email = ValueOf(args, "--email")?.Trim();
        var name = ValueOf(args, "--name")?.Trim();
        if (string.IsNullOrEmpty(email) || !MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            await output.WriteLineAsync($"Adresse électronique manquante ou non valable.\n{Usage}");
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ValDromeDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ValDromeUser>>();
        var site = scope.ServiceProvider.GetRequiredService<IOptions<PublicUrlOptions>>().Value;
        await EnsureRolesAsync(db, cancellationToken);

        var user = await users.FindByEmailAsync(email);
        if (user is not null)
        {
            if (user.PasswordHash is not null)
            {
                await output.WriteLineAsync($"Le compte {email} existe déjà et a un mot de passe : rien n'est changé. "
                    + "Si le mot de passe est perdu, utilisez « Mot de passe oublié » sur la page de connexion.");
                return 1;
            }

            await output.WriteLineAsync($"Le compte {email} existe déjà sans mot de passe : voici un nouveau lien.");
        }
        else
        {
            user = new ValDromeUser
            {
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = string.IsNullOrEmpty(name) ? email : name,
            };
            var created = await users.CreateAsync(user);
            if (created.Succeeded)
            {
                created = await users.AddToRoleAsync(user, Roles.Admin);
            }

            if (!created.Succeeded)
            {
                await output.WriteLineAsync("Le compte n'a pas pu être créé : " + string.Join(" ", created.Errors.Select(e => e.Description)));
                return 1;
            }

            await output.WriteLineAsync($"Administrateur {email} créé (identifiant : {email}).");
        }

        var link = await PasswordLinks.ForInvitationAsync(users, user, site);
        var lifespan = scope.ServiceProvider.GetRequiredService<IOptions<InvitationTokenOptions>>().Value.TokenLifespan;
        await output.WriteLineAsync($"Ouvrez ce lien pour choisir le mot de passe (valable une fois, pendant {lifespan.TotalHours:0} heures) :");
        await output.WriteLineAsync(link);
        return 0;
    }

    /// <summary>The four roles exist from the first account on: nothing else creates them outside the demo seed.</summary>
    public static async Task EnsureRolesAsync(ValDromeDb db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var existing = await db.Roles.Select(r => r.Name!).ToListAsync(cancellationToken);
        foreach (var name in Roles.All.Except(existing, StringComparer.Ordinal))
        {
            db.Roles.Add(new IdentityRole(name) { NormalizedName = name.ToUpperInvariant() });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static string? ValueOf(IReadOnlyList<string> args, string option)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (string.Equals(args[i], option, StringComparison.Ordinal))
            {
                return args[i + 1];
            }
        }

        return null;
    }
}
