using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValDrome.Domain.Loans;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Loans;

/// <summary>The nearest-available query on its own, including the plan PostgreSQL chooses for it.</summary>
public sealed class NearestAvailableTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateSeededAsync("nearest");
        // Enough units that the planner prefers the index to reading the table (5,000 barnums over the territory).
        await _database.ScalarAsync<int>("""
            INSERT INTO equipment_units (inventory_code, name, description, category_id, home_location, daily_rate, transport, status, has_hour_meter, auto_approve)
            SELECT 'SYN-' || g, 'Barnum synthétique ' || g, '', (SELECT id FROM equipment_categories WHERE code = 'barnum'),
                   ST_SetSRID(ST_MakePoint(4.76 + random() * 0.53, 44.48 + random() * 0.42), 4326)::geography, 30, 'Van', 'InService', false, false
            FROM generate_series(1, 5000) g;
            ANALYZE equipment_units; ANALYZE unit_bookings;
            SELECT 0;
            """);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<AvailabilityQuery> FromGraneAsync(string category, DateOnly first, DateOnly last, double radiusKm = 60)
    {
        await using var db = _database.CreateDb();
        var grane = await db.Communes.SingleAsync(c => c.Insee == "26144");
        var categoryId = await db.EquipmentCategories.Where(c => c.Code == category).Select(c => c.Id).SingleAsync();
        return new AvailabilityQuery(categoryId, grane.ReferencePoint.X, grane.ReferencePoint.Y, first, last, grane.Id, radiusKm * 1000);
    }

    [Fact]
    public async Task The_query_walks_the_category_location_index_nearest_first()
    {
        var query = await FromGraneAsync("barnum", new DateOnly(2027, 6, 1), new DateOnly(2027, 6, 3));
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = NearestAvailable.CreateCommand(connection, query, "EXPLAIN ");

        AssertIndexWalk(await PlanAsync(command));
    }

    [Fact]
    public async Task The_generic_plan_of_the_prepared_query_is_the_same_walk()
    {
        // FindAsync prepares the query; after a few executions PostgreSQL may keep one plan made
        // without the values. That plan must be the same index walk.
        var query = await FromGraneAsync("barnum", new DateOnly(2027, 6, 1), new DateOnly(2027, 6, 3));
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using (var prepare = new NpgsqlCommand(
            $"SET plan_cache_mode = force_generic_plan; PREPARE nearest ({NearestAvailable.ParameterTypes}) AS {NearestAvailable.Text}",
            connection))
        {
            await prepare.ExecuteNonQueryAsync();
        }

        var values = string.Join(", ", NearestAvailable.Arguments(query).Select(value => value switch
        {
            DateOnly day => $"'{day:yyyy-MM-dd}'",
            IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException(),
        }));
        await using var explain = new NpgsqlCommand($"EXPLAIN EXECUTE nearest ({values})", connection);
        var plan = await PlanAsync(explain);

        AssertIndexWalk(plan);
        Assert.Contains(plan, line => line.Contains("Index Cond: ((category_id = $1)", StringComparison.Ordinal));

        await using var db = _database.CreateDb();
        var found = await NearestAvailable.FindAsync(db, query);
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(found, await NearestAvailable.FindAsync(db, query));
        }
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

    private static void AssertIndexWalk(List<string> plan)
    {
        var text = string.Join('\n', plan);
        var limit = plan.FindIndex(line => line.Contains("Limit", StringComparison.Ordinal));
        var walk = plan.FindIndex(line => line.Contains("Index Scan using ix_equipment_units_category_id_home_location_knn", StringComparison.Ordinal));
        Assert.True(limit >= 0 && walk > limit, text);
        Assert.True(plan[walk + 1].Contains("Index Cond: ((category_id = ", StringComparison.Ordinal), text);
        Assert.True(text.Contains("Order By: (home_location <->", StringComparison.Ordinal), text);
        // Nothing is sorted below the limit: the walk stops at the tenth free unit. Only those
        // rows are sorted again, by the distance shown.
        Assert.DoesNotContain(plan[limit..walk], line => line.Contains("Sort", StringComparison.Ordinal));
        Assert.True(plan[0].Contains("Sort", StringComparison.Ordinal), text);
        Assert.DoesNotContain("Seq Scan on equipment_units", text);
        // Booked days are read on the unit's row: no probe of the bookings per candidate.
        Assert.DoesNotContain("unit_bookings", text);
    }

    [Fact]
    public async Task Booked_days_on_each_unit_follow_its_bookings_through_every_change()
    {
        var unitId = await Make.UnitIdAsync(_database, "CCVD-RE-01");
        var otherId = await Make.UnitIdAsync(_database, "CCVD-NA-01");
        var first = new DateOnly(2027, 9, 6);

        // Twelve transactions book the same unit for different weeks at the same instant: each
        // adds its week to the unit's row, none is lost.
        await Task.WhenAll(Enumerable.Range(0, 12).Select(week => Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(_database.ConnectionString);
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var command = new NpgsqlCommand(
                "INSERT INTO unit_bookings (unit_id, first_day, last_day, margin_days, is_active) VALUES ($1, $2, $3, 0, true)",
                connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = unitId });
            command.Parameters.Add(new NpgsqlParameter { Value = first.AddDays(7 * week) });
            command.Parameters.Add(new NpgsqlParameter { Value = first.AddDays((7 * week) + 2) });
            await command.ExecuteNonQueryAsync();
            // Each holds the unit's row a moment, so that the others queue behind it.
            await using var pause = new NpgsqlCommand("SELECT pg_sleep(0.05)", connection, transaction);
            await pause.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        })));
        Assert.StartsWith("{[2027-09-06,2027-09-09),[2027-09-13,2027-09-16),[2027-09-20,2027-09-23),", await BookedAsync(unitId));
        Assert.Equal(12L, await _database.ScalarAsync<long>($"SELECT count(*) FROM unnest((SELECT booked FROM equipment_units WHERE id = {unitId}))"));
        await AssertBookedMatchesBookingsAsync();

        // Released, moved with a margin, given to another unit, deleted, released twice.
        await _database.ScalarAsync<int>($"""
            UPDATE unit_bookings SET is_active = false WHERE unit_id = {unitId} AND first_day = '2027-09-06';
            UPDATE unit_bookings SET last_day = last_day + 1, margin_days = 1 WHERE unit_id = {unitId} AND first_day = '2027-09-13';
            UPDATE unit_bookings SET unit_id = {otherId} WHERE unit_id = {unitId} AND first_day = '2027-09-20';
            DELETE FROM unit_bookings WHERE unit_id = {unitId} AND first_day = '2027-09-27';
            UPDATE unit_bookings SET is_active = true WHERE unit_id = {unitId} AND first_day = '2027-09-06';
            UPDATE unit_bookings SET is_active = false WHERE unit_id = {unitId} AND first_day = '2027-09-06';
            SELECT 0;
            """);
        Assert.StartsWith("{[2027-09-12,2027-09-18),[2027-10-04,2027-10-07),", await BookedAsync(unitId));
        Assert.Equal("{[2027-09-20,2027-09-23)}", await BookedAsync(otherId));
        await AssertBookedMatchesBookingsAsync();

        // A loan through the domain, then cancelled: its booking is released, and so are its days.
        var loan = await Make.LoanAsync(_database, "CCVD-NA-01", "26144", new DateOnly(2027, 11, 2), new DateOnly(2027, 11, 4));
        Assert.NotEqual("{[2027-09-20,2027-09-23)}", await BookedAsync(otherId));
        await AssertBookedMatchesBookingsAsync();
        await using (var db = _database.CreateDb())
        {
            var tracked = await db.Loans.Include(l => l.Booking).SingleAsync(l => l.Id == loan.Id);
            tracked.Cancel(Make.Admin, ValDromeApp.DefaultNow, null);
            await db.SaveChangesAsync();
        }

        Assert.Equal("{[2027-09-20,2027-09-23)}", await BookedAsync(otherId));
        await AssertBookedMatchesBookingsAsync();

        await _database.ScalarAsync<int>("TRUNCATE unit_bookings; SELECT 0;");
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM equipment_units WHERE NOT isempty(booked)"));
    }

    private async Task<string> BookedAsync(int unitId) =>
        await _database.ScalarAsync<string>($"SELECT booked::text FROM equipment_units WHERE id = {unitId}");

    private async Task AssertBookedMatchesBookingsAsync() =>
        Assert.Equal(0L, await _database.ScalarAsync<long>("""
            SELECT count(*) FROM equipment_units u
            WHERE u.booked <> COALESCE((SELECT range_agg(b.period) FROM unit_bookings b WHERE b.unit_id = u.id AND b.is_active), '{}')
            """));

    [Fact]
    public async Task Results_come_nearest_first_and_skip_booked_maintained_and_own_units()
    {
        var first = new DateOnly(2027, 6, 7);
        await Make.LoanAsync(_database, "26006-MP-01", "26185", first, first); // Allex's, the nearest, is taken
        await _database.ScalarAsync<int>("UPDATE equipment_units SET status = 'InMaintenance' WHERE inventory_code = 'CCVD-MP-02'; SELECT 0;");
        var query = await FromGraneAsync("mini-pelle", first, first);

        await using var db = _database.CreateDb();
        var found = await NearestAvailable.FindAsync(db, query);

        Assert.Equal(["CCVD-MP-01", "26258-MP-01"], found.Select(u => u.InventoryCode));
        Assert.True(found[0].DistanceMetres < found[1].DistanceMetres);
    }

    [Fact]
    public async Task The_radius_caps_the_search()
    {
        var query = await FromGraneAsync("mini-pelle", new DateOnly(2027, 7, 1), new DateOnly(2027, 7, 1), radiusKm: 7);

        await using var db = _database.CreateDb();
        var found = await NearestAvailable.FindAsync(db, query);

        Assert.All(found, u => Assert.True(u.DistanceMetres <= 7000));
        Assert.Equal(["26006-MP-01"], found.Select(u => u.InventoryCode));
    }
}
