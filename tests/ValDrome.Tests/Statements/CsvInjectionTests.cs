using System.Net;
using System.Text;
using ValDrome.Domain.Loans;
using ValDrome.Jobs;
using ValDrome.Tests.Support;
using ValDrome.Web.Pages.Statements;

namespace ValDrome.Tests.Statements;

/// <summary>CSV cells a spreadsheet would run as formulas are neutralised (OWASP: an apostrophe first).</summary>
public sealed class CsvInjectionTests(MarketSite site) : IClassFixture<MarketSite>
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://piege.example\";\"Cliquez\")", "'=HYPERLINK(\"http://piege.example\";\"Cliquez\")")]
    [InlineData("+33 4 75 00 00 00", "'+33 4 75 00 00 00")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SOMME(A1:A9)", "'@SOMME(A1:A9)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "'\r=1")]
    [InlineData("-12,50", "-12,50")]
    [InlineData("-3", "-3")]
    [InlineData("Fête du village", "Fête du village")]
    [InlineData("", "")]
    public void Formula_cells_get_an_apostrophe_and_numbers_stay_numbers(string cell, string written)
    {
        Assert.Equal(written, StatementExports.Neutralise(cell));
    }

    [Fact]
    public async Task A_unit_named_like_a_formula_is_text_in_the_statement_csv_and_amounts_stay_numbers()
    {
        await site.Database.ScalarAsync<int>("UPDATE equipment_units SET name = '=2+5 Pelle' WHERE inventory_code = '26006-MP-01'; SELECT 0;");
        await Make.LoanAsync(site.Database, "26006-MP-01", "26144", new DateOnly(2026, 11, 3), new DateOnly(2026, 11, 5), LoanStatus.Closed);
        site.App.SetToday(new DateOnly(2026, 12, 1));
        await site.App.RunJobAsync<BuildMonthlyStatements, bool>(j => j.RunAsync(CancellationToken.None));

        using var response = await (await site.As("mairie-26144")).GetAsync("/decomptes/2026-11/26144.csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var borrowed = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n").Single(l => l.Contains(";Emprunt;", StringComparison.Ordinal)).Split(';');
        Assert.StartsWith("'=2+5 Pelle emprunté à Allex", borrowed[4], StringComparison.Ordinal);
        Assert.Matches("^-[0-9]+,[0-9]{2}$", borrowed[8]);
    }
}
