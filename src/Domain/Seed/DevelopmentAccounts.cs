using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Communes;

namespace ValDrome.Domain.Seed;

/// <summary>
/// Development accounts (listed in the README): one agent per commune, <c>mairie-INSEE</c>, plus
/// <c>staff</c>, <c>technicien</c> and <c>admin</c>, all with <see cref="Password"/>. Never seeded
/// outside Development.
/// </summary>
public static class DevelopmentAccounts
{
    public const string Password = "ValDrome-2026";
    public const string Staff = "staff";
    public const string Technician = "technicien";
    public const string Admin = "admin";

    public static string AgentOf(string insee) => $"mairie-{insee}";

    internal static async Task SeedAsync(ValDromeDb db, IEnumerable<Commune> communes, CancellationToken cancellationToken)
    {
        var roles = await db.Roles.ToDictionaryAsync(r => r.Name!, cancellationToken);
        foreach (var name in Roles.All.Where(r => !roles.ContainsKey(r)))
        {
            var role = new IdentityRole(name) { NormalizedName = name.ToUpperInvariant() };
            db.Roles.Add(role);
            roles.Add(name, role);
        }

        var existing = (await db.Users.Select(u => u.UserName!).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var wanted = communes
            .OrderBy(c => c.Insee, StringComparer.Ordinal)
            .Select(c => (AgentOf(c.Insee), "Secrétariat de mairie " + FrenchNames.Of(c.Name), (int?)c.Id, Roles.Agent))
            .Append((Staff, "Service du matériel (communauté de communes)", null, Roles.Staff))
            .Append((Technician, "Technicien de la communauté de communes", null, Roles.Technician))
            .Append((Admin, "Administrateur ValDrome", null, Roles.Admin))
            .Where(w => !existing.Contains(w.Item1))
            .ToList();
        if (wanted.Count == 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        // One hash for all: hashing is deliberately slow, and these accounts share one password.
        var hash = new PasswordHasher<ValDromeUser>().HashPassword(new ValDromeUser(), Password);
        foreach (var (userName, displayName, communeId, role) in wanted)
        {
            var email = $"{userName}@valdrome.test";
            var user = new ValDromeUser
            {
                UserName = userName,
                NormalizedUserName = userName.ToUpperInvariant(),
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                EmailConfirmed = true,
                DisplayName = displayName,
                CommuneId = communeId,
                PasswordHash = hash,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                LockoutEnabled = true,
            };
            db.Users.Add(user);
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roles[role].Id });
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
