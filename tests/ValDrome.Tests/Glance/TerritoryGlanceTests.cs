using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ValDrome.Domain.Glance;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Services;
using ValDrome.Domain.Statements;
using ValDrome.Jobs;
using ValDrome.Tests.Services;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Glance;

/// <summary>
/// A small territory of its own: Allex's mini-pelle at Grane from 30 November to 2 December 2026
/// (returned), the community's barnum at Grane on 10–11 December (returned), Allex's tables at
/// Saou on 14–15 December (approved), a cancelled loan that counts for nothing; Grane's IT
/// assistance on 2 December (9 h – 10 h booked, 9 h – 11 h 15 confirmed) and its secretary on the
/// morning of 3 December (no time recorded), and a request of Eurre no agent was assigned to.
/// December's statements are built; November's are not. The assumption is set by the test:
/// two round trips per loan, a detour factor of 1.25, 200 g of CO₂ per km, Valence and Crest.
/// </summary>
public sealed class GlanceSite : IAsyncLifetime
{
    public static readonly Dictionary<string, string> Settings = new()
    {
        ["ValDrome:Glance:HireCompanies:0:Name"] = "Valence",
        ["ValDrome:Glance:HireCompanies:0:Longitude"] = "4.8920",
        ["ValDrome:Glance:HireCompanies:0:Latitude"] = "44.9333",
        ["ValDrome:Glance:HireCompanies:1:Name"] = "Crest",
        ["ValDrome:Glance:HireCompanies:1:Longitude"] = "5.0226",
        ["ValDrome:Glance:HireCompanies:1:Latitude"] = "44.7283",
        ["ValDrome:Glance:RoundTripsPerLoan"] = "2",
        ["ValDrome:Glance:DetourFactor"] = "1.25",
        ["ValDrome:Glance:GramsCo2PerKm"] = "200",
    };

    private TestDatabase? _database;
    private ValDromeApp? _app;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    public ValDromeApp App => _app ?? throw new InvalidOperationException("Not initialised.");

    public Loan MiniPelle { get; private set; } = null!;

    public Loan Barnum { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateSeededAsync("glance");
        _app = new ValDromeApp(_database, Settings);
        MiniPelle = await Make.LoanAsync(Database, "26006-MP-01", "26144", new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 2), LoanStatus.Returned);
        Barnum = await Make.LoanAsync(Database, "CCVD-BN-01", "26144", new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 11), LoanStatus.Returned);
        await Make.LoanAsync(Database, "26006-TB-01", "26336", new DateOnly(2026, 12, 14), new DateOnly(2026, 12, 15), LoanStatus.Approved);
        await Make.LoanAsync(Database, "26165-TP-01", "26144", new DateOnly(2026, 12, 20), new DateOnly(2026, 12, 21), LoanStatus.Cancelled);

        await using (var db = Database.CreateDb())
        {
            var it = await ServicesMake.RequestAsync(db, "26144", ServiceKind.ItAssistance, new ServiceSlot(new DateOnly(2026, 12, 2), new TimeOnly(9, 0), new TimeOnly(10, 0)));
            it.AssignTo(await ServicesMake.AgentAsync(db, "Thomas Petit"), ServicesMake.Staff, ValDromeApp.DefaultNow);
            var secretary = await ServicesMake.RequestAsync(db, "26144", ServiceKind.Secretary, ServicesMake.Morning(new DateOnly(2026, 12, 3)));
            secretary.AssignTo(await ServicesMake.AgentAsync(db, "Claire Martin"), ServicesMake.Staff, ValDromeApp.DefaultNow);
            await ServicesMake.RequestAsync(db, "26125", ServiceKind.Secretary, ServicesMake.Morning(new DateOnly(2026, 12, 4)));
            Assert.Equal(ServiceSaveOutcome.Saved, await ServiceStore.TrySaveAsync(db));
            var booking = await db.AgentBookings.SingleAsync(b => b.RequestId == it.Id);
            var entry = new TimeEntry(booking, new TimeOnly(9, 0), new TimeOnly(11, 15), "Imprimante", 0, ServicesMake.Staff, ValDromeApp.DefaultNow);
            entry.Confirm(Make.AgentOf(booking.CommuneId!.Value), ValDromeApp.DefaultNow);
            db.TimeEntries.Add(entry);
            await db.SaveChangesAsync();
        }

        App.SetToday(new DateOnly(2027, 1, 2));
        Assert.True(await App.RunJobAsync<BuildMonthlyStatements, bool>(j => j.RunForAsync(new DateOnly(2026, 12, 1), CancellationToken.None)));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary>The territory at a glance (issue 13, ADR 26): its aggregates, its page, its OGC collection, who reads them.</summary>
public sealed partial class TerritoryGlanceTests(GlanceSite site) : IClassFixture<GlanceSite>
{
    private static readonly DateOnly December = new(2026, 12, 1);
    private static readonly DateOnly November = new(2026, 11, 1);

    /// <summary>The page's cells, in order, and the collection's properties they show.</summary>
    private static readonly string[] Columns =
        ["jours_empruntes", "jours_pretes", "heures_services", "montant_materiel", "montant_services", "montant_recu", "km_evites", "co2_evite_kg"];

    private GlanceOptions Options => site.App.Services.GetRequiredService<IOptions<GlanceOptions>>().Value;

    private async Task<Dictionary<string, CommuneMonth>> MonthAsync(DateOnly month)
    {
        await using var db = site.Database.CreateDb();
        return (await TerritoryGlance.MonthAsync(db, Options, month)).ToDictionary(r => r.Insee);
    }

    /// <summary>What the assumption gives for one loan, with the distances asked of PostGIS here, apart from the query under test.</summary>
    private async Task<double> KmSavedAsync(Loan loan)
    {
        var hire = await site.Database.ScalarAsync<double>(
            "SELECT least(ST_Distance(reference_point, ST_SetSRID(ST_MakePoint(4.8920, 44.9333), 4326)::geography), "
            + $"ST_Distance(reference_point, ST_SetSRID(ST_MakePoint(5.0226, 44.7283), 4326)::geography)) FROM communes WHERE id = {loan.BorrowerCommuneId}");
        return 2 * 2 * 1.25 * (hire - loan.DistanceMetres) / 1000;
    }

    [Fact]
    public async Task Days_borrowed_and_lent_fall_in_the_months_they_cover_and_only_agreed_loans_count()
    {
        var december = await MonthAsync(December);
        var november = await MonthAsync(November);

        Assert.Equal(36, december.Count);
        Assert.Equal(36, november.Count);
        // Grane: 1–2 December of the mini-pelle, 10–11 of the barnum; the cancelled loan of the 20th counts for nothing.
        Assert.Equal(4, december["26144"].DaysBorrowed);
        Assert.Equal(1, december["26144"].LoansBorrowed);
        Assert.Equal(1, november["26144"].DaysBorrowed);
        Assert.Equal(1, november["26144"].LoansBorrowed);
        // Allex lent its mini-pelle (2 days in December, 1 in November) and its tables to Saou (2 days, approved).
        Assert.Equal(4, december["26006"].DaysLent);
        Assert.Equal(1, november["26006"].DaysLent);
        Assert.Equal(2, december["26336"].DaysBorrowed);
        // The community's barnum is lent by no commune; Mirmande's tractopelle was cancelled.
        Assert.Equal(0, december["26165"].DaysLent);
        Assert.Equal(6, december.Values.Sum(r => r.DaysBorrowed));
        Assert.Equal(4, december.Values.Sum(r => r.DaysLent));
    }

    [Fact]
    public async Task Service_hours_are_the_time_confirmed_else_the_slot_booked_and_only_for_assigned_slots()
    {
        var december = await MonthAsync(December);

        // 9 h – 11 h 15 confirmed (not the hour booked), and the morning of the secretary (8 h – 12 h).
        Assert.Equal(6.25m, december["26144"].ServiceHours);
        // Eurre's request has no agent yet: nobody came.
        Assert.Equal(0m, december["26125"].ServiceHours);
    }

    [Fact]
    public async Task Kilometres_and_co2_saved_follow_the_configured_assumption_in_the_month_the_loan_begins()
    {
        var december = await MonthAsync(December);
        var november = await MonthAsync(November);
        var barnum = await KmSavedAsync(site.Barnum);
        var miniPelle = await KmSavedAsync(site.MiniPelle);

        Assert.True(barnum > 1, $"the test needs a loan that saves kilometres ({barnum} km)");
        Assert.Equal(barnum, (double)december["26144"].KmSaved, 0.051);
        Assert.Equal(barnum * 200 / 1000, (double)december["26144"].Co2KgSaved, 0.051);
        Assert.Equal(miniPelle, (double)november["26144"].KmSaved, 0.051);
        // The lender saves nothing: the kilometres are the borrower's.
        Assert.Equal(0m, december["26006"].KmSaved);
        Assert.Equal("Crest", december["26144"].NearestHire);
    }

    [Fact]
    public async Task Amounts_are_those_of_the_month_statement_and_empty_until_it_is_built()
    {
        var december = await MonthAsync(December);
        var november = await MonthAsync(November);
        await using var db = site.Database.CreateDb();
        var lines = await db.Statements.Where(s => s.Month == December && s.CommuneId != null)
            .SelectMany(s => s.Lines.Select(l => new { s.CommuneId, l.Kind, l.Amount })).ToListAsync();
        var grane = await Make.CommuneIdAsync(site.Database, "26144");
        var allex = await Make.CommuneIdAsync(site.Database, "26006");

        Assert.Equal(-lines.Where(l => l.CommuneId == grane && l.Kind == StatementLineKind.Borrowed).Sum(l => l.Amount), december["26144"].EquipmentPaid);
        Assert.True(december["26144"].EquipmentPaid > 0);
        // 2 h 15 of IT assistance at 38 € (over the two-hour minimum) and a half-day of the secretary at 95 €.
        Assert.Equal(2.25m * 38 + 95, december["26144"].ServicesPaid);
        Assert.Equal(lines.Where(l => l.CommuneId == allex && l.Kind == StatementLineKind.Lent).Sum(l => l.Amount), december["26006"].Received);
        Assert.True(december["26006"].Received > 0);
        Assert.Equal(0m, december["26336"].EquipmentPaid); // Saou's tables are not back: billed at their return
        Assert.Null(november["26144"].EquipmentPaid);
        Assert.Null(november["26144"].Balance);
    }

    [Fact]
    public async Task The_page_and_the_ogc_collection_show_the_same_numbers_for_every_commune()
    {
        using var page = await site.App.Client().GetAsync("/territoire?mois=2026-12");
        var html = await page.Content.ReadAsStringAsync();
        using var items = await site.App.Client().GetAsync("/ogc/collections/territoire/items?mois=2026-12&limit=100");
        var features = JsonDocument.Parse(await items.Content.ReadAsStringAsync()).RootElement.GetProperty("features").EnumerateArray()
            .ToDictionary(f => f.GetProperty("properties").GetProperty("insee").GetString()!, f => f.GetProperty("properties").Clone());

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, items.StatusCode);
        Assert.Equal(36, features.Count);
        var rows = Row().Matches(html).ToDictionary(m => m.Groups[1].Value, m => Cell().Matches(m.Groups[2].Value).Select(c => c.Groups[1].Value).ToList());
        Assert.Equal(["26006", "26144", "26336"], rows.Keys.Order());
        foreach (var (insee, properties) in features)
        {
            for (var i = 0; i < Columns.Length; i++)
            {
                var published = properties.GetProperty(Columns[i]);
                decimal? ogc = published.ValueKind == JsonValueKind.Null ? null : published.GetDecimal();
                if (rows.TryGetValue(insee, out var cells))
                {
                    Assert.True(ogc == (cells[i].Length == 0 ? null : decimal.Parse(cells[i], CultureInfo.InvariantCulture)), $"{insee} {Columns[i]}: page {cells[i]}, OGC {ogc}");
                }
                else if (Columns[i] is not ("montant_materiel" or "montant_services" or "montant_recu"))
                {
                    // A commune the page leaves out of its table did nothing that month.
                    Assert.True(ogc == 0, $"{insee} {Columns[i]} is {ogc} but the page leaves it out");
                }
            }
        }

        // The page's totals are the sums of the collection's rows.
        Assert.Contains($"data-total=\"jours_empruntes\">{features.Values.Sum(p => p.GetProperty("jours_empruntes").GetInt32())} ", html, StringComparison.Ordinal);
        Assert.Equal("2026-12", features["26144"].GetProperty("mois").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("mairie-26144")]
    [InlineData("mairie-26165")]
    [InlineData("staff")]
    [InlineData("technicien")]
    [InlineData("admin")]
    public async Task Everyone_reads_the_page_and_the_collection_signed_in_or_not(string? userName)
    {
        var client = userName is null ? site.App.Client() : await site.App.SignedInAsync(userName);

        using var page = await client.GetAsync("/territoire?mois=2026-12");
        using var items = await client.GetAsync("/ogc/collections/territoire/items?mois=2026-12&insee=26144");
        var text = await page.TextAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Le territoire en un coup d'œil", text, StringComparison.Ordinal);
        Assert.Contains("Grane", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, items.StatusCode);
        Assert.Equal("*", items.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(1, JsonDocument.Parse(await items.Content.ReadAsStringAsync()).RootElement.GetProperty("numberMatched").GetInt32());
        // Totals per commune and month only: no loan, unit, person or purpose.
        Assert.DoesNotContain("Essai", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Claire Martin", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Mini-pelle", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9999-12", "hors de la période gérée")]
    [InlineData("2000-01", "hors de la période gérée")]
    [InlineData("2031-01", "hors de la période gérée")]
    [InlineData("2026-13", "n'est pas un mois valable")]
    [InlineData("décembre", "n'est pas un mois valable")]
    [InlineData("2026-12-01", "n'est pas un mois valable")]
    public async Task A_month_out_of_range_or_malformed_is_a_french_400(string month, string reason)
    {
        using var response = await site.App.Client().GetAsync($"/territoire?mois={Uri.EscapeDataString(month)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_month_without_activity_shows_zeros_and_the_boundaries_alone()
    {
        using var response = await site.App.Client().GetAsync("/territoire?mois=2026-06");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Aucun prêt, aucun service et aucun décompte ce mois-ci.", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("data-items-url=\"/carte/communes.geojson\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_month_the_page_shows_the_latest_month_begun_with_activity()
    {
        var text = await (await site.App.Client().GetAsync("/territoire")).TextAsync();

        Assert.Contains("<h2>Décembre 2026</h2>", text, StringComparison.Ordinal);
        Assert.Contains("Valence et Crest", text, StringComparison.Ordinal);
        Assert.Contains("200 g de CO₂e par kilomètre", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_out_of_range_stop_the_site_at_start()
    {
        await using var app = new ValDromeApp(site.Database, new Dictionary<string, string> { ["ValDrome:Glance:DetourFactor"] = "0.5" });

        var failure = Assert.ThrowsAny<Exception>(() => app.Client());

        Assert.Contains("ValDrome:Glance", failure.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex("<tr data-insee=\"(\\d{5})\">(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("data-value=\"([^\"]*)\"")]
    private static partial Regex Cell();
}
