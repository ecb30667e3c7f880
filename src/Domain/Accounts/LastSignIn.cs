using Microsoft.EntityFrameworkCore;

namespace ValDrome.Domain.Accounts;

/// <summary>The accounts page shows when each person last signed in: written once the whole sign-in (second factor included) succeeded.</summary>
public static class LastSignIn
{
    /// <summary>One statement on the user's row, so that neither its security nor its concurrency stamp changes.</summary>
    public static Task RecordAsync(ValDromeDb db, string userId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var utc = at.ToUniversalTime();
        return db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSignInAt, utc), cancellationToken);
    }
}
