using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ValDrome.Domain.Accounts;

/// <summary>
/// Identity's store, which ends a person's sessions when their security stamp changes (password
/// changed or reset, <c>UpdateSecurityStampAsync</c>) or when they are locked out through
/// <see cref="UserManager{TUser}"/> (an admin disabling the account): every path of
/// <see cref="UserManager{TUser}"/> that does either saves through <see cref="UpdateAsync"/>.
/// The sign-in page's own lockout after failed passwords does not come here, on purpose: a
/// stranger who locks an account must not sign its owner out (ADR 12).
/// </summary>
public sealed class ValDromeUserStore(ValDromeDb context, TimeProvider clock, IdentityErrorDescriber? describer = null)
    : UserStore<ValDromeUser, IdentityRole, ValDromeDb>(context, describer)
{
    public override async Task<IdentityResult> UpdateAsync(ValDromeUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        // Read from the database, not the change tracker: the user may have been attached afresh.
        var before = await Context.Users.AsNoTracking().Where(u => u.Id == user.Id)
            .Select(u => new { u.SecurityStamp, u.LockoutEnd }).SingleOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var endsSessions = before is not null
            && (!string.Equals(before.SecurityStamp, user.SecurityStamp, StringComparison.Ordinal)
                || (user.LockoutEnd > now && user.LockoutEnd != before.LockoutEnd));

        await using var transaction = endsSessions && Context.Database.CurrentTransaction is null
            ? await Context.Database.BeginTransactionAsync(cancellationToken)
            : null;
        var result = await base.UpdateAsync(user, cancellationToken);
        if (result.Succeeded && endsSessions)
        {
            await UserSessions.EndAllAsync(Context, user.Id, cancellationToken);
        }

        if (transaction is not null && result.Succeeded)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return result;
    }
}
