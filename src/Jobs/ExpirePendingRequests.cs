using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using ValDrome.Domain;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Notices;
using ValDrome.Jobs.Notices;

namespace ValDrome.Jobs;

/// <summary>
/// Each night: a request its owner left undecided past its deadline (<see cref="MarketplaceOptions.PendingRequestDays"/>
/// after it was made, never past the day the unit must leave) lapses. The loan moves to refused
/// (an event line, its days freed) and both communes get a notice, in one transaction per loan;
/// the notice's unique key makes a second run, or a concurrent one, write nothing.
/// </summary>
public sealed class ExpirePendingRequests(ValDromeDb db, NoticeSender sender, IOptions<MarketplaceOptions> options, TimeProvider time)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var today = time.Today();
        var days = options.Value.PendingRequestDays;
        // Candidates by the cheap bound (requested at least a day ago, or leaving soon); the entity decides.
        var requestedBefore = new DateTimeOffset(today.AddDays(-days).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1);
        var candidates = await db.Loans
            .Where(l => l.Status == LoanStatus.Requested
                && (l.RequestedAt < requestedBefore || l.Booking.FirstDay.AddDays(-l.Booking.MarginDays) < today))
            .OrderBy(l => l.Id).Select(l => l.Id).ToListAsync(cancellationToken);
        var expired = new List<Notice>();
        foreach (var id in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            db.ChangeTracker.Clear();
            var loan = await LoanStore.LoadForChangeAsync(db, id, cancellationToken);
            if (loan is null || loan.Status != LoanStatus.Requested || today <= loan.DecisionDeadline(days))
            {
                continue;
            }

            var now = time.GetUtcNow();
            loan.Expire(now, today, days);
            var notice = LoanNotices.Expired(loan, now);
            db.Notices.Add(notice);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                expired.Add(notice);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Another run expired it first: its move and notice stand, ours is rolled back whole.
            }
            catch (DbUpdateConcurrencyException)
            {
                // The owner decided (or the borrower cancelled) in the meantime: the request is no longer pending.
            }
        }

        db.ChangeTracker.Clear();
        foreach (var notice in expired)
        {
            await sender.SendAsync(notice.Id, cancellationToken);
        }

        return expired.Count;
    }
}
