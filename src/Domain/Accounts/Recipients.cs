using Microsoft.EntityFrameworkCore;

namespace ValDrome.Domain.Accounts;

/// <summary>Who gets a commune's mail, or the community's.</summary>
public static class Recipients
{
    public static Task<List<string>> AgentsOfAsync(ValDromeDb db, int communeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Users.Where(u => u.CommuneId == communeId && u.Email != null).Select(u => u.Email!).ToListAsync(cancellationToken);
    }

    public static Task<List<string>> InRoleAsync(ValDromeDb db, string role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return (from user in db.Users
                join link in db.UserRoles on user.Id equals link.UserId
                join r in db.Roles on link.RoleId equals r.Id
                where r.Name == role && user.Email != null
                select user.Email!).ToListAsync(cancellationToken);
    }

    /// <summary>The owner side of a unit: the lending commune's agents, or the community's staff.</summary>
    public static Task<List<string>> OwnersAsync(ValDromeDb db, int? lenderCommuneId, CancellationToken cancellationToken = default) =>
        lenderCommuneId is { } lender ? AgentsOfAsync(db, lender, cancellationToken) : InRoleAsync(db, Roles.Staff, cancellationToken);
}
