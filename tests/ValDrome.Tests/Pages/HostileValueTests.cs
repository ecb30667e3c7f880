using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Loans;
using ValDrome.Jobs;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Pages;

/// <summary>Values that used to end in a 500: each is now a French 400 (or a page that holds), and nothing is written.</summary>
public sealed class HostileValueTests(MarketSite site) : IClassFixture<MarketSite>
{
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> ActAsync(string user, int loanId, string handler, Dictionary<string, string> fields)
    {
        var client = await site.As(user);
        return await client.SubmitAsync($"/prets/{loanId}", fields, $"/prets/{loanId}?handler={handler}");
    }

    [Fact]
    public async Task A_catalogue_page_past_the_last_one_is_a_French_400()
    {
        using var response = await site.App.Client().GetAsync("/materiel?p=2147483647");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("La page 2147483647 n'existe pas", await response.TextAsync());
    }

    [Theory]
    [InlineData("/materiel?q=pelle%00")]
    [InlineData("/materiel?categorie=%00")]
    [InlineData("/communes?x=%00")]
    public async Task A_NUL_character_in_a_query_is_a_French_400(string url)
    {
        using var response = await site.App.Client().GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("caractère nul", await response.TextAsync());
    }

    [Fact]
    public async Task A_NUL_character_in_a_form_is_a_French_400_and_nothing_is_written()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first);

        using var response = await ActAsync("mairie-26165", loan.Id, "Refuse", new() { ["Reason"] = "Pas\0 disponible" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("caractère nul", await response.TextAsync());
        Assert.Equal(LoanStatus.Requested, (await Make.StateAsync(site.Database, loan.Id)).Status);
    }

    [Theory]
    [InlineData("9999-12")]
    [InlineData("0001-01")]
    public async Task A_calendar_month_out_of_range_is_a_French_400(string month)
    {
        var unit = await Make.UnitIdAsync(site.Database, "26165-TP-01");

        using var response = await site.App.Client().GetAsync($"/materiel/{unit}/disponibilites?mois={month}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("hors de la période gérée", await response.TextAsync());
    }

    [Theory]
    [InlineData("/decomptes/9999-12")]
    [InlineData("/decomptes/0001-01")]
    [InlineData("/decomptes/9999-12/26144")]
    [InlineData("/decomptes/douze")]
    public async Task A_statement_month_out_of_range_or_unreadable_is_a_French_400(string url)
    {
        using var response = await (await site.As("admin")).GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.TextAsync();
        Assert.True(text.Contains("hors de la période gérée", StringComparison.Ordinal) || text.Contains("n'est pas un mois valable", StringComparison.Ordinal), text);
    }

    [Theory]
    [InlineData("/decomptes/9999-12.csv")]
    [InlineData("/decomptes/0001-01/26144.csv")]
    public async Task A_statement_export_of_a_month_out_of_range_is_a_400(string url)
    {
        using var response = await (await site.As("admin")).GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("hors de la période gérée", await response.TextAsync());
    }

    [Theory]
    [InlineData("9999-12-31", "hors de la période gérée")]
    [InlineData("0001-01-01", "hors de la période gérée")]
    [InlineData("demain", "n'est pas une date valable")]
    public async Task A_tour_day_out_of_range_or_unreadable_is_a_French_400(string day, string message)
    {
        using var response = await (await site.As("technicien")).GetAsync($"/tournees?jour={day}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.TextAsync());
    }

    [Fact]
    public async Task A_refusal_reason_over_1000_characters_is_refused_in_French()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first);

        using var response = await ActAsync("mairie-26165", loan.Id, "Refuse", new() { ["Reason"] = new string('x', 1001) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("La raison du refus est limitée à 1 000 caractères ; vous en avez saisi 1 001.", await response.TextAsync());
        Assert.Equal(LoanStatus.Requested, (await Make.StateAsync(site.Database, loan.Id)).Status);
    }

    [Theory]
    [InlineData("Note", "L'état à la livraison est limité à 2 000 caractères")]
    [InlineData("Meter", "Un compteur horaire ne dépasse pas 999 999 h")]
    public async Task A_delivery_with_notes_over_2000_characters_or_a_meter_of_a_billion_hours_is_refused(string field, string message)
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first, LoanStatus.Approved);
        var fields = new Dictionary<string, string> { ["Day"] = Day(first), ["Meter"] = "1200", ["Note"] = "Bon état" };
        fields[field] = field == "Note" ? new string('x', 2001) : "1000000000";
        site.App.SetToday(first);
        HttpResponseMessage response;
        try
        {
            response = await ActAsync("technicien", loan.Id, "Deliver", fields);
        }
        finally
        {
            site.App.Clock.Now = ValDromeApp.DefaultNow;
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(message, await response.TextAsync());
            Assert.Equal(LoanStatus.Approved, (await Make.StateAsync(site.Database, loan.Id)).Status);
        }
    }

    [Fact]
    public async Task Opening_hours_longer_than_the_column_are_refused_in_French()
    {
        var nine = string.Join(' ', Enumerable.Range(8, 9).Select(h => $"{h:00}:00-{h:00}:30"));

        using var response = await (await site.As("mairie-26144")).SubmitAsync("/communes/26144", new() { ["Horaires"] = nine }, "/communes/26144?handler=Horaires");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Indiquez au plus 4 plages horaires par jour ; vous en avez saisi 9 pour le lundi.", await response.TextAsync());
    }

    [Theory]
    [InlineData("9999-12-31", "ne peut pas être dans le futur")]
    [InlineData("1990-01-01", "remonte à plus de 10 ans")]
    public async Task A_maintenance_plan_last_done_out_of_range_is_refused_in_French(string day, string message)
    {
        var unit = await Make.UnitIdAsync(site.Database, "CCVD-PO-01");
        await using var db = site.Database.CreateDb();
        var before = await db.MaintenancePlans.CountAsync();

        using var response = await (await site.As("staff")).SubmitAsync("/maintenance", new()
        {
            ["Plan.UnitId"] = unit.ToString(CultureInfo.InvariantCulture),
            ["Plan.Kind"] = "EveryDays",
            ["Plan.Label"] = "Graissage",
            ["Plan.Interval"] = "30",
            ["Plan.DurationDays"] = "1",
            ["Plan.LastDoneOn"] = day,
        }, "/maintenance?handler=Plan");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.TextAsync());
        Assert.Equal(before, await db.MaintenancePlans.CountAsync());
    }

    [Theory]
    [InlineData("Cost", "100000000", "Le coût d'une intervention ne dépasse pas 1 000 000 €")]
    [InlineData("Meter", "1000000000", "Un compteur horaire ne dépasse pas 999 999 h")]
    [InlineData("Notes", null, "Les notes sont limitées à 2 000 caractères")]
    [InlineData("Day", "9999-12-31", "ne peut pas être dans le futur")]
    [InlineData("Day", "le 3", "« le 3 » n'est pas une date valable.")]
    public async Task Closing_a_maintenance_task_with_a_value_out_of_range_is_refused_in_French(string field, string? value, string message)
    {
        site.App.SetToday(new DateOnly(2026, 12, 1));
        await site.App.RunJobAsync<ScheduleDueMaintenance, int>(j => j.RunAsync(CancellationToken.None));
        await using var db = site.Database.CreateDb();
        var task = await db.MaintenanceTasks.Where(t => t.ClosedOn == null).OrderBy(t => t.Id).Select(t => t.Id).FirstAsync();
        var fields = new Dictionary<string, string> { ["Day"] = "2026-12-01", ["Cost"] = "120", ["Meter"] = "1300", ["Notes"] = "Fait" };
        fields[field] = value ?? new string('x', 2001);

        using var response = await (await site.As("technicien")).SubmitAsync("/maintenance", fields, $"/maintenance?handler=Close&id={task}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.TextAsync());
        Assert.Null(await db.MaintenanceTasks.Where(t => t.Id == task).Select(t => t.ClosedOn).SingleAsync());
    }

    [Fact]
    public async Task A_calendar_feed_holds_when_a_loan_ends_in_year_9999()
    {
        var first = site.Week();
        var normal = await Make.LoanAsync(site.Database, "26165-TP-01", "26185", first, first);
        var endless = await Make.LoanAsync(site.Database, "26165-TP-01", "26185", first.AddDays(7), first.AddDays(7));
        await using (var db = site.Database.CreateDb())
        {
            // As such a loan was stored before requests had a horizon: infinity in PostgreSQL.
            await db.Database.ExecuteSqlAsync($"UPDATE loans SET last_day = 'infinity' WHERE id = {endless.Id}");
        }

        var token = await site.Database.ScalarAsync<string>("SELECT calendar_token FROM communes WHERE insee = '26185'");
        using var response = await site.App.Client().GetAsync($"/prets/calendrier/26185.ics?jeton={token}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"UID:pret-{normal.Id}@valdrome", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("admin")]
    [InlineData("staff")]
    public async Task The_jobs_dashboard_statistics_answer_without_an_error(string? user)
    {
        var client = user is null ? site.App.Client() : await site.As(user);

        using var get = await client.GetAsync("/jobs/stats");
        using var post = await client.PostAsync("/jobs/stats", new FormUrlEncodedContent([new("metrics[]", "enqueued:count"), new("metrics[]", "failed:count")]));

        Assert.InRange((int)get.StatusCode, 200, 499);
        Assert.InRange((int)post.StatusCode, 200, 499);
    }
}
