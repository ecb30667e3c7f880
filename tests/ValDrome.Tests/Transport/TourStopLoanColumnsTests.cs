using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using ValDrome.Domain.Loans;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Transport;

/// <summary>A carry's loans are two foreign-key columns of its stops, moved there from the old « 12,15 » string by the migration.</summary>
public sealed class TourStopLoanColumnsTests : IAsyncLifetime
{
    /// <summary>The last migration before the loans of a stop had their own columns.</summary>
    private const string Before = "AccountLastSignInAndTwoFactor";

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateSeededAsync("stoploans");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task The_migration_moves_each_stops_loan_ids_into_the_carrys_collect_and_deliver_columns()
    {
        var first = new DateOnly(2027, 3, 3);
        var out1 = await Make.LoanAsync(_database, "26165-TP-01", "26144", first, first.AddDays(1), LoanStatus.Delivered);
        var out2 = await Make.LoanAsync(_database, "26165-TP-01", "26185", first.AddDays(4), first.AddDays(5), LoanStatus.Approved);
        await using var db = _database.CreateDb();
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(Before);
        await ExecuteAsync(
            "INSERT INTO tour_days (day, vehicle, planned_at, metres, start_seconds, end_seconds) VALUES ('2027-03-05', 'Camion', now(), 0, 28800, 36000)");
        foreach (var (sequence, key, ids) in new[]
                 {
                     (1, $"relais-{out1.Id}-{out2.Id}", $"{out1.Id},{out2.Id}"),
                     (2, $"livraison-{out2.Id}", $"{out2.Id}"),
                     (3, $"retour-{out1.Id}", $"{out1.Id}"),
                 })
        {
            await ExecuteAsync(
                "INSERT INTO tour_stops (tour_day_id, sequence, movement_key, action, unit_id, unit_name, need, place_key, place_name, longitude, latitude, "
                + "movement_loan_ids, arrival_seconds, departure_seconds, leg_metres, pinned) "
                + $"SELECT id, {sequence}, '{key}', 'Unload', 1, 'Tractopelle', 'TruckAndTrailer', 'depot', 'Dépôt', 5, 44.7, '{ids}', 30000, 31000, 1000, false FROM tour_days");
        }

        await migrator.MigrateAsync();

        await using var check = _database.CreateDb();
        var stops = await check.TourStops.AsNoTracking().OrderBy(s => s.Sequence)
            .Select(s => new { s.CarryCollectsLoanId, s.CarryDeliversLoanId }).ToListAsync();
        Assert.Equal(
            new (int?, int?)[] { (out1.Id, out2.Id), (null, out2.Id), (out1.Id, null) },
            stops.Select(s => (s.CarryCollectsLoanId, s.CarryDeliversLoanId)));
        Assert.Equal([out1.Id, out2.Id], (await check.TourStops.AsNoTracking().SingleAsync(s => s.Sequence == 1)).CarryLoanIds);
        // A stop cannot name a loan that does not exist any more.
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("UPDATE tour_stops SET carry_delivers_loan_id = 999999 WHERE sequence = 2"));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
