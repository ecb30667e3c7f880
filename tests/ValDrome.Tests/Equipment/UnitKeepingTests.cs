using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Loans;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Equipment;

/// <summary>Issue 11: the catalogue kept by its owners, over HTTP: who may add, edit and retire which unit, and what is refused.</summary>
public sealed class UnitKeepingTests(MarketSite site) : IClassFixture<MarketSite>
{
    private const string Saved = "saved";
    private const string Refused = "refused";
    private const string SignIn = "sign-in";

    private static string Outcome(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.Redirect when location.Contains("/connexion", StringComparison.Ordinal) => SignIn,
            HttpStatusCode.Redirect when location.Contains("/acces-refuse", StringComparison.Ordinal) => Refused,
            HttpStatusCode.Redirect when location.StartsWith("/materiel", StringComparison.Ordinal) => Saved,
            _ => $"{(int)response.StatusCode} {location}",
        };
    }

    private static string Invariant(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>The edit form of a unit as its page fills it, with a new name.</summary>
    private async Task<Dictionary<string, string>> EditFieldsAsync(string unitCode, string name)
    {
        await using var db = site.Database.CreateDb();
        var unit = await db.EquipmentUnits.AsNoTracking().SingleAsync(u => u.InventoryCode == unitCode);
        return new()
        {
            ["Version"] = unit.EditVersion.ToString(CultureInfo.InvariantCulture),
            ["Form.Name"] = name,
            ["Form.CategoryId"] = unit.CategoryId.ToString(CultureInfo.InvariantCulture),
            ["Form.DailyRate"] = "12,50",
            ["Form.Deposit"] = "300",
            ["Form.Transport"] = unit.Transport.ToString(),
            ["Form.InService"] = "true",
            ["Form.Home"] = "Point",
            ["Form.Longitude"] = Invariant(unit.HomeLocation.X),
            ["Form.Latitude"] = Invariant(unit.HomeLocation.Y),
        };
    }

    private async Task<HttpResponseMessage> PostAsync(string? user, string pageUrl, Dictionary<string, string> fields, string? postUrl = null)
    {
        if (user is null)
        {
            return await site.App.Client().PostAsync(postUrl ?? pageUrl, new FormUrlEncodedContent(fields));
        }

        // The form is read from the catalogue (every signed-in person may read it): refusals then come from the POST itself.
        return await (await site.As(user)).SubmitAsync("/materiel", fields, postUrl ?? pageUrl);
    }

    private async Task<string> NameOfAsync(string unitCode)
    {
        await using var db = site.Database.CreateDb();
        return await db.EquipmentUnits.Where(u => u.InventoryCode == unitCode).Select(u => u.Name).SingleAsync();
    }

    [Theory]
    [InlineData("mairie-26144", "26144-BR-01", Saved)] // the owner commune's agent
    [InlineData("mairie-26185", "26144-BR-01", Refused)] // another commune's agent
    [InlineData("staff", "26144-BR-01", Refused)] // a commune's unit is the commune's
    [InlineData("technicien", "26144-BR-01", Refused)]
    [InlineData("admin", "26144-BR-01", Saved)]
    [InlineData(null, "26144-BR-01", SignIn)]
    [InlineData("mairie-26144", "CCVD-TP-01", Refused)] // the community's unit
    [InlineData("staff", "CCVD-TP-01", Saved)]
    [InlineData("technicien", "CCVD-TP-01", Refused)]
    [InlineData("admin", "CCVD-TP-01", Saved)]
    [InlineData(null, "CCVD-TP-01", SignIn)]
    public async Task Who_may_edit_a_unit(string? user, string unitCode, string expected)
    {
        var before = await NameOfAsync(unitCode);
        var name = $"Renommé par {user ?? "personne"}";
        var id = await Make.UnitIdAsync(site.Database, unitCode);

        using var response = await PostAsync(user, $"/materiel/{id}/modifier", await EditFieldsAsync(unitCode, name));

        Assert.Equal(expected, Outcome(response));
        Assert.Equal(expected == Saved ? name : before, await NameOfAsync(unitCode));
    }

    [Theory]
    [InlineData("mairie-26144", "26144")]
    [InlineData("staff", null)]
    [InlineData("admin", "26185")]
    public async Task An_owner_adds_a_unit_that_belongs_to_them(string user, string? expectedOwner)
    {
        var code = $"T-NEW-{user}";
        var fields = await NewFieldsAsync(code, $"Remorque de {user}", "26144");
        fields["Form.Owner"] = "26185"; // only an admin's choice counts

        using var response = await PostAsync(user, "/materiel/nouveau", fields);

        Assert.Equal(Saved, Outcome(response));
        await using var db = site.Database.CreateDb();
        var owner = await db.EquipmentUnits.Where(u => u.InventoryCode == code).Select(u => u.OwnerCommune!.Insee).SingleAsync();
        Assert.Equal(expectedOwner, owner);
    }

    [Theory]
    [InlineData("technicien", Refused)]
    [InlineData(null, SignIn)]
    public async Task Neither_the_technician_nor_a_visitor_adds_units(string? user, string expected)
    {
        var code = $"T-NONE-{user ?? "anonyme"}";
        using var response = await PostAsync(user, "/materiel/nouveau", await NewFieldsAsync(code, "Intrus", "26144"));

        Assert.Equal(expected, Outcome(response));
        await using var db = site.Database.CreateDb();
        Assert.False(await db.EquipmentUnits.AnyAsync(u => u.InventoryCode == code));
    }

    private async Task<Dictionary<string, string>> NewFieldsAsync(string code, string name, string placedAtInsee, string categoryCode = "remorque")
    {
        await using var db = site.Database.CreateDb();
        var point = await db.Communes.Where(c => c.Insee == placedAtInsee).Select(c => c.ReferencePoint).SingleAsync();
        var category = await db.EquipmentCategories.Where(c => c.Code == categoryCode).Select(c => c.Id).SingleAsync();
        return new()
        {
            ["Form.InventoryCode"] = code,
            ["Form.Name"] = name,
            ["Form.CategoryId"] = category.ToString(CultureInfo.InvariantCulture),
            ["Form.Description"] = "Essai",
            ["Form.DailyRate"] = "15",
            ["Form.Deposit"] = "0",
            ["Form.Transport"] = "None",
            ["Form.InService"] = "true",
            ["Form.Home"] = "Point",
            ["Form.Longitude"] = Invariant(point.X),
            ["Form.Latitude"] = Invariant(point.Y),
        };
    }

    [Theory]
    [InlineData("2.3522", "48.8566")] // Paris
    [InlineData("5.0", "91")] // no such place
    [InlineData("abc", "44.7")]
    public async Task A_unit_placed_outside_the_territory_is_refused_in_French_and_nothing_is_written(string longitude, string latitude)
    {
        var code = $"T-OUT-{longitude}-{latitude}";
        var fields = await NewFieldsAsync(code, "Égarée", "26144");
        fields["Form.Longitude"] = longitude;
        fields["Form.Latitude"] = latitude;

        using var response = await PostAsync("mairie-26144", "/materiel/nouveau", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.TextAsync();
        Assert.True(text.Contains("hors du territoire", StringComparison.Ordinal) || text.Contains("coordonnées", StringComparison.Ordinal), text);
        await using var db = site.Database.CreateDb();
        Assert.False(await db.EquipmentUnits.AnyAsync(u => u.InventoryCode == code));
    }

    [Fact]
    public async Task Moving_a_unit_out_of_the_territory_is_refused_and_the_unit_stays_where_it_was()
    {
        var id = await Make.UnitIdAsync(site.Database, "26144-BR-01");
        var fields = await EditFieldsAsync("26144-BR-01", "Barrières parties");
        fields["Form.Longitude"] = "2.3522";
        fields["Form.Latitude"] = "48.8566";

        using var response = await PostAsync("mairie-26144", $"/materiel/{id}/modifier", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("hors du territoire", await response.TextAsync(), StringComparison.Ordinal);
        Assert.NotEqual("Barrières parties", await NameOfAsync("26144-BR-01"));
    }

    [Fact]
    public async Task Of_two_edits_made_from_the_same_form_one_wins_and_the_other_gets_a_409()
    {
        var id = await Make.UnitIdAsync(site.Database, "26166-NA-01");
        var first = await EditFieldsAsync("26166-NA-01", "Nacelle A");
        var second = new Dictionary<string, string>(first) { ["Form.Name"] = "Nacelle B" };
        var agent = await site.As("mairie-26166");
        var admin = await site.As("admin");

        var responses = await Task.WhenAll(
            agent.SubmitAsync("/materiel", first, $"/materiel/{id}/modifier"),
            admin.SubmitAsync("/materiel", second, $"/materiel/{id}/modifier"));

        var codes = responses.Select(r => r.StatusCode).Order().ToList();
        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Conflict], codes);
        var loser = responses.Single(r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Contains("vient d'être modifié", await loser.TextAsync(), StringComparison.Ordinal);
        var winner = responses.Single(r => r.StatusCode == HttpStatusCode.Redirect) == responses[0] ? "Nacelle A" : "Nacelle B";
        Assert.Equal(winner, await NameOfAsync("26166-NA-01"));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_unit_with_a_coming_loan_is_not_retired_and_its_page_lists_the_loan()
    {
        var week = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26144-BR-01", "26185", week, week.AddDays(2), LoanStatus.Approved);
        var id = await Make.UnitIdAsync(site.Database, "26144-BR-01");
        var agent = await site.As("mairie-26144");

        var version = (await EditFieldsAsync("26144-BR-01", "x"))["Version"];
        using var response = await agent.SubmitAsync("/materiel", new() { ["Version"] = version }, $"/materiel/{id}/modifier?handler=Retire");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var text = await response.TextAsync();
        Assert.Contains("avant de le retirer", text, StringComparison.Ordinal);
        Assert.Contains($"href=\"/prets/{loan.Id}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = site.Database.CreateDb();
        Assert.Equal(UnitStatus.InService, await db.EquipmentUnits.Where(u => u.Id == id).Select(u => u.Status).SingleAsync());
    }

    [Fact]
    public async Task A_unit_created_in_the_app_is_in_the_catalogue_on_the_map_and_in_the_proposals_until_it_is_retired()
    {
        var code = "T-SHOWN-01";
        var name = "Remorque plateau de démonstration";
        // Placed at the borrower's mairie: the nearest of all, so it heads the proposals.
        using (var created = await PostAsync("mairie-26144", "/materiel/nouveau", await NewFieldsAsync(code, name, "26185")))
        {
            Assert.Equal(Saved, Outcome(created));
        }

        var id = await Make.UnitIdAsync(site.Database, code);
        var borrower = await site.As("mairie-26185");
        var week = site.Week();
        var proposals = $"/prets/demander?categorie=remorque&du={week:yyyy-MM-dd}&au={week.AddDays(1):yyyy-MM-dd}&usage=Essai";

        async Task<(bool Catalogue, bool Map, bool Proposals)> ShownAsync()
        {
            var catalogue = await (await borrower.GetAsync("/materiel?q=d%C3%A9monstration")).TextAsync();
            var map = await (await borrower.GetAsync("/carte/materiel.geojson")).Content.ReadAsStringAsync();
            var proposed = await (await borrower.GetAsync(proposals)).TextAsync();
            return (catalogue.Contains(name, StringComparison.Ordinal), map.Contains($"/materiel/{id}\"", StringComparison.Ordinal),
                proposed.Contains(name, StringComparison.Ordinal));
        }

        Assert.Equal((true, true, true), await ShownAsync());

        var version = (await EditFieldsAsync(code, name))["Version"];
        using (var retired = await (await site.As("mairie-26144")).SubmitAsync("/materiel", new() { ["Version"] = version }, $"/materiel/{id}/modifier?handler=Retire"))
        {
            Assert.Equal(Saved, Outcome(retired));
        }

        Assert.Equal((false, false, false), await ShownAsync());
        await using var db = site.Database.CreateDb();
        Assert.NotNull(await db.EquipmentUnits.Where(u => u.Id == id).Select(u => u.RetiredAt).SingleAsync());
    }
}
