using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Notices;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Loans;

/// <summary>Asking the way a village asks: « Quand ? », the request form from a unit's page, what a proposal needs, and cancelling with its consequences said.</summary>
public sealed class AskingTests(MarketSite site) : IClassFixture<MarketSite>
{
    private const string Grane = "mairie-26144";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_catalogue_says_for_each_unit_whether_it_is_free_on_the_days_asked_and_can_list_only_the_free_ones()
    {
        var first = site.Week();
        await Make.LoanAsync(site.Database, "26006-MP-01", "26144", first, first.AddDays(2));
        var client = await site.As(Grane);
        var when = $"du={Day(first.AddDays(1))}&au={Day(first.AddDays(1))}";

        using var all = await client.GetAsync($"/materiel?categorie=mini-pelle&{when}");
        using var free = await client.GetAsync($"/materiel?categorie=mini-pelle&{when}&libres=true");
        var allText = await all.TextAsync();
        var freeText = await free.TextAsync();

        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        var takenRow = allText[allText.IndexOf("Mini-pelle Takeuchi TB216", StringComparison.Ordinal)..];
        Assert.Contains("<span class=\"taken\">Pris</span>", takenRow[..takenRow.IndexOf("</tr>", StringComparison.Ordinal)]);
        var label = FreeUnits.FreeLabel(first.AddDays(1), first.AddDays(1));
        Assert.Equal(3, allText.Split(label).Length - 1); // the three others are free that day
        Assert.DoesNotContain("Takeuchi", freeText);
        Assert.Contains("3 matériels", freeText);
    }

    [Fact]
    public async Task The_map_geojson_keeps_only_the_units_free_on_the_days_asked()
    {
        var first = site.Week();
        await Make.LoanAsync(site.Database, "26006-MP-01", "26144", first, first.AddDays(2));
        using var client = site.App.Client();
        var taken = await Make.UnitIdAsync(site.Database, "26006-MP-01");

        using var all = await client.GetAsync("/carte/materiel.geojson");
        using var when = await client.GetAsync($"/carte/materiel.geojson?du={Day(first)}&au={Day(first.AddDays(1))}");
        using var bad = await client.GetAsync($"/carte/materiel.geojson?du={Day(first)}&au={Day(first.AddDays(-1))}");
        using var map = await client.GetAsync($"/carte?du={Day(first)}&au={Day(first.AddDays(1))}");

        var allIds = Ids(await all.Content.ReadAsStringAsync());
        using var filtered = JsonDocument.Parse(await when.Content.ReadAsStringAsync());
        var features = filtered.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Contains(taken, allIds);
        Assert.DoesNotContain(taken, features.Select(f => f.GetProperty("properties").GetProperty("id").GetInt32()));
        Assert.Equal(allIds.Count - 1, features.Count);
        Assert.All(features, f => Assert.Equal(FreeUnits.FreeLabel(first, first.AddDays(1)), f.GetProperty("properties").GetProperty("disponibilite").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Le dernier jour doit être le même que le premier ou après lui.", await bad.Content.ReadAsStringAsync());
        Assert.Contains($"data-units-url=\"/carte/materiel.geojson?du={Day(first)}&amp;au={Day(first.AddDays(1))}\"", await map.Content.ReadAsStringAsync());
    }

    private static List<int> Ids(string geojson)
    {
        using var document = JsonDocument.Parse(geojson);
        return [.. document.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("id").GetInt32())];
    }

    [Fact]
    public async Task Asking_for_a_unit_from_its_page_opens_a_form_without_errors_with_the_days_of_when()
    {
        var first = site.Week();
        var client = await site.As(Grane);
        var unitId = await Make.UnitIdAsync(site.Database, "26006-MP-01");

        using var details = await client.GetAsync($"/materiel/{unitId}?du={Day(first)}&au={Day(first.AddDays(1))}");
        var detailsText = await details.TextAsync();
        using var empty = await client.GetAsync($"/prets/demander?materiel={unitId}");
        var emptyText = await empty.TextAsync();
        using var dated = await client.GetAsync($"/prets/demander?materiel={unitId}&du={Day(first)}&au={Day(first.AddDays(1))}");
        var datedText = await dated.TextAsync();

        Assert.Contains(FreeUnits.FreeLabel(first, first.AddDays(1)), detailsText);
        Assert.Contains($"href=\"/prets/demander?materiel={unitId}&du={Day(first)}&au={Day(first.AddDays(1))}\"", detailsText);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.DoesNotContain("alert error", emptyText);
        Assert.DoesNotContain("Indiquez le premier jour", emptyText);
        Assert.Contains("Matériel demandé : <strong>Mini-pelle Takeuchi TB216</strong>", emptyText);
        Assert.Equal(HttpStatusCode.OK, dated.StatusCode);
        Assert.Contains($"name=\"du\" value=\"{Day(first)}\"", datedText);
        Assert.Contains($"data-unit-id=\"{unitId}\"", datedText);
    }

    [Fact]
    public async Task When_the_unit_asked_for_is_busy_the_other_free_units_of_its_kind_are_proposed()
    {
        var first = site.Week();
        await Make.LoanAsync(site.Database, "26006-MP-01", "26185", first, first.AddDays(2));
        var client = await site.As(Grane);
        var unitId = await Make.UnitIdAsync(site.Database, "26006-MP-01");

        using var response = await client.GetAsync($"/prets/demander?materiel={unitId}&du={Day(first)}&au={Day(first.AddDays(1))}");
        var text = await response.TextAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("« Mini-pelle Takeuchi TB216 » est déjà pris", text);
        Assert.DoesNotContain($"data-unit-id=\"{unitId}\"", text);
        Assert.Contains($"data-unit-id=\"{await Make.UnitIdAsync(site.Database, "CCVD-MP-01")}\"", text);
    }

    [Fact]
    public async Task The_proposals_say_the_licence_a_unit_needs_and_who_carries_it()
    {
        var first = site.Week();
        var client = await site.As(Grane);

        using var machines = await client.GetAsync($"/prets/demander?categorie=mini-pelle&du={Day(first)}&au={Day(first)}");
        using var trailers = await client.GetAsync($"/prets/demander?categorie=remorque&du={Day(first)}&au={Day(first)}");
        var machinesText = await machines.TextAsync();
        var trailersText = await trailers.TextAsync();

        Assert.Contains("Exige : CACES R482 cat. A", machinesText);
        Assert.Matches(@"Livré par le technicien, \d+,\d\d €", machinesText);
        Assert.Contains("À retirer au dépôt « ", trailersText);
        Assert.Contains("À retirer à la mairie de Loriol-sur-Drôme par l'emprunteur", trailersText);
        Assert.Contains("Exige : Permis BE", trailersText);
    }

    [Fact]
    public async Task Cancelling_asks_first_and_says_the_delivery_leaves_the_technicians_tour()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "CCVD-MP-01", "26144", first, first, LoanStatus.Approved);
        // The Friday before the Monday: deliveries go on working days (ADR 18).
        var deliveryDay = first.AddDays(-1);
        while (!ValDrome.Domain.Calendar.WorkingCalendar.Statutory.IsWorkingDay(deliveryDay))
        {
            deliveryDay = deliveryDay.AddDays(-1);
        }

        var technician = await site.As("technicien");
        site.App.SetToday(deliveryDay.AddDays(-7));
        try
        {
            var date = Day(deliveryDay);
            using var plan = await technician.SubmitAsync($"/tournees?jour={date}", [], $"/tournees?jour={date}&handler=Plan");
            Assert.Equal(HttpStatusCode.Redirect, plan.StatusCode);
            var client = await site.As(Grane);

            using var confirm = await client.GetAsync($"/prets/{loan.Id}/annuler");
            var text = await confirm.TextAsync();
            using var cancelled = await client.SubmitAsync($"/prets/{loan.Id}/annuler", new() { ["Note"] = "Fête reportée" }, $"/prets/{loan.Id}?handler=Cancel");

            Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
            var weekday = deliveryDay.ToString("dddd d MMMM", CultureInfo.GetCultureInfo("fr-FR"));
            Assert.Contains($"Le prêt approuvé sera annulé ; la livraison prévue le {weekday} par le technicien sera retirée de sa tournée.", text);
            Assert.Contains("Confirmer l'annulation", text);
            Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
            await using var db = site.Database.CreateDb();
            Assert.Equal(LoanStatus.Cancelled, (await db.Loans.SingleAsync(l => l.Id == loan.Id)).Status);
            var key = LoanCancellation.DeliveryKey(loan.Id);
            Assert.False(await db.TourStops.AnyAsync(s => s.MovementKey == key));
            var notice = await db.Notices.SingleAsync(n => n.LoanId == loan.Id && n.Kind == NoticeKind.Cancelled);
            Assert.DoesNotContain("tardive", notice.Text); // a week ahead is in time
        }
        finally
        {
            site.App.Clock.Now = ValDromeApp.DefaultNow;
        }
    }

    [Fact]
    public async Task An_approved_loan_cancelled_less_than_two_working_days_ahead_is_told_to_the_owner_as_late_and_marked_in_its_history()
    {
        var first = site.Week(); // a Monday: the Friday before leaves no working day in between
        var loan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first.AddDays(1), LoanStatus.Approved);
        site.App.SetToday(first.AddDays(-3));
        try
        {
            var client = await site.As(Grane);

            using var confirm = await client.GetAsync($"/prets/{loan.Id}/annuler");
            using var cancelled = await client.SubmitAsync($"/prets/{loan.Id}/annuler", new() { ["Note"] = "Pluie annoncée" }, $"/prets/{loan.Id}?handler=Cancel");

            Assert.Contains("moins de 2 jours ouvrés avant le premier jour : Livron-sur-Drôme en sera prévenu comme d'une annulation tardive", await confirm.TextAsync());
            Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
            await using var db = site.Database.CreateDb();
            var livron = await Make.CommuneIdAsync(site.Database, "26165");
            var notice = await db.Notices.SingleAsync(n => n.LoanId == loan.Id && n.Kind == NoticeKind.Cancelled);
            Assert.Equal(livron, notice.CommuneId);
            Assert.StartsWith("Annulation tardive : Grane a annulé le prêt approuvé de « Tractopelle Case 580ST »", notice.Text, StringComparison.Ordinal);
            var last = await db.LoanEvents.Where(e => e.LoanId == loan.Id).OrderByDescending(e => e.Id).FirstAsync();
            Assert.Equal(LoanStatus.Cancelled, last.To);
            Assert.Equal($"{LoanCancellation.LateNote} Pluie annoncée", last.Note);

            var owner = await site.As("mairie-26165");
            using var loans = await owner.GetAsync("/prets");
            Assert.Contains("Annulation tardive : Grane a annulé", await loans.TextAsync());
        }
        finally
        {
            site.App.Clock.Now = ValDromeApp.DefaultNow;
        }
    }

    [Theory]
    [InlineData("mairie-26165", HttpStatusCode.Forbidden)]
    [InlineData("mairie-26185", HttpStatusCode.NotFound)]
    [InlineData("staff", HttpStatusCode.Forbidden)]
    [InlineData("technicien", HttpStatusCode.Forbidden)]
    public async Task Only_the_borrower_sees_the_cancellation_page(string user, HttpStatusCode expected)
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first);
        var client = await site.As(user);

        using var response = await client.GetAsync($"/prets/{loan.Id}/annuler");

        AssertAnswer(expected, response);
    }

    /// <summary>A refusal is the sign-in cookie's redirect to « Accès refusé » (as in RightsTests).</summary>
    private static void AssertAnswer(HttpStatusCode expected, HttpResponseMessage response)
    {
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/acces-refuse", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(expected, response.StatusCode);
        }
    }
}
