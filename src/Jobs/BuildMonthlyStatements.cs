using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Statements;

namespace ValDrome.Jobs;

/// <summary>On the 1st, the statements of the month before: once, whole, never changed afterwards.</summary>
public sealed class BuildMonthlyStatements(ValDromeDb db, TimeProvider time, IOptions<StatementOptions> options)
{
    public Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var today = time.Today();
        return RunForAsync(new DateOnly(today.Year, today.Month, 1).AddMonths(-1), cancellationToken);
    }

    /// <summary>A given month (its first day), from the statements page or a test.</summary>
    public Task<bool> RunForAsync(DateOnly month, CancellationToken cancellationToken) =>
        MonthlyStatements.BuildAsync(db, month, options.Value.LenderShare, time.GetUtcNow(), cancellationToken);
}
