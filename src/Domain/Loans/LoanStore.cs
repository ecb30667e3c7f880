using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValDrome.Domain.Equipment;

namespace ValDrome.Domain.Loans;

/// <summary>Saving loans, where the database may refuse a booking that overlaps another.</summary>
public static class LoanStore
{
    /// <summary>
    /// Saves; returns false (and saves nothing) when the exclusion constraint refused an
    /// overlapping booking, which is how a race between two requests ends for the loser.
    /// </summary>
    public static async Task<bool> TrySaveBookingAsync(ValDromeDb db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException
        {
            SqlState: PostgresErrorCodes.ExclusionViolation,
            ConstraintName: UnitBookingConfiguration.NoOverlapConstraint,
        })
        {
            // Nothing was written (one transaction); forget the refused changes.
            db.ChangeTracker.Clear();
            return false;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException
        {
            SqlState: PostgresErrorCodes.UniqueViolation,
            ConstraintName: Notices.NoticeConfiguration.OnePerLoanAndKind,
        })
        {
            // Two identical moves at once: the loser's notice met the winner's before its row
            // version check could. It is the same conflict, told the same way (ADR 14).
            throw new DbUpdateConcurrencyException("Another move of the same kind was made on this loan first.", e);
        }
    }

    /// <summary>A loan with everything its rules read, tracked for a change.</summary>
    public static Task<Loan?> LoadForChangeAsync(ValDromeDb db, int id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Loans
            .Include(l => l.Unit).ThenInclude(u => u.Category)
            .Include(l => l.Unit).ThenInclude(u => u.HomeDepot)
            .Include(l => l.Booking)
            .Include(l => l.Events)
            .Include(l => l.BorrowerCommune)
            .Include(l => l.LenderCommune)
            .AsSplitQuery()
            .SingleOrDefaultAsync(l => l.Id == id, cancellationToken);
    }
}
