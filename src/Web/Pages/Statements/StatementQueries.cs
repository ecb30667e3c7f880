using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Statements;

namespace ValDrome.Web.Pages.Statements;

/// <summary>Reads of the statements shared by the pages and the CSV exports.</summary>
public static class StatementQueries
{
    /// <param name="Services">
    /// The services aux communes' part of <see cref="Balance"/>: what a commune pays for them
    /// (negative), what the community receives for them (positive).
    /// </param>
    public sealed record Summary(int StatementId, int? CommuneId, string Name, string? Insee, decimal Charges, decimal Credits, int Lines, decimal Services = 0)
    {
        public decimal Balance => Credits + Charges;

        /// <summary>The equipment's part of <see cref="Balance"/>: loans, their transport, corrections.</summary>
        public decimal Equipment => Balance - Services;
    }

    /// <summary>A month's totals, equipment and services aux communes side by side: what the communes paid for each.</summary>
    public sealed record MonthSplit(DateOnly Month, decimal Equipment, decimal Services);

    public sealed record Line(StatementLineKind Kind, int? LoanId, string Label, int Days, decimal DailyRate, decimal TransportKm, decimal Amount);

    public const string CommunityName = "Communauté de communes";

    /// <summary>A statement month as <c>2026-11</c>, within <see cref="DateParameters"/>' range.</summary>
    public static bool TryParseMonth(string? text, DateOnly today, out DateOnly month, out string error) =>
        DateParameters.TryMonth(text, today, out month, out error);

    public static async Task<List<Summary>> MonthAsync(ValDromeDb db, DateOnly month, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.Statements.Where(s => s.Month == month)
            .Select(s => new Summary(
                s.Id, s.CommuneId,
                db.Communes.Where(c => c.Id == s.CommuneId).Select(c => c.Name).FirstOrDefault() ?? CommunityName,
                db.Communes.Where(c => c.Id == s.CommuneId).Select(c => c.Insee).FirstOrDefault(),
                s.Lines.Where(l => l.Amount < 0).Sum(l => l.Amount),
                s.Lines.Where(l => l.Amount > 0).Sum(l => l.Amount),
                db.StatementLines.Count(l => l.StatementId == s.Id),
                s.Lines.Where(l => l.Kind == StatementLineKind.Service).Sum(l => l.Amount)))
            .ToListAsync(cancellationToken);
        // Each slot a commune pays is a line the community receives (ServiceBilling): its part is the communes' with the sign turned.
        var services = rows.Where(r => r.CommuneId is not null).Sum(r => r.Services);
        rows = [.. rows.Select(r => r.CommuneId is null ? r with { Services = -services } : r)];
        return [.. rows.OrderBy(r => r.CommuneId is null).ThenBy(r => r.Name, FrenchNames.Comparer)];
    }

    /// <summary>
    /// Per month, what the communes paid for equipment (the units they borrowed and their transport)
    /// and for the services aux communes, most recent first.
    /// </summary>
    public static async Task<List<MonthSplit>> MonthSplitsAsync(ValDromeDb db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sums = await db.Statements.Where(s => s.CommuneId != null)
            .SelectMany(s => s.Lines.Where(l => l.Kind == StatementLineKind.Borrowed || l.Kind == StatementLineKind.Service)
                .Select(l => new { s.Month, l.Kind, l.Amount }))
            .GroupBy(x => new { x.Month, x.Kind })
            .Select(g => new { g.Key.Month, g.Key.Kind, Amount = g.Sum(x => x.Amount) })
            .ToListAsync(cancellationToken);
        return [.. sums.GroupBy(x => x.Month).OrderByDescending(g => g.Key)
            .Select(g => new MonthSplit(g.Key,
                -g.Where(x => x.Kind == StatementLineKind.Borrowed).Sum(x => x.Amount),
                -g.Where(x => x.Kind == StatementLineKind.Service).Sum(x => x.Amount)))];
    }

    public static Task<List<Line>> LinesAsync(ValDromeDb db, int statementId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.StatementLines.Where(l => l.StatementId == statementId).OrderBy(l => l.Id)
            .Select(l => new Line(l.Kind, l.LoanId, l.Label, l.Days, l.DailyRate, l.TransportKm, l.Amount))
            .ToListAsync(cancellationToken);
    }

    public static string KindLabel(StatementLineKind kind) => kind switch
    {
        StatementLineKind.Borrowed => "Emprunt",
        StatementLineKind.Lent => "Prêt",
        StatementLineKind.Community => "Part de la communauté",
        StatementLineKind.Correction => "Correction",
        StatementLineKind.Service => "Service aux communes",
        _ => kind.ToString(),
    };
}
