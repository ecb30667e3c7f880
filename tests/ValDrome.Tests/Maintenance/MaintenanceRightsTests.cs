using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Jobs;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Maintenance;

/// <summary>ADR 13: who answers for a unit's upkeep plans it; the technician records the work on any pooled unit.</summary>
public sealed class MaintenanceRightsTests(MarketSite site) : IClassFixture<MarketSite>
{
    private const string Saved = "saved";
    private const string Refused = "refused";
    private const string Hidden = "hidden";
    private const string SignIn = "sign-in";

    private static string Outcome(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => Hidden,
            HttpStatusCode.Redirect when location.StartsWith("/connexion", StringComparison.Ordinal)
                || location.Contains("/connexion?", StringComparison.Ordinal) => SignIn,
            HttpStatusCode.Redirect when location.Contains("/acces-refuse", StringComparison.Ordinal) => Refused,
            HttpStatusCode.Redirect when location.EndsWith("/maintenance", StringComparison.Ordinal) => Saved,
            _ => $"{(int)response.StatusCode} {location}",
        };
    }

    private async Task<HttpResponseMessage> PostAsync(string? user, Dictionary<string, string> fields, string url) =>
        user is null
            ? await site.App.Client().PostAsync(url, new FormUrlEncodedContent(fields))
            : await (await site.As(user)).SubmitAsync("/maintenance", fields, url);

    [Theory]
    [InlineData("mairie-26144", "26144-BR-01", Saved)] // the owner commune's agent
    [InlineData("mairie-26185", "26144-BR-01", Refused)] // another commune's agent
    [InlineData("staff", "26144-BR-01", Refused)] // the issue: staff planned on any commune's unit
    [InlineData("technicien", "26144-BR-01", Refused)]
    [InlineData("admin", "26144-BR-01", Saved)]
    [InlineData(null, "26144-BR-01", SignIn)]
    [InlineData("mairie-26144", "CCVD-TP-01", Refused)] // the community's unit
    [InlineData("staff", "CCVD-TP-01", Saved)]
    [InlineData("technicien", "CCVD-TP-01", Saved)]
    [InlineData("admin", "CCVD-TP-01", Saved)]
    [InlineData(null, "CCVD-TP-01", SignIn)]
    public async Task Who_may_plan_maintenance_on_a_unit(string? user, string unitCode, string expected)
    {
        var label = $"Contrôle par {user ?? "personne"} de {unitCode}";
        var unitId = (await Make.UnitIdAsync(site.Database, unitCode)).ToString(CultureInfo.InvariantCulture);

        using var response = await PostAsync(user, new()
        {
            ["Plan.UnitId"] = unitId, ["Plan.Kind"] = "EveryDays", ["Plan.Label"] = label,
            ["Plan.Interval"] = "90", ["Plan.DurationDays"] = "1", ["Plan.LastDoneOn"] = "2026-11-30",
        }, "/maintenance?handler=Plan");

        Assert.Equal(expected, Outcome(response));
        await using var db = site.Database.CreateDb();
        Assert.Equal(expected == Saved ? 1 : 0, await db.MaintenancePlans.CountAsync(p => p.Label == label));
    }

    private async Task<(string Outcome, bool Closed)> CloseAsync(string unitCode, string? user)
    {
        site.App.SetToday(new DateOnly(2026, 12, 1));
        await site.App.RunJobAsync<ScheduleDueMaintenance, int>(j => j.RunAsync(CancellationToken.None));
        var unitId = await Make.UnitIdAsync(site.Database, unitCode);
        await using var db = site.Database.CreateDb();
        var task = await db.MaintenanceTasks.AsNoTracking().SingleAsync(t => t.UnitId == unitId && t.ClosedOn == null);

        using var response = await PostAsync(user, new() { ["Day"] = "2026-12-01", ["Notes"] = "Fait", ["Meter"] = "9000" },
            $"/maintenance?handler=Close&id={task.Id}");

        await using var after = site.Database.CreateDb();
        return (Outcome(response), await after.MaintenanceTasks.AnyAsync(t => t.Id == task.Id && t.ClosedOn != null));
    }

    [Fact]
    public async Task A_communes_task_is_closed_by_its_agent_not_by_staff_nor_another_commune()
    {
        Assert.Equal((Hidden, false), await CloseAsync("26166-NA-01", "mairie-26144"));
        Assert.Equal((Refused, false), await CloseAsync("26166-NA-01", "staff"));
        Assert.Equal((SignIn, false), await CloseAsync("26166-NA-01", null));
        Assert.Equal((Saved, true), await CloseAsync("26166-NA-01", "mairie-26166"));
    }

    [Fact]
    public async Task The_communitys_task_is_closed_by_staff_not_by_a_commune()
    {
        Assert.Equal((Hidden, false), await CloseAsync("CCVD-NA-01", "mairie-26166"));
        Assert.Equal((Saved, true), await CloseAsync("CCVD-NA-01", "staff"));
    }
}
