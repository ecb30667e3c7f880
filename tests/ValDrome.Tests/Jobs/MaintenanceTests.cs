using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Maintenance;
using ValDrome.Jobs;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Jobs;

/// <summary>
/// The seeded plans, around 1 December 2026: the community's aerial platform has its periodic
/// inspection due on 13 December, Loriol's is 8 days overdue, the mini-pelle is serviced every
/// 250 hours (at 1,180 h, last done at 1,000 h), the stage is checked after every 10 loans.
/// </summary>
public sealed class MaintenanceTests(MarketSite site) : IClassFixture<MarketSite>
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    private async Task<int> RunAsync()
    {
        site.App.SetToday(Today);
        return await site.App.RunJobAsync<ScheduleDueMaintenance, int>(j => j.RunAsync(CancellationToken.None));
    }

    private async Task<MaintenanceTask?> OpenTaskAsync(string unitCode)
    {
        await using var db = site.Database.CreateDb();
        var unitId = await Make.UnitIdAsync(site.Database, unitCode);
        return await db.MaintenanceTasks.Include(t => t.Booking).Include(t => t.Plan).AsNoTracking()
            .SingleOrDefaultAsync(t => t.UnitId == unitId && t.ClosedOn == null);
    }

    private async Task<HttpResponseMessage> RequestAsync(string unitCode, string category, DateOnly first, DateOnly last)
    {
        var unitId = (await Make.UnitIdAsync(site.Database, unitCode)).ToString(CultureInfo.InvariantCulture);
        var day1 = first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var day2 = last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return await (await site.As("mairie-26144")).SubmitAsync($"/prets/demander?categorie={category}", new()
        {
            ["UnitId"] = unitId, ["du"] = day1, ["au"] = day2, ["usage"] = "Élagage des platanes",
        }, "/prets/demander");
    }

    [Fact]
    public async Task A_dated_inspection_coming_up_gets_a_task_and_books_its_day()
    {
        await RunAsync();

        var task = await OpenTaskAsync("CCVD-NA-01");
        Assert.NotNull(task);
        Assert.Equal((new DateOnly(2026, 12, 13), new DateOnly(2026, 12, 13), new DateOnly(2026, 12, 13)), (task.DueOn, task.PlannedFrom, task.PlannedTo));
        Assert.True(task.Booking.IsActive);
        Assert.Equal("Vérification générale périodique (VGP)", task.Plan.Label);
    }

    [Fact]
    public async Task A_request_over_a_maintenance_window_is_refused()
    {
        await RunAsync();

        using var over = await RequestAsync("CCVD-NA-01", "nacelle", new DateOnly(2026, 12, 12), new DateOnly(2026, 12, 14));
        using var before = await RequestAsync("CCVD-NA-01", "nacelle", new DateOnly(2026, 12, 3), new DateOnly(2026, 12, 4));

        Assert.Equal(HttpStatusCode.Conflict, over.StatusCode);
        Assert.Contains("Ce matériel vient d'être réservé sur ces dates", await over.TextAsync());
        Assert.Equal(HttpStatusCode.Redirect, before.StatusCode);
    }

    [Fact]
    public async Task An_overdue_inspection_blocks_every_request_until_it_is_done()
    {
        await RunAsync();
        await using (var db = site.Database.CreateDb())
        {
            var unit = await db.EquipmentUnits.AsNoTracking().SingleAsync(u => u.InventoryCode == "26166-NA-01");
            Assert.Equal(UnitStatus.InMaintenance, unit.Status);
            Assert.Contains("Vérification générale périodique (VGP) en retard depuis le 23/11/2026", unit.StatusReason);
        }

        using var refused = await RequestAsync("26166-NA-01", "nacelle", new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 2));
        var proposals = await (await (await site.As("mairie-26144")).GetAsync("/prets/demander?categorie=nacelle&du=2027-03-01&au=2027-03-02&usage=x")).TextAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        // Said from the plan (ADR 18), the same whether or not the job has blocked the unit.
        Assert.Contains("Ce matériel ne peut pas être prêté : Vérification générale périodique (VGP) en retard de 8 jours (prévue le 23/11/2026)", await refused.TextAsync());
        Assert.DoesNotContain($"data-unit-id=\"{await Make.UnitIdAsync(site.Database, "26166-NA-01")}\"", proposals);

        // The technician closes the inspection: the unit is lent again, the next one is in 182 days.
        var task = await OpenTaskAsync("26166-NA-01");
        Assert.NotNull(task);
        using var close = await (await site.As("technicien")).SubmitAsync("/maintenance",
            new() { ["Day"] = "2026-12-01", ["Cost"] = "185,40", ["Meter"] = "640", ["Notes"] = "Conforme" }, $"/maintenance?handler=Close&id={task.Id}");
        Assert.Equal(HttpStatusCode.Redirect, close.StatusCode);

        await using var after = site.Database.CreateDb();
        var done = await after.MaintenanceTasks.Include(t => t.Booking).Include(t => t.Plan).AsNoTracking().SingleAsync(t => t.Id == task.Id);
        Assert.Equal((new DateOnly(2026, 12, 1), 185.40m, false), (done.ClosedOn, done.Cost, done.Booking.IsActive));
        Assert.Equal(new DateOnly(2027, 6, 1), done.Plan.NextDueOn);
        Assert.Equal(UnitStatus.InService, await after.EquipmentUnits.Where(u => u.InventoryCode == "26166-NA-01").Select(u => u.Status).SingleAsync());
        using var granted = await RequestAsync("26166-NA-01", "nacelle", new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 2));
        Assert.Equal(HttpStatusCode.Redirect, granted.StatusCode);
    }

    [Fact]
    public async Task Hours_on_the_meter_make_a_service_due()
    {
        await RunAsync();
        Assert.Null(await OpenTaskAsync("CCVD-MP-01")); // 180 h since the last service

        await site.Database.ScalarAsync<int>("UPDATE equipment_units SET meter_reading = 1251.5 WHERE inventory_code = 'CCVD-MP-01'; SELECT 0;");
        await RunAsync();

        var task = await OpenTaskAsync("CCVD-MP-01");
        Assert.NotNull(task);
        Assert.Equal(Today, task.PlannedFrom);
    }

    [Fact]
    public async Task The_tenth_loan_returned_makes_the_stage_check_due()
    {
        for (var i = 0; i < 9; i++)
        {
            var first = site.Week();
            await Make.LoanAsync(site.Database, "CCVD-PO-01", "26144", first, first, LoanStatus.Returned);
        }

        await RunAsync();
        Assert.Null(await OpenTaskAsync("CCVD-PO-01"));

        var tenth = site.Week();
        await Make.LoanAsync(site.Database, "CCVD-PO-01", "26185", tenth, tenth, LoanStatus.Closed);
        await RunAsync();

        Assert.NotNull(await OpenTaskAsync("CCVD-PO-01"));
    }

    [Fact]
    public async Task Running_the_job_again_creates_nothing_more()
    {
        await RunAsync();
        await using var db = site.Database.CreateDb();
        var tasks = await db.MaintenanceTasks.CountAsync();

        var created = await RunAsync();

        Assert.Equal(0, created);
        Assert.Equal(tasks, await db.MaintenanceTasks.CountAsync());
    }

    [Fact]
    public async Task Closing_a_task_with_a_bad_cost_is_refused_in_french()
    {
        await RunAsync();
        var task = await OpenTaskAsync("CCVD-NA-01");

        using var response = await (await site.As("technicien")).SubmitAsync("/maintenance",
            new() { ["Day"] = "2026-12-01", ["Cost"] = "beaucoup" }, $"/maintenance?handler=Close&id={task!.Id}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("« beaucoup » n'est pas un coût valable", await response.TextAsync());
        Assert.NotNull(await OpenTaskAsync("CCVD-NA-01"));
    }

    [Fact]
    public async Task The_workshop_page_shows_an_agent_its_communes_units_and_the_technician_every_unit()
    {
        using var agent = await (await site.As("mairie-26166")).GetAsync("/maintenance");
        using var other = await (await site.As("mairie-26144")).GetAsync("/maintenance");
        using var technician = await (await site.As("technicien")).GetAsync("/maintenance");

        var agentPage = await agent.TextAsync();
        Assert.Equal(HttpStatusCode.OK, agent.StatusCode);
        Assert.Contains("Vérification générale périodique (VGP)", agentPage); // its nacelle's
        Assert.DoesNotContain("Révision semestrielle", agentPage); // the community's tractopelle
        Assert.DoesNotContain("Vérification générale périodique (VGP)", await other.TextAsync());
        var technicianPage = await technician.TextAsync();
        Assert.Contains("Vérification générale périodique (VGP)", technicianPage);
        Assert.Contains("Révision semestrielle", technicianPage);
    }
}
