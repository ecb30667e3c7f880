using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;

namespace ValDrome.Web.Pages.Account;

public enum PasswordOutcome
{
    Succeeded,
    Failed,
    LockedOut,
}

/// <summary>
/// Password checks with a lockout that holds under concurrency (ADR 12). A check is claimed in
/// the database before the password is verified, so at most
/// <c>Lockout.MaxFailedAccessAttempts</c> checks run per account between two resets, however
/// many requests arrive at once. The claim that reaches the limit starts the lockout whatever
/// its outcome; a success below it resets the count only when no later claim is in flight, so
/// a correct password in a burst of wrong ones does not open room for more checks.
/// Unknown names verify a hash too, so they take as long as known ones.
/// </summary>
public sealed class PasswordAttempts(
    ValDromeDb db, UserManager<ValDromeUser> users, IPasswordHasher<ValDromeUser> hasher, TimeProvider clock, IOptions<IdentityOptions> options)
{
    private static readonly ValDromeUser Nobody = new() { UserName = "" };
    private static string? _dummyHash;

    private LockoutOptions Lockout => options.Value.Lockout;

    public TimeSpan LockoutSpan => Lockout.DefaultLockoutTimeSpan;

    public int MaxAttempts => Lockout.MaxFailedAccessAttempts;

    /// <summary>
    /// After a failed check, how many remain before the lockout. Unknown names count down too, per
    /// name and for a while, so that the warning tells no stranger which names exist.
    /// </summary>
    public int? RemainingChecks { get; private set; }

    public async Task<(PasswordOutcome Outcome, ValDromeUser? User)> CheckAsync(string userName, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        var normalized = users.NormalizeName(userName);
        var now = clock.GetUtcNow();
        var max = Lockout.MaxFailedAccessAttempts;
        var claims = await db.Database.SqlQuery<int>($"""
            UPDATE "AspNetUsers" SET access_failed_count = access_failed_count + 1
            WHERE normalized_user_name = {normalized} AND access_failed_count < {max}
              AND (lockout_end IS NULL OR lockout_end <= {now})
            RETURNING access_failed_count AS "Value"
            """).ToListAsync(cancellationToken);
        var user = await users.FindByNameAsync(userName);
        if (claims is not [var claim] || user?.PasswordHash is null)
        {
            // Unknown, locked or out of checks: the same work as a real check, then no.
            VerifyDummy(password);
            if (user is null)
            {
                // Like a real account: a countdown, then a lockout of the same length.
                var failed = UnknownNames.Fail(normalized ?? "", max, now, Lockout.DefaultLockoutTimeSpan);
                RemainingChecks = max - failed;
                return (failed >= max ? PasswordOutcome.LockedOut : PasswordOutcome.Failed, null);
            }

            return (PasswordOutcome.LockedOut, null);
        }

        var succeeded = hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
        if (claim == max)
        {
            // The window's last check, right or wrong, closes it: a success here must not reopen
            // room for the rest of a burst.
            var end = now + Lockout.DefaultLockoutTimeSpan;
            await db.Database.ExecuteSqlAsync($"""
                UPDATE "AspNetUsers" SET access_failed_count = 0, lockout_end = {end} WHERE id = {user.Id} AND access_failed_count = {max}
                """, cancellationToken);
            return succeeded ? (PasswordOutcome.Succeeded, user) : (PasswordOutcome.LockedOut, null);
        }

        if (!succeeded)
        {
            RemainingChecks = max - claim;
            return (PasswordOutcome.Failed, null);
        }

        // Only when no later claim is in flight: otherwise the burst would get its checks back. With a
        // second factor the code's success resets the count, not the password's: someone who knows
        // the password must not get fresh code guesses by typing it again.
        await db.Database.ExecuteSqlAsync($"""
            UPDATE "AspNetUsers" SET access_failed_count = 0 WHERE id = {user.Id} AND access_failed_count = {claim} AND NOT two_factor_enabled
            """, cancellationToken);
        return (PasswordOutcome.Succeeded, user);
    }

    /// <summary>
    /// The second step of a sign-in with a second factor: the code (or a recovery code) is checked
    /// under the same claims as passwords, so that passwords and codes together get at most
    /// <c>Lockout.MaxFailedAccessAttempts</c> tries before the lockout, which signs nobody out.
    /// </summary>
    public async Task<PasswordOutcome> CheckSecondFactorAsync(ValDromeUser user, Func<Task<bool>> verify, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(verify);
        var now = clock.GetUtcNow();
        var max = Lockout.MaxFailedAccessAttempts;
        var claims = await db.Database.SqlQuery<int>($"""
            UPDATE "AspNetUsers" SET access_failed_count = access_failed_count + 1
            WHERE id = {user.Id} AND access_failed_count < {max} AND (lockout_end IS NULL OR lockout_end <= {now})
            RETURNING access_failed_count AS "Value"
            """).ToListAsync(cancellationToken);
        if (claims is not [var claim])
        {
            return PasswordOutcome.LockedOut;
        }

        // A recovery code is consumed by saving the whole user: it must not write back the count read before the claim.
        await db.Entry(user).ReloadAsync(cancellationToken);
        var succeeded = await verify();
        if (claim == max)
        {
            var end = now + Lockout.DefaultLockoutTimeSpan;
            await db.Database.ExecuteSqlAsync($"""
                UPDATE "AspNetUsers" SET access_failed_count = 0, lockout_end = {end} WHERE id = {user.Id}
                """, cancellationToken);
            return succeeded ? PasswordOutcome.Succeeded : PasswordOutcome.LockedOut;
        }

        if (!succeeded)
        {
            RemainingChecks = max - claim;
            return PasswordOutcome.Failed;
        }

        await db.Database.ExecuteSqlAsync($"""
            UPDATE "AspNetUsers" SET access_failed_count = 0 WHERE id = {user.Id} AND access_failed_count = {claim}
            """, cancellationToken);
        return PasswordOutcome.Succeeded;
    }

    /// <summary>Failed checks of names that have no account, in this process: enough to count down like a real one.</summary>
    private static class UnknownNames
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (int Count, DateTimeOffset Until)> Failures = new(StringComparer.Ordinal);

        public static int Fail(string name, int max, DateTimeOffset now, TimeSpan span)
        {
            if (Failures.Count > 10_000)
            {
                Failures.Clear();
            }

            // The count restarts once its window has passed; reaching the limit starts a lockout window.
            return Failures.AddOrUpdate(name, _ => (1, now + span), (_, old) =>
                    old.Until <= now ? (1, now + span)
                    : old.Count >= max ? old
                    : (old.Count + 1, old.Count + 1 >= max ? now + span : old.Until))
                .Count;
        }
    }

    private void VerifyDummy(string password)
    {
        _dummyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString());
        hasher.VerifyHashedPassword(Nobody, _dummyHash, password);
    }
}
