using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Statements;

namespace ValDrome.Web.Pages.Statements;

/// <summary>Reads of the statements shared by the pages and the CSV exports.</summary>
public static class StatementQueries
{
    public sealed record Summary(int StatementId, int? CommuneId, string Name, string? Insee, decimal Charges, decimal Credits, int Lines)
    {
        public decimal Balance => Credits + Charges;
    }

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
                db.StatementLines.Count(l => l.StatementId == s.Id)))
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.CommuneId is null).ThenBy(r => r.Name, FrenchNames.Comparer)];
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
