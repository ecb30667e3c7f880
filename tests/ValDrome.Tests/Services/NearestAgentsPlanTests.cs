using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValDrome.Bench.Services;
using ValDrome.Domain.Services;
using ValDrome.Tests.Support;
using Xunit.Abstractions;

namespace ValDrome.Tests.Services;

/// <summary>
/// The urgent replacement on a département's roster (issue 13: 2,000 agents, 50,000 bookings),
/// the very roster the bench verb <c>services</c> makes. Left to itself (no
/// <c>enable_seqscan = off</c>), PostgreSQL walks the agents' KNN index and stops at the limit,
/// probing each candidate's bookings by index, even on the training day when the nearest
/// secretaries are all away.
/// </summary>
public sealed partial class NearestAgentsPlanTests(NearestAgentsPlanTests.Roster roster, ITestOutputHelper output) : IClassFixture<NearestAgentsPlanTests.Roster>
{
    private const int Agents = 2000;
    private const int Bookings = 50_000;

    private readonly TestDatabase _database = roster.Database;

    /// <summary>The roster, made once for the class (about half a minute on a busy machine).</summary>
    public sealed class Roster : IAsyncLifetime
    {
        private TestDatabase? _database;

        public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

        public async Task InitializeAsync()
        {
            _database = await TestDatabase.CreateMigratedAsync("roster");
            await using var connection = new NpgsqlConnection(_database.ConnectionString);
            await connection.OpenAsync();
            foreach (var (_, sql) in RosterScript.Steps(360, Agents, Bookings))
            {
                await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
                await command.ExecuteNonQueryAsync();
            }
        }

        public async Task DisposeAsync()
        {
            if (_database is not null)
            {
                await _database.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_roster_is_the_size_of_a_departement()
    {
        Assert.Equal(Agents, await _database.ScalarAsync<long>("SELECT count(*) FROM service_agents"));
        Assert.Equal(Bookings, await _database.ScalarAsync<long>("SELECT count(*) FROM agent_bookings"));
        // The training day keeps enough secretaries away that the walk has real work to skip.
        Assert.True(await _database.ScalarAsync<long>("SELECT count(*) FROM agent_bookings WHERE reason = 'Formation départementale'") >= 50);
    }

    [Fact]
    public async Task On_a_departement_roster_the_nearest_free_secretaries_are_an_index_walk_that_stops_at_the_limit()
    {
        var (centre, trainingDay) = await TrainingDayAsync();
        var anyCommune = await _database.ScalarAsync<int>("SELECT max(id) FROM communes");
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();

        foreach (var (commune, slot) in new[] { (anyCommune, Day(new DateOnly(2027, 3, 10))), (centre, Day(trainingDay)) })
        {
            await using var explain = NearestAgents.CreateCommand(connection, commune, ServiceKind.Secretary, slot, 5, "EXPLAIN ");
            var plan = await PlanAsync(explain);
            plan.ForEach(output.WriteLine);

            var text = string.Join('\n', plan);
            var limit = plan.FindIndex(l => l.Contains("Limit", StringComparison.Ordinal));
            var walk = plan.FindIndex(l => l.Contains("Index Scan using ix_service_agents_service_home_location_knn", StringComparison.Ordinal));
            Assert.True(limit >= 0 && walk > limit, text);
            Assert.Contains("Order By: (home_location <->", text, StringComparison.Ordinal);
            // Nothing below the limit is sorted or hashed: the walk stops at the fifth free secretary.
            Assert.DoesNotContain(plan[limit..walk], l => l.Contains("Sort", StringComparison.Ordinal) || l.Contains("Hash", StringComparison.Ordinal));
            // Each candidate's bookings are probed by an index, never read whole.
            Assert.Matches("(Index (Only )?Scan using|Bitmap Index Scan on) (ex_agent_bookings_no_agent_overlap|ix_agent_bookings_agent_id_day)", text);
            Assert.DoesNotContain("Seq Scan on service_agents", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Seq Scan on agent_bookings", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task On_the_training_day_the_walk_reads_past_the_secretaries_away_and_finds_the_five_nearest_free_ones()
    {
        var (centre, trainingDay) = await TrainingDayAsync();
        var slot = Day(trainingDay);
        await using var db = _database.CreateDb();

        var found = await NearestAgents.FindAsync(db, centre, ServiceKind.Secretary, slot, 5);

        // What reading the whole roster says: every active secretary working that weekday, free
        // of any booking over the slot, by distance.
        var origin = await db.Communes.Where(c => c.Id == centre).Select(c => c.ReferencePoint).SingleAsync();
        var secretaries = await db.ServiceAgents
            .Where(a => a.Service == ServiceKind.Secretary && a.IsActive)
            .Select(a => new { a.Id, a.WorkingDays, Distance = a.HomeLocation.Distance(origin) })
            .ToListAsync();
        var taken = (await db.AgentBookings.Where(b => b.IsActive && b.Day == trainingDay && b.AgentId != null)
                .Select(b => new { b.AgentId, b.Starts, b.Ends }).ToListAsync())
            .Where(b => b.Starts < slot.End && b.Ends > slot.Start)
            .Select(b => b.AgentId!.Value)
            .ToHashSet();
        var free = secretaries
            .Where(a => (a.WorkingDays & ServiceDays.Bit(trainingDay.DayOfWeek)) != 0 && !taken.Contains(a.Id))
            .OrderBy(a => a.Distance).ThenBy(a => a.Id)
            .ToList();
        var away = secretaries.Count(a => taken.Contains(a.Id) && a.Distance < free[0].Distance);

        Assert.True(away >= 20, $"only {away} secretaries away nearer than the first free one");
        Assert.Equal(5, found.Count);
        Assert.All(found, f => Assert.Contains(free, a => a.Id == f.AgentId));
        // The same distances as the whole roster's five nearest (many agents share a commune, so
        // ties may name others; the index ranks on the sphere, within 0.5 % of the spheroid).
        for (var i = 0; i < 5; i++)
        {
            Assert.InRange(found[i].DistanceMetres, free[i].Distance * 0.995, free[i].Distance * 1.005);
        }

        // And the walk stopped: it read the secretaries away and a few more, not the roster.
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var explain = NearestAgents.CreateCommand(connection, centre, ServiceKind.Secretary, slot, 5, "EXPLAIN (ANALYZE, TIMING OFF) ");
        var plan = await PlanAsync(explain);
        plan.ForEach(output.WriteLine);
        output.WriteLine($"{away} secretaries away nearer than the first free one, {secretaries.Count} secretaries");
        var walkLine = plan.Single(l => l.Contains("Index Scan using ix_service_agents_service_home_location_knn", StringComparison.Ordinal));
        var read = int.Parse(ActualRows().Match(walkLine).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(read, away, secretaries.Count / 2);
    }

    private static ServiceSlot Day(DateOnly day) => new(day, ServiceDays.MorningStart, ServiceDays.AfternoonEnd);

    private async Task<(int Commune, DateOnly Day)> TrainingDayAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT commune_id, day FROM bench_busy", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt32(0), reader.GetFieldValue<DateOnly>(1));
    }

    private static async Task<List<string>> PlanAsync(NpgsqlCommand command)
    {
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }

        return plan;
    }

    [GeneratedRegex(@"actual rows=(\d+)")]
    private static partial Regex ActualRows();
}
