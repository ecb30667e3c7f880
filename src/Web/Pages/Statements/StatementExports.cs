using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Statements;

/// <summary>
/// CSV that a French spreadsheet opens as it is: semicolons, decimal commas, UTF-8 with its BOM
/// (without it Excel reads the accents as Windows-1252), one line per row, CRLF.
/// </summary>
public static partial class StatementExports
{
    private static readonly CultureInfo French = FrenchCulture.Instance;

    public static IEndpointRouteBuilder MapStatementExports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/decomptes/{mois}.csv", MonthAsync).RequireAuthorization();
        endpoints.MapGet("/decomptes/{mois}/{insee}.csv", CommuneAsync).RequireAuthorization();
        return endpoints;
    }

    private static async Task<IResult> MonthAsync(string mois, HttpContext context, ValDromeDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var actor = context.User.ToActor();
        if (!StatementQueries.TryParseMonth(mois, time.Today(), out var month, out var error))
        {
            return Results.Problem(statusCode: 400, title: "Mois invalide", detail: error);
        }

        if (!actor.IsStaff && !actor.IsAdmin)
        {
            return Results.Forbid();
        }

        var rows = await StatementQueries.MonthAsync(db, month, cancellationToken);
        if (rows.Count == 0)
        {
            return Results.NotFound();
        }

        var csv = new StringBuilder();
        // The split comes last, so that a sheet built on the first six columns still reads them.
        Row(csv, "Mois", "Commune", "Code INSEE", "À payer (€)", "À recevoir (€)", "Solde (€)", "dont matériel (€)", "dont services aux communes (€)");
        foreach (var r in rows)
        {
            Row(csv, mois, r.Name, r.Insee ?? "", Money(-r.Charges), Money(r.Credits), Money(r.Balance), Money(r.Equipment), Money(r.Services));
        }

        return File(csv, $"decomptes-{mois}.csv");
    }

    private static async Task<IResult> CommuneAsync(string mois, string insee, HttpContext context, ValDromeDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var actor = context.User.ToActor();
        if (!StatementQueries.TryParseMonth(mois, time.Today(), out var month, out var error))
        {
            return Results.Problem(statusCode: 400, title: "Mois invalide", detail: error);
        }

        var commune = await db.Communes.Where(c => c.Insee == insee).Select(c => new { c.Id, c.Name }).SingleOrDefaultAsync(cancellationToken);
        if (commune is null || !(actor.IsStaff || actor.IsAdmin || actor.ActsFor(commune.Id)))
        {
            return Results.NotFound();
        }

        var statement = await db.Statements.Where(s => s.Month == month && s.CommuneId == commune.Id).Select(s => (int?)s.Id).SingleOrDefaultAsync(cancellationToken);
        if (statement is null)
        {
            return Results.NotFound();
        }

        var csv = new StringBuilder();
        Row(csv, "Mois", "Commune", "Nature", "Prêt", "Libellé", "Jours", "Tarif (€ par jour, demi-journée ou heure)", "Transport (km)", "Montant (€)");
        foreach (var line in await StatementQueries.LinesAsync(db, statement.Value, cancellationToken))
        {
            Row(csv, mois, commune.Name, StatementQueries.KindLabel(line.Kind), line.LoanId?.ToString(CultureInfo.InvariantCulture) ?? "",
                line.Label, line.Days.ToString(CultureInfo.InvariantCulture), Money(line.DailyRate), line.TransportKm.ToString("0.0", French), Money(line.Amount));
        }

        return File(csv, $"decompte-{mois}-{insee}.csv");
    }

    private static IResult File(StringBuilder csv, string name)
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
        return Results.File(bytes, "text/csv; charset=utf-8", name);
    }

    private static string Money(decimal amount) => amount.ToString("0.00", French);

    private static void Row(StringBuilder csv, params string[] cells)
    {
        csv.Append(string.Join(';', cells.Select(c => Quote(Neutralise(c))))).Append("\r\n");
    }

    /// <summary>
    /// A cell a spreadsheet could read as a formula (=, +, -, @, tab or carriage return first: a
    /// unit's name, a label) gets an apostrophe in front, as OWASP advises against CSV injection.
    /// A cell that is nothing but a number (« -12,50 », our amounts) stays a number: it cannot
    /// hold a formula, and the spreadsheet must still add it up.
    /// </summary>
    internal static string Neutralise(string cell) =>
        cell.Length > 0 && "=+-@\t\r".Contains(cell[0], StringComparison.Ordinal) && !PlainNumber().IsMatch(cell) ? "'" + cell : cell;

    [GeneratedRegex(@"^-?[0-9]+(,[0-9]+)?$")]
    private static partial Regex PlainNumber();

    internal static string Quote(string cell) =>
        cell.IndexOfAny([';', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
