using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValDrome.Domain;
using ValDrome.Domain.Services;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Services;

/// <summary>The rules of booking people, on PostGIS: each test takes days of its own.</summary>
public sealed class ServiceBookingTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateSeededAsync("services");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task The_database_refuses_two_active_bookings_of_one_agent_that_overlap()
    {
        await using var db = _database.CreateDb();
        var agent = await ServicesMake.AgentAsync(db, "Claire Martin");
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        const string insert = "INSERT INTO agent_bookings (agent_id, day, starts, ends, is_active, reason) VALUES ($1, '2027-02-01', $2, $3, true, 'test')";

        await using (var first = new NpgsqlCommand(insert, connection))
        {
            first.Parameters.Add(new NpgsqlParameter { Value = agent.Id });
            first.Parameters.Add(new NpgsqlParameter { Value = new TimeOnly(8, 0) });
            first.Parameters.Add(new NpgsqlParameter { Value = new TimeOnly(12, 0) });
            await first.ExecuteNonQueryAsync();
        }

        await using var second = new NpgsqlCommand(insert, connection);
        second.Parameters.Add(new NpgsqlParameter { Value = agent.Id });
        second.Parameters.Add(new NpgsqlParameter { Value = new TimeOnly(11, 0) });
        second.Parameters.Add(new NpgsqlParameter { Value = new TimeOnly(14, 0) });
        var refused = await Assert.ThrowsAsync<PostgresException>(() => second.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.ExclusionViolation, refused.SqlState);
        Assert.Equal(AgentBookingConfiguration.NoAgentOverlap, refused.ConstraintName);
    }

    [Fact]
    public async Task Of_two_racing_assignments_of_one_agent_on_the_same_morning_exactly_one_wins()
    {
        var day = new DateOnly(2027, 2, 9);
        int grane, livron;
        await using (var db = _database.CreateDb())
        {
            grane = (await ServicesMake.RequestAsync(db, "26144", ServiceKind.Secretary, ServicesMake.Morning(day))).Id;
            livron = (await ServicesMake.RequestAsync(db, "26165", ServiceKind.Secretary, ServicesMake.Morning(day))).Id;
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outcomes = await Task.WhenAll(new[] { grane, livron }.Select(id => Task.Run(async () =>
        {
            await using var db = _database.CreateDb();
            var request = await ServiceStore.LoadForChangeAsync(db, id);
            request!.AssignTo(await ServicesMake.AgentAsync(db, "Claire Martin"), ServicesMake.Staff, ValDromeApp.DefaultNow);
            await start.Task;
            return await ServiceStore.TrySaveAsync(db);
        })).Append(Task.Run(async () =>
        {
            await Task.Delay(50);
            start.SetResult();
            return ServiceSaveOutcome.Saved;
        })));

        Assert.Equal(2, outcomes[..2].Count(o => o is ServiceSaveOutcome.Saved or ServiceSaveOutcome.AgentTaken));
        Assert.Single(outcomes[..2], ServiceSaveOutcome.Saved);
        Assert.Single(outcomes[..2], ServiceSaveOutcome.AgentTaken);
        await using var check = _database.CreateDb();
        Assert.Equal(1, await check.AgentBookings.CountAsync(b => b.Day == day && b.AgentId != null && b.IsActive));
        Assert.Equal(1, await check.ServiceRequests.CountAsync(r => (r.Id == grane || r.Id == livron) && r.Status == ServiceRequestStatus.Assigned));
    }

    [Fact]
    public async Task An_agent_taken_out_of_activity_while_being_assigned_is_never_left_out_of_activity_with_a_slot_to_come()
    {
        // Each round: a new secretary and a request, then both moves read what they check before either writes, as two pages at once.
        var today = ValDromeApp.DefaultNow.UtcDateTime;
        var weekdays = Enumerable.Range(1, 5).Sum(d => ServiceDays.Bit((DayOfWeek)d));
        for (var round = 0; round < 6; round++)
        {
            var day = new DateOnly(2027, 4, 6).AddDays(7 * round); // Tuesdays
            int agentId, requestId;
            await using (var db = _database.CreateDb())
            {
                var agent = new ServiceAgent(ServiceKind.Secretary, $"Secrétaire de la course {round}", await db.Communes.SingleAsync(c => c.Insee == "26144"), weekdays, null);
                db.ServiceAgents.Add(agent);
                await db.SaveChangesAsync();
                agentId = agent.Id;
                requestId = (await ServicesMake.RequestAsync(db, "26165", ServiceKind.Secretary, ServicesMake.Morning(day))).Id;
            }

            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var assignRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var stepDownRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var assign = Task.Run(async () =>
            {
                await using var db = _database.CreateDb();
                var request = await ServiceStore.LoadForChangeAsync(db, requestId);
                request!.AssignTo(await db.ServiceAgents.SingleAsync(a => a.Id == agentId), ServicesMake.Staff, ValDromeApp.DefaultNow);
                assignRead.SetResult();
                await start.Task;
                return await ServiceStore.TrySaveAsync(db);
            });
            var stepDown = Task.Run(async () =>
            {
                await using var db = _database.CreateDb();
                var agent = await db.ServiceAgents.SingleAsync(a => a.Id == agentId);
                // What the agent's page checks before taking them out of activity: no slot to come, yet.
                var upcoming = await db.AgentBookings.CountAsync(b => b.AgentId == agentId && b.IsActive && b.RequestId != null);
                agent.SetActive(false);
                stepDownRead.SetResult();
                await start.Task;
                return upcoming == 0 && await RowVersion.TrySaveAsync(db, CancellationToken.None);
            });
            // Both have read (and would fail at once if a read threw) before either writes.
            await Task.WhenAny(Task.WhenAll(assignRead.Task, stepDownRead.Task), Task.WhenAll(assign, stepDown));
            start.SetResult();
            var (assigned, steppedDown) = (await assign, await stepDown);

            Assert.True(assigned == ServiceSaveOutcome.Saved ^ steppedDown, $"round {round} ({today:d}): assignment {assigned}, stepped down {steppedDown}");
            Assert.Contains(assigned, new[] { ServiceSaveOutcome.Saved, ServiceSaveOutcome.AgentChanged });
            await using var check = _database.CreateDb();
            var active = await check.ServiceAgents.Where(a => a.Id == agentId).Select(a => a.IsActive).SingleAsync();
            var holds = await check.AgentBookings.AnyAsync(b => b.AgentId == agentId && b.IsActive);
            Assert.True(active || !holds, $"round {round}: an agent out of activity holds a slot to come");
            Assert.Equal(!steppedDown, active);
            Assert.Equal(assigned == ServiceSaveOutcome.Saved, holds);
        }
    }

    [Fact]
    public async Task A_commune_without_a_convention_for_the_service_cannot_book_it_and_is_told_whom_to_contact()
    {
        await using var db = _database.CreateDb();

        // Mirmande signed nothing; Allex signed for the secretary but not for the maintenance agent.
        var none = await Assert.ThrowsAsync<RuleException>(() => ServicesMake.NewRequestAsync(db, "26185", ServiceKind.Secretary, ServicesMake.Morning(new DateOnly(2027, 2, 16))));
        var notThat = await Assert.ThrowsAsync<RuleException>(() => ServicesMake.NewRequestAsync(db, "26006", ServiceKind.Maintenance, ServicesMake.Morning(new DateOnly(2027, 2, 16))));

        Assert.Equal("Mirmande n'a pas de convention pour le service « Secrétariat de mairie itinérant » en 2027 : pour le réserver, contactez le pôle de test.", none.Message);
        Assert.StartsWith("Allex n'a pas de convention pour le service « Agent d'entretien intercommunal »", notThat.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_copies_the_convention_terms_and_estimates_the_cost_with_the_minimum()
    {
        await using var db = _database.CreateDb();
        var day = new DateOnly(2027, 2, 23);

        // Grane: IT assistance at 38 € an hour, two hours at least; a one-hour visit bills two.
        var it = await ServicesMake.NewRequestAsync(db, "26144", ServiceKind.ItAssistance, new ServiceSlot(day, new TimeOnly(9, 0), new TimeOnly(10, 0)));
        // The secretary at 95 € a half-day: a morning and an afternoon.
        var secretary = await ServicesMake.NewRequestAsync(db, "26144", ServiceKind.Secretary, ServicesMake.Morning(day), ServicesMake.Afternoon(day));

        Assert.Equal((BillingUnit.Hour, 38m, 2m), (it.Unit, it.Rate, it.MinimumUnits));
        Assert.Equal(76m, it.EstimatedCost);
        Assert.Equal(190m, secretary.EstimatedCost);
    }

    [Fact]
    public async Task Every_tuesday_morning_for_three_months_is_one_request_and_is_assigned_all_or_nothing()
    {
        var tuesdays = Enumerable.Range(0, 13).Select(w => new DateOnly(2027, 3, 2).AddDays(7 * w)).ToList();
        int requestId;
        await using (var db = _database.CreateDb())
        {
            var request = await ServicesMake.RequestAsync(db, "26166", ServiceKind.Secretary, [.. tuesdays.Select(ServicesMake.Morning)]);
            requestId = request.Id;
            Assert.Equal(13, request.Slots.Count);
            // Nadia Roux is away on the fifth Tuesday.
            var nadia = await ServicesMake.AgentAsync(db, "Nadia Roux");
            db.AgentBookings.Add(AgentBooking.Absence(nadia.Id, tuesdays[4], "Formation"));
            await db.SaveChangesAsync();
        }

        await using (var db = _database.CreateDb())
        {
            var request = (await ServiceStore.LoadForChangeAsync(db, requestId))!;
            var nadia = await ServicesMake.AgentAsync(db, "Nadia Roux");
            var slots = request.Slots.Select(s => new ServiceSlot(s.Day, s.Starts, s.Ends)).ToList();

            Assert.Equal(tuesdays[4], await ServiceStore.FirstAgentOverlapAsync(db, nadia.Id, request.Id, slots));
            request.AssignTo(nadia, ServicesMake.Staff, ValDromeApp.DefaultNow);
            Assert.Equal(ServiceSaveOutcome.AgentTaken, await ServiceStore.TrySaveAsync(db));
        }

        await using (var check = _database.CreateDb())
        {
            var nadiaId = (await ServicesMake.AgentAsync(check, "Nadia Roux")).Id;
            Assert.Equal(0, await check.AgentBookings.CountAsync(b => b.RequestId == requestId && b.AgentId != null));
            Assert.Equal(ServiceRequestStatus.Requested, await check.ServiceRequests.Where(r => r.Id == requestId).Select(r => r.Status).SingleAsync());

            // Claire Martin is free every Tuesday: all thirteen are hers, in one save.
            var request = (await ServiceStore.LoadForChangeAsync(check, requestId))!;
            request.AssignTo(await ServicesMake.AgentAsync(check, "Claire Martin"), ServicesMake.Staff, ValDromeApp.DefaultNow);
            Assert.Equal(ServiceSaveOutcome.Saved, await ServiceStore.TrySaveAsync(check));
            Assert.NotEqual(nadiaId, request.AgentId);
            Assert.Equal(13, await check.AgentBookings.CountAsync(b => b.RequestId == requestId && b.AgentId == request.AgentId && b.IsActive));
        }
    }

    [Fact]
    public async Task A_commune_cannot_ask_twice_for_one_service_at_the_same_time_and_nothing_of_the_second_request_is_written()
    {
        var mondays = Enumerable.Range(0, 4).Select(w => new DateOnly(2027, 6, 7).AddDays(7 * w)).ToList();
        await using var db = _database.CreateDb();
        await ServicesMake.RequestAsync(db, "26125", ServiceKind.Maintenance, new ServiceSlot(mondays[2], new TimeOnly(10, 0), new TimeOnly(11, 0)));

        var second = await ServicesMake.NewRequestAsync(db, "26125", ServiceKind.Maintenance, [.. mondays.Select(ServicesMake.Morning)]);
        var eurre = await Make.CommuneIdAsync(_database, "26125");
        Assert.Equal(mondays[2], await ServiceStore.FirstCommuneOverlapAsync(db, eurre, ServiceKind.Maintenance, [.. mondays.Select(ServicesMake.Morning)]));
        db.ServiceRequests.Add(second);

        Assert.Equal(ServiceSaveOutcome.CommuneTaken, await ServiceStore.TrySaveAsync(db));
        await using var check = _database.CreateDb();
        Assert.Equal(1, await check.ServiceRequests.CountAsync(r => r.CommuneId == eurre && r.Service == ServiceKind.Maintenance));
        Assert.Equal(1, await check.AgentBookings.CountAsync(b => b.CommuneId == eurre && b.Service == ServiceKind.Maintenance));
    }

    [Fact]
    public async Task An_agent_is_not_assigned_on_a_weekday_they_do_not_work()
    {
        await using var db = _database.CreateDb();
        var wednesday = new DateOnly(2027, 4, 7);
        var request = await ServicesMake.RequestAsync(db, "26144", ServiceKind.Secretary, ServicesMake.Morning(wednesday));

        var refused = Assert.Throws<RuleException>(() => request.AssignTo(db.ServiceAgents.Single(a => a.Name == "Sophie Blanc"), ServicesMake.Staff, ValDromeApp.DefaultNow));

        Assert.Equal("Sophie Blanc ne travaille pas le mercredi 7 avril 2027.", refused.Message);
    }

    [Fact]
    public async Task A_weekend_day_is_refused_naming_the_day()
    {
        await using var db = _database.CreateDb();

        var refused = await Assert.ThrowsAsync<RuleException>(() => ServicesMake.NewRequestAsync(db, "26144", ServiceKind.Secretary, ServicesMake.Morning(new DateOnly(2027, 4, 10))));

        Assert.Equal("Le samedi 10 avril 2027 n'est pas un jour travaillé par les services de la communauté.", refused.Message);
    }
}
