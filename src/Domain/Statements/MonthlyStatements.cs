using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ValDrome.Domain.Statements;

public static class MonthlyStatements
{
    private static readonly CultureInfo French = FrenchCulture.Instance;

    /// <summary>No month before this one is ever built, whatever the data says.</summary>
    public static readonly DateOnly Earliest = new(2020, 1, 1);

    /// <summary>
    /// The months that may be built by hand: from the month of the first loan's first day (never
    /// before <see cref="Earliest"/>; the last complete month when there is no loan) to the last
    /// complete month. Outside them a build would only freeze empty statements.
    /// </summary>
    public static async Task<(DateOnly First, DateOnly Last)> BuildableMonthsAsync(ValDromeDb db, DateOnly today, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var last = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var firstDay = await db.Loans.MinAsync(l => (DateOnly?)l.FirstDay, cancellationToken);
        var first = firstDay is { } d ? new DateOnly(d.Year, d.Month, 1) : last;
        first = first < Earliest ? Earliest : first > last ? last : first;
        return (first, last);
    }

    /// <summary>
    /// Writes the statements of <paramref name="month"/> (first day), one per commune and one for
    /// the community, in one transaction: every loan returned by the end of that month and not yet
    /// billed (a return recorded after its month was closed is billed in the next, as a
    /// regularisation). Returns false, writing nothing, when the month is already done; a
    /// cancelled run writes nothing either.
    /// </summary>
    public static async Task<bool> BuildAsync(ValDromeDb db, DateOnly month, decimal lenderShare, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (month.Day != 1)
        {
            throw new ArgumentException("Give the first day of the month.", nameof(month));
        }

        if (await db.Statements.AnyAsync(s => s.Month == month, cancellationToken))
        {
            return false;
        }

        var end = month.AddMonths(1);
        var loans = await db.Loans
            .Where(l => l.ReturnedOn != null && l.ReturnedOn < end && !db.StatementLines.Any(x => x.LoanId == l.Id))
            .OrderBy(l => l.ReturnedOn).ThenBy(l => l.Id)
            .Select(l => new
            {
                l.Id, Unit = l.Unit.Name, l.BorrowerCommuneId, Borrower = l.BorrowerCommune.Name,
                l.LenderCommuneId, Lender = l.LenderCommune != null ? l.LenderCommune.Name : null,
                l.FirstDay, l.LastDay, ReturnedOn = l.ReturnedOn!.Value, l.DailyRate,
                // The kilometres the tours recorded when there are some, else the estimate made at the request.
                TransportKm = l.ActualTransportKm ?? l.TransportKm, l.TransportRatePerKm,
            })
            .ToListAsync(cancellationToken);
        var communes = await db.Communes.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(cancellationToken);

        var statements = communes.ToDictionary(id => id, id => new Statement(month, id, now));
        var community = new Statement(month, null, now);
        foreach (var loan in loans)
        {
            var days = LoanCharge.ChargedDays(loan.FirstDay, loan.LastDay, loan.ReturnedOn);
            var charge = new LoanCharge(days, loan.DailyRate, loan.TransportKm, loan.TransportRatePerKm, loan.LenderCommuneId is not null, lenderShare);
            var late = loan.ReturnedOn < month ? "Régularisation : " : "";
            var period = $"du {loan.FirstDay.ToString("dd/MM", French)} au {loan.ReturnedOn.ToString("dd/MM/yyyy", French)}";
            statements[loan.BorrowerCommuneId].Add(new StatementLine(StatementLineKind.Borrowed, loan.Id,
                $"{late}{loan.Unit} emprunté {(loan.Lender is null ? "à la communauté" : FrenchNames.At(loan.Lender))} {period}", days, loan.DailyRate, loan.TransportKm, -charge.BorrowerCost));
            if (loan.LenderCommuneId is { } lender)
            {
                statements[lender].Add(new StatementLine(StatementLineKind.Lent, loan.Id,
                    $"{late}{loan.Unit} prêté {FrenchNames.At(loan.Borrower)} {period}", days, loan.DailyRate, 0, charge.LenderCredit));
            }

            community.Add(new StatementLine(StatementLineKind.Community, loan.Id,
                $"{late}{loan.Unit} : {loan.Borrower} ← {loan.Lender ?? "communauté"} {period}", days, loan.DailyRate, loan.TransportKm, charge.CommunityCredit));
        }

        await Services.ServiceBilling.AddLinesAsync(db, month, statements, community, cancellationToken);
        db.Statements.AddRange(statements.Values);
        db.Statements.Add(community);
        // One SaveChanges, one transaction: all the month's statements, or none.
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: StatementConfiguration.UniqueMonth })
        {
            // Another build of the month committed between the check above and this save.
            db.ChangeTracker.Clear();
            return false;
        }

        return true;
    }
}
