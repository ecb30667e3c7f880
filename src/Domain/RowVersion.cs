using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ValDrome.Domain;

/// <summary>
/// One move at a time (ADR 14): loans, tour days and stops and maintenance tasks carry
/// PostgreSQL's <c>xmin</c> as a row version, so an UPDATE or DELETE made from a row read before
/// another move committed matches no row, and the whole <c>SaveChanges</c> is rolled back.
/// </summary>
public static class RowVersion
{
    /// <summary>The shadow property mapped to <c>xmin</c>: entities need not know about it.</summary>
    public const string Property = "Version";

    /// <summary>
    /// Saves; false, having written nothing and forgotten the changes, when another move changed
    /// or removed one of the rows first, or created the same row of <paramref name="uniqueIndexes"/>.
    /// </summary>
    public static async Task<bool> TrySaveAsync(ValDromeDb db, CancellationToken cancellationToken, params string[] uniqueIndexes)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(uniqueIndexes);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique
            && uniqueIndexes.Contains(unique.ConstraintName, StringComparer.Ordinal))
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
