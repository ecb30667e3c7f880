using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Statements;
using ValDrome.Jobs;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Jobs;

/// <summary>Loans returned in November 2026, stated on 1 December.</summary>
public sealed class StatementTests : IClassFixture<MarketSite>, IAsyncLifetime
{
    private static readonly DateOnly November = new(2026, 11, 1);
    private readonly MarketSite _site;

    public StatementTests(MarketSite site) => _site = site;

    public async Task InitializeAsync()
    {
        await using var db = _site.Database.CreateDb();
        if (await db.Loans.AnyAsync(l => l.ReturnedOn != null && l.ReturnedOn < new DateOnly(2026, 12, 1)))
        {
            return;
        }

        // Grane borrows Allex's mini-pelle (3 days), Mirmande the community's backhoe (2 days, returned 2 days late),
        // Livron borrows Grane's chipper; one loan still out is not stated.
        await Make.LoanAsync(_site.Database, "26006-MP-01", "26144", new DateOnly(2026, 11, 3), new DateOnly(2026, 11, 5), LoanStatus.Closed);
        var late = await Make.LoanAsync(_site.Database, "CCVD-TP-01", "26185", new DateOnly(2026, 11, 10), new DateOnly(2026, 11, 11), LoanStatus.Delivered);
        await using (var change = _site.Database.CreateDb())
        {
            var loan = await LoanStore.LoadForChangeAsync(change, late.Id);
            loan!.Return(Make.Admin, ValDromeApp.DefaultNow, new DateOnly(2026, 11, 13), null, 3500, null);
            await change.SaveChangesAsync();
        }

        await Make.LoanAsync(_site.Database, "26144-BR-01", "26165", new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 20), LoanStatus.Returned);
        await Make.LoanAsync(_site.Database, "26166-PO-01", "26144", new DateOnly(2026, 11, 28), new DateOnly(2026, 11, 30), LoanStatus.Delivered);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<bool> RunAsync(DateOnly today)
    {
        _site.App.SetToday(today);
        return await _site.App.RunJobAsync<BuildMonthlyStatements, bool>(j => j.RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Statements_add_up_to_the_cent_and_a_month_is_written_once()
    {
        await RunAsync(new DateOnly(2026, 12, 1));
        var again = await RunAsync(new DateOnly(2026, 12, 1));

        Assert.False(again);
        await using var db = _site.Database.CreateDb();
        var statements = await db.Statements.Include(s => s.Lines).Where(s => s.Month == November).AsNoTracking().ToListAsync();
        Assert.Equal(37, statements.Count); // 36 communes and the community
        var lines = statements.SelectMany(s => s.Lines).ToList();
        var paidByBorrowers = -lines.Where(l => l.Kind == StatementLineKind.Borrowed).Sum(l => l.Amount);
        var creditedToLenders = lines.Where(l => l.Kind == StatementLineKind.Lent).Sum(l => l.Amount);
        var community = lines.Where(l => l.Kind == StatementLineKind.Community).Sum(l => l.Amount);
        Assert.Equal(paidByBorrowers, creditedToLenders + community);
        Assert.Equal(0m, statements.Sum(s => s.Balance)); // what some pay, others receive
        Assert.Equal(3, lines.Count(l => l.Kind == StatementLineKind.Borrowed));

        // Grane: 3 days × 110 € + transport there and back; Allex is credited 80 % of the rental.
        var graneId = await Make.CommuneIdAsync(_site.Database, "26144");
        var allexId = await Make.CommuneIdAsync(_site.Database, "26006");
        var grane = statements.Single(s => s.CommuneId == graneId);
        var borrowed = grane.Lines.Single(l => l.Kind == StatementLineKind.Borrowed);
        Assert.Equal(-(330m + Math.Round(borrowed.TransportKm * 0.65m, 2, MidpointRounding.AwayFromZero)), borrowed.Amount);
        Assert.Equal(264m, statements.Single(s => s.CommuneId == allexId).Lines.Single().Amount);
        // Grane also lent its chipper to Livron: 60 € × 80 %.
        Assert.Equal(48m, grane.Lines.Single(l => l.Kind == StatementLineKind.Lent).Amount);
        // Mirmande kept the backhoe two days late: four days are charged.
        var mirmande = statements.Single(s => s.CommuneId == Make.CommuneIdAsync(_site.Database, "26185").Result);
        Assert.Equal(4, mirmande.Lines.Single().Days);
    }

    [Fact]
    public async Task A_closed_statement_never_changes_a_late_return_goes_into_the_next_month()
    {
        await RunAsync(new DateOnly(2026, 12, 1));
        await using var db = _site.Database.CreateDb();
        var novemberLines = await db.StatementLines.CountAsync(l => db.Statements.Any(s => s.Id == l.StatementId && s.Month == November));

        // The stage lent from 28 to 30 November is only recorded as returned on 2 December, dated 30 November.
        var stage = await db.Loans.Include(l => l.Unit).SingleAsync(l => l.Unit.InventoryCode == "26166-PO-01" && l.FirstDay == new DateOnly(2026, 11, 28));
        await using (var change = _site.Database.CreateDb())
        {
            var loan = await LoanStore.LoadForChangeAsync(change, stage.Id);
            loan!.Return(Make.Admin, ValDromeApp.DefaultNow, new DateOnly(2026, 11, 30), null, null, null);
            await change.SaveChangesAsync();
        }

        await RunAsync(new DateOnly(2026, 12, 1));
        await RunAsync(new DateOnly(2027, 1, 1));

        Assert.Equal(novemberLines, await db.StatementLines.CountAsync(l => db.Statements.Any(s => s.Id == l.StatementId && s.Month == November)));
        var december = await db.StatementLines.Where(l => l.LoanId == stage.Id).ToListAsync();
        Assert.Equal(3, december.Count); // borrower, lender, community
        Assert.All(december, l => Assert.StartsWith("Régularisation : ", l.Label, StringComparison.Ordinal));
        Assert.True(await db.Statements.AnyAsync(s => s.Id == december[0].StatementId && s.Month == new DateOnly(2026, 12, 1)));
    }

    [Fact]
    public async Task A_run_cancelled_while_writing_leaves_no_half_written_month()
    {
        var month = new DateOnly(2026, 10, 1);
        await Make.LoanAsync(_site.Database, "26006-MP-01", "26185", new DateOnly(2026, 10, 5), new DateOnly(2026, 10, 6), LoanStatus.Returned);
        using var cancel = new CancellationTokenSource();
        var options = new DbContextOptionsBuilder<ValDromeDb>();
        DomainServiceCollectionExtensions.Configure(options, _site.Database.ConnectionString);
        options.AddInterceptors(new CancelOnFirstLine(cancel));

        await using (var db = new ValDromeDb(options.Options))
        {
            var job = new BuildMonthlyStatements(db, _site.App.Clock, Options.Create(new StatementOptions()));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.RunForAsync(month, cancel.Token));
        }

        await using var check = _site.Database.CreateDb();
        Assert.False(await check.Statements.AnyAsync(s => s.Month == month));
        Assert.True(await _site.App.RunJobAsync<BuildMonthlyStatements, bool>(j => j.RunForAsync(month, CancellationToken.None)));
        Assert.Equal(37, await check.Statements.CountAsync(s => s.Month == month));
    }

    [Fact]
    public async Task The_csv_opens_in_a_french_spreadsheet()
    {
        await RunAsync(new DateOnly(2026, 12, 1));
        var grane = await _site.As("mairie-26144");

        using var response = await grane.GetAsync("/decomptes/2026-11/26144.csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Mois;Commune;Nature;Prêt;Libellé;Jours;Tarif (€ par jour, demi-journée ou heure);Transport (km);Montant (€)", lines[0]);
        var borrowed = lines.Single(l => l.Contains(";Emprunt;", StringComparison.Ordinal)).Split(';');
        Assert.Equal("110,00", borrowed[6]);
        Assert.Matches("^-3[0-9]{2},[0-9]{2}$", borrowed[8]);
        Assert.Contains(lines, l => l.Contains(";Prêt;", StringComparison.Ordinal) && l.EndsWith(";48,00", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_agent_sees_only_their_communes_statement()
    {
        await RunAsync(new DateOnly(2026, 12, 1));
        var grane = await _site.As("mairie-26144");

        using var own = await grane.GetAsync("/decomptes/2026-11/26144");
        using var other = await grane.GetAsync("/decomptes/2026-11/26006");
        using var otherCsv = await grane.GetAsync("/decomptes/2026-11/26006.csv");
        using var month = await grane.GetAsync("/decomptes/2026-11");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("Grane — novembre 2026", await own.TextAsync());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherCsv.StatusCode);
        Assert.Equal("/decomptes/2026-11/26144", month.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_community_page_shows_every_balance_and_a_chart()
    {
        await RunAsync(new DateOnly(2026, 12, 1));

        var html = await (await (await _site.As("staff")).GetAsync("/decomptes/2026-11")).TextAsync();

        Assert.Contains("Décomptes de novembre 2026", html);
        Assert.Contains("<g class=\"bar negative\" data-insee=\"26185\">", html);
        Assert.Contains("<g class=\"bar positive\" data-insee=\"26006\">", html);
        Assert.Contains("264,00 €", html);
    }

    private sealed class CancelOnFirstLine(CancellationTokenSource cancel) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("INSERT INTO statement_lines", StringComparison.Ordinal))
            {
                // The statements are written, the lines are on their way: the job is told to stop now.
                cancel.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
