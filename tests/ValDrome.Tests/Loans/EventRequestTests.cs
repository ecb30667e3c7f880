using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Loans;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Loans;

/// <summary>« Demander pour un événement »: one request, proposals per item, a recap, one confirmation, every loan or none.</summary>
public sealed partial class EventRequestTests(MarketSite site) : IClassFixture<MarketSite>
{
    private const string Grane = "mairie-26144";
    private const string Page = "/prets/evenement";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Event(DateOnly first, DateOnly last, params (string Category, int Quantity)[] lines)
    {
        var fields = new Dictionary<string, string>
        {
            ["Form.Nom"] = "Fête du 14 juillet",
            ["Form.Du"] = Day(first),
            ["Form.Au"] = Day(last),
            ["Form.Lieu"] = "mairie",
        };
        for (var i = 0; i < lines.Length; i++)
        {
            fields[$"Form.Lignes[{i}].Categorie"] = lines[i].Category;
            fields[$"Form.Lignes[{i}].Quantite"] = lines[i].Quantity.ToString(CultureInfo.InvariantCulture);
        }

        return fields;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string handler, Dictionary<string, string> fields, IEnumerable<int> chosen)
    {
        using var page = await client.GetAsync(Page);
        var token = Token().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        var pairs = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))
            .Concat(chosen.Select(id => new KeyValuePair<string, string>("Choix", id.ToString(CultureInfo.InvariantCulture))))
            .Append(new("__RequestVerificationToken", WebUtility.HtmlDecode(token)));
        using var form = new FormUrlEncodedContent(pairs);
        return await client.PostAsync($"{Page}?handler={handler}", form);
    }

    /// <summary>The units ticked on the proposals page, in their order.</summary>
    private static List<int> Ticked(string html) =>
        [.. CheckBox().Matches(html).Where(m => m.Groups[2].Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    private static List<int> Offered(string html) =>
        [.. CheckBox().Matches(html).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    [Fact]
    public async Task A_get_shows_an_empty_form_without_errors_and_the_days_of_when()
    {
        var first = site.Week();
        var client = await site.As(Grane);

        using var response = await client.GetAsync($"{Page}?Form.Du={Day(first)}&Form.Au={Day(first.AddDays(1))}");
        var html = await response.TextAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("alert error", html);
        Assert.Contains($"value=\"{Day(first)}\"", html);
        Assert.Contains("Nom de l'événement", html);
    }

    [Fact]
    public async Task The_proposals_tick_as_many_nearest_free_units_as_asked_and_offer_a_few_more()
    {
        var first = site.Week();
        var client = await site.As(Grane);

        using var response = await PostAsync(client, "Propose", Event(first, first.AddDays(1), ("tables-bancs", 3), ("barnum", 1)), []);
        var html = await response.TextAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tables = await UnitsOfAsync("tables-bancs");
        var barnums = await UnitsOfAsync("barnum");
        var ticked = Ticked(html);
        Assert.Equal(3, ticked.Count(tables.Contains));
        Assert.Equal(1, ticked.Count(barnums.Contains));
        Assert.Equal(6, Offered(html).Count(tables.Contains)); // three asked, three more to choose from
        Assert.DoesNotContain(await Make.UnitIdAsync(site.Database, "26144-BN-01"), Offered(html)); // Grane's own barnum
        Assert.Contains("Tables et bancs : 3 demandés", html);
    }

    [Fact]
    public async Task One_confirmation_makes_every_loan_each_decided_by_its_owner_and_the_event_shows_how_they_stand()
    {
        var first = site.Week();
        var client = await site.As(Grane);
        var fields = Event(first, first.AddDays(1), ("barnum", 1), ("tables-bancs", 3), ("barrieres", 1), ("sonorisation", 1));
        using var proposals = await PostAsync(client, "Propose", fields, []);
        var chosen = Ticked(await proposals.TextAsync());
        Assert.Equal(6, chosen.Count);

        using var recap = await PostAsync(client, "Recap", fields, chosen);
        var recapText = await recap.TextAsync();
        using var confirmed = await PostAsync(client, "Confirm", fields, chosen);

        Assert.Equal(HttpStatusCode.OK, recap.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var eventId = int.Parse(confirmed.Headers.Location!.OriginalString["/prets/evenements/".Length..], CultureInfo.InvariantCulture);
        await using var db = site.Database.CreateDb();
        var request = await db.EventRequests.Include(e => e.Loans).ThenInclude(l => l.Unit).ThenInclude(u => u.Category).SingleAsync(e => e.Id == eventId);
        Assert.Equal(chosen.Order(), request.Loans.Select(l => l.UnitId).Order());
        Assert.All(request.Loans, l => Assert.Equal((first, first.AddDays(1), "Fête du 14 juillet"), (l.FirstDay, l.LastDay, l.Purpose)));
        Assert.All(request.Loans, l => Assert.Equal(request.BorrowerCommuneId, l.BorrowerCommuneId));
        // Tables and barriers are lent without a decision; the barnum and the sound system wait for their owners.
        Assert.All(request.Loans, l => Assert.Equal(l.Unit.AutoApprove ? LoanStatus.Approved : LoanStatus.Requested, l.Status));
        Assert.Equal(4, request.Loans.Count(l => l.Status == LoanStatus.Approved));
        Assert.Equal(await Make.CommuneIdAsync(site.Database, "26144"), request.BorrowerCommuneId);
        Assert.Equal(6, await db.Notices.CountAsync(n => request.Loans.Select(l => (int?)l.Id).Contains(n.LoanId)));

        // The recap's totals are what the loans cost.
        var total = request.Loans.Sum(l => l.EstimatedCost).ToString("C", CultureInfo.GetCultureInfo("fr-FR")).Replace('\u00a0', ' ').Replace('\u202f', ' ');
        Assert.Equal(total, Total().Match(recapText).Groups[1].Value);
        Assert.Contains("6 prêts (4 approuvés automatiquement, 2 en attente de décision)", recapText);

        using var page = await client.GetAsync($"/prets/evenements/{eventId}");
        Assert.Contains("Fête du 14 juillet à Grane : 6 prêts, 4 approuvés, 2 en attente", await page.TextAsync());
        using var loans = await client.GetAsync("/prets");
        Assert.Contains("Fête du 14 juillet à Grane : 6 prêts, 4 approuvés, 2 en attente", await loans.TextAsync());
    }

    [Fact]
    public async Task Two_confirmations_racing_for_one_unit_leave_one_event_whole_and_write_nothing_for_the_other()
    {
        var first = site.Week();
        var grane = await site.As(Grane);
        var mirmande = await site.As("mairie-26185");
        var barnum = await Make.UnitIdAsync(site.Database, "CCVD-BN-01");
        var tables = await Make.UnitIdAsync(site.Database, "26208-TB-01");
        var barriers = await Make.UnitIdAsync(site.Database, "26166-BP-01");
        var fields = Event(first, first, ("barnum", 1), ("tables-bancs", 1), ("barrieres", 1));

        var answers = await Task.WhenAll(
            PostAsync(grane, "Confirm", fields, [barnum, tables]),
            PostAsync(mirmande, "Confirm", fields, [barnum, barriers]));

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var loser = answers.Single(a => a.StatusCode == HttpStatusCode.Conflict);
        Assert.Contains("choisissez de nouveau", await loser.TextAsync());
        await using var db = site.Database.CreateDb();
        Assert.Equal(1, await db.EventRequests.CountAsync(e => e.FirstDay == first));
        var loans = await db.Loans.Where(l => l.FirstDay == first && (l.UnitId == barnum || l.UnitId == tables || l.UnitId == barriers)).ToListAsync();
        Assert.Equal(2, loans.Count);
        Assert.Single(loans.Select(l => l.BorrowerCommuneId).Distinct());
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task A_unit_taken_after_the_recap_is_refused_in_french_and_nothing_is_written()
    {
        var first = site.Week();
        var client = await site.As(Grane);
        var barnum = await Make.UnitIdAsync(site.Database, "CCVD-BN-01");
        var tables = await Make.UnitIdAsync(site.Database, "26208-TB-01");
        await Make.LoanAsync(site.Database, "CCVD-BN-01", "26185", first, first);

        using var confirmed = await PostAsync(client, "Confirm", Event(first, first, ("barnum", 1), ("tables-bancs", 1)), [barnum, tables]);

        Assert.Equal(HttpStatusCode.Conflict, confirmed.StatusCode);
        Assert.Contains("n'est plus libre sur ces dates", await confirmed.TextAsync());
        await using var db = site.Database.CreateDb();
        Assert.False(await db.Loans.AnyAsync(l => l.UnitId == tables && l.FirstDay == first));
        Assert.False(await db.EventRequests.AnyAsync(e => e.FirstDay == first));
    }

    [Theory]
    [InlineData("", "1", "Donnez un nom à l'événement")]
    [InlineData("Fête", "0", "de 1 à 20")]
    [InlineData("Fête", "21", "de 1 à 20")]
    public async Task A_bad_event_is_refused_in_french_and_writes_nothing(string name, string quantity, string message)
    {
        var first = site.Week();
        var client = await site.As(Grane);
        var fields = Event(first, first, ("barnum", 1));
        fields["Form.Nom"] = name;
        fields["Form.Lignes[0].Quantite"] = quantity;

        using var response = await PostAsync(client, "Confirm", fields, [await Make.UnitIdAsync(site.Database, "CCVD-BN-01")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.TextAsync());
        await using var db = site.Database.CreateDb();
        Assert.False(await db.Loans.AnyAsync(l => l.FirstDay == first));
    }

    [Fact]
    public async Task A_unit_not_of_a_kind_asked_for_is_refused()
    {
        var first = site.Week();
        var client = await site.As(Grane);

        using var response = await PostAsync(client, "Recap", Event(first, first, ("barnum", 1)), [await Make.UnitIdAsync(site.Database, "CCVD-MP-01")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Ce choix ne correspond pas au matériel proposé", await response.TextAsync());
    }

    // Who may ask for an event, and who sees one.
    [Theory]
    [InlineData(Grane, HttpStatusCode.OK)]
    [InlineData("staff", HttpStatusCode.Forbidden)]
    [InlineData("technicien", HttpStatusCode.Forbidden)]
    [InlineData("admin", HttpStatusCode.Forbidden)]
    public async Task Only_a_communes_agent_asks_for_an_event(string user, HttpStatusCode expected)
    {
        var client = await site.As(user);

        using var response = await client.GetAsync(Page);

        AssertAnswer(expected, response);
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        using var client = site.App.Client();

        using var response = await client.GetAsync(Page);
        using var details = await client.GetAsync("/prets/evenements/1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/connexion?ReturnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, details.StatusCode);
    }

    [Theory]
    [InlineData(Grane, HttpStatusCode.OK)]
    [InlineData("mairie-26185", HttpStatusCode.NotFound)]
    [InlineData("staff", HttpStatusCode.OK)]
    [InlineData("technicien", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    public async Task An_event_is_seen_by_its_commune_and_the_communitys_people(string user, HttpStatusCode expected)
    {
        var first = site.Week();
        var grane = await site.As(Grane);
        using var confirmed = await PostAsync(grane, "Confirm", Event(first, first, ("tables-bancs", 1)), [await Make.UnitIdAsync(site.Database, "26208-TB-01")]);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);

        var client = await site.As(user);
        using var response = await client.GetAsync(confirmed.Headers.Location);

        AssertAnswer(expected, response);
    }

    private async Task<HashSet<int>> UnitsOfAsync(string category)
    {
        await using var db = site.Database.CreateDb();
        return [.. await db.EquipmentUnits.Where(u => u.Category.Code == category).Select(u => u.Id).ToListAsync()];
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("<strong class=\"total\">([^<]+)</strong>")]
    private static partial Regex Total();

    [GeneratedRegex("<input type=\"checkbox\" name=\"Choix\" value=\"(\\d+)\"( checked=\"checked\")?")]
    private static partial Regex CheckBox();

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
