using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Loans;
using ValDrome.Tests.Spatial;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Loans;

public sealed partial class RequestTests(MarketSite site) : IClassFixture<MarketSite>
{
    private const string Grane = "mairie-26144";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string ProposalsUrl(string category, DateOnly first, DateOnly last) =>
        $"/prets/demander?categorie={category}&du={Day(first)}&au={Day(last)}&usage=Essai";

    private async Task<HttpResponseMessage> RequestAsync(string user, int unitId, DateOnly first, DateOnly last, string purpose = "Fête du village", string category = "mini-pelle")
    {
        var client = await site.As(user);
        return await client.SubmitAsync(ProposalsUrl(category, first, last), new()
        {
            ["UnitId"] = unitId.ToString(CultureInfo.InvariantCulture),
            ["du"] = Day(first),
            ["au"] = Day(last),
            ["usage"] = purpose,
        }, "/prets/demander");
    }

    private async Task<int> LoansOfUnitAsync(int unitId)
    {
        await using var db = site.Database.CreateDb();
        return await db.Loans.CountAsync(l => l.UnitId == unitId);
    }

    [Fact]
    public async Task Proposals_for_Grane_come_nearest_first_with_geodesic_distances()
    {
        var first = site.Week();
        var client = await site.As(Grane);

        using var response = await client.GetAsync(ProposalsUrl("mini-pelle", first, first.AddDays(2)));
        var html = await response.TextAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = ProposalRow().Matches(html).Select(m => (Id: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            Km: double.Parse(m.Groups[2].Value, FrenchCulture.Instance))).ToList();
        Assert.Equal(4, rows.Count);

        await using var db = site.Database.CreateDb();
        var grane = await db.Communes.Where(c => c.Insee == "26144").Select(c => c.ReferencePoint).SingleAsync();
        var homes = await db.EquipmentUnits.Where(u => u.Category.Code == "mini-pelle").ToDictionaryAsync(u => u.Id, u => u.HomeLocation);
        var independent = rows.Select(r => Vincenty.DistanceMetres(grane.X, grane.Y, homes[r.Id].X, homes[r.Id].Y) / 1000).ToList();
        Assert.Equal(independent.Order().ToList(), independent);
        Assert.All(rows.Zip(independent), p => Assert.Equal(p.Second, p.First.Km, 0.051));
        Assert.Equal(await Make.UnitIdAsync(site.Database, "26006-MP-01"), rows[0].Id); // Allex is the nearest
    }

    [Fact]
    public async Task A_request_books_the_unit_and_writes_its_first_audit_line()
    {
        var first = site.Week();
        var unitId = await Make.UnitIdAsync(site.Database, "26006-MP-01");

        using var response = await RequestAsync(Grane, unitId, first, first.AddDays(2));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var loanId = int.Parse(response.Headers.Location!.OriginalString["/prets/".Length..], CultureInfo.InvariantCulture);
        await using var db = site.Database.CreateDb();
        var loan = await db.Loans.Include(l => l.Booking).Include(l => l.Events).SingleAsync(l => l.Id == loanId);
        Assert.Equal(LoanStatus.Requested, loan.Status);
        Assert.Equal((first, first.AddDays(2)), (loan.FirstDay, loan.LastDay));
        Assert.True(loan.Booking.IsActive);
        Assert.Equal(first.AddDays(-1), loan.Booking.Period.LowerBound); // mini-pelles keep a day for transport
        Assert.Equal(first.AddDays(4), loan.Booking.Period.UpperBound);
        var requested = Assert.Single(loan.Events);
        Assert.Equal((null, LoanStatus.Requested), (requested.From, requested.To));
        // 3 days × 110 € + 2 × distance × 0.65 €/km.
        Assert.Equal(330m + Math.Round(loan.TransportKm * 0.65m, 2, MidpointRounding.AwayFromZero), loan.EstimatedCost);
        Assert.InRange(loan.TransportKm, 10m, 12m);
    }

    [Fact]
    public async Task The_owner_and_the_borrower_get_a_mail_in_french()
    {
        var first = site.Week();
        await site.App.SendNoticesAsync();
        var before = site.App.Mails().Count;

        using var response = await RequestAsync(Grane, await Make.UnitIdAsync(site.Database, "26006-MP-01"), first, first);
        await site.App.SendNoticesAsync();

        var mail = Assert.Single(site.App.Mails().Skip(before));
        Assert.Equal(["mairie-26144@valdrome.test", "mairie-26006@valdrome.test"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.StartsWith("Demande de prêt : Mini-pelle Takeuchi TB216 du ", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("La commune de Grane demande à emprunter « Mini-pelle Takeuchi TB216 »", mail.TextBody);
        Assert.Contains("/prets/", mail.TextBody);
    }

    [Fact]
    public async Task A_unit_marked_approved_automatically_is_approved_at_once()
    {
        var first = site.Week();
        var unitId = await Make.UnitIdAsync(site.Database, "26165-BP-01"); // barriers

        using var response = await RequestAsync(Grane, unitId, first, first.AddDays(1), category: "barrieres");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = site.Database.CreateDb();
        var loan = await db.Loans.Include(l => l.Events).SingleAsync(l => l.UnitId == unitId && l.FirstDay == first);
        Assert.Equal(LoanStatus.Approved, loan.Status);
        Assert.Equal([LoanStatus.Requested, LoanStatus.Approved], loan.Events.OrderBy(e => e.Id).Select(e => e.To));
        Assert.Equal("ValDrome", loan.Events.OrderBy(e => e.Id).Last().ActorName);
    }

    [Fact]
    public async Task Request_is_refused_when_the_unit_is_booked_on_one_of_the_days()
    {
        var first = site.Week();
        await Make.LoanAsync(site.Database, "26006-MP-01", "26185", first, first.AddDays(2));
        var unitId = await Make.UnitIdAsync(site.Database, "26006-MP-01");

        using var response = await RequestAsync(Grane, unitId, first.AddDays(2), first.AddDays(3));
        var html = await response.TextAsync();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Ce matériel vient d'être réservé sur ces dates par une autre demande.", html);
        Assert.DoesNotContain($"data-unit-id=\"{unitId}\"", html);
        Assert.Equal(3, ProposalRow().Count(html)); // the alternatives, nearest first
        await using var db = site.Database.CreateDb();
        Assert.False(await db.Loans.AnyAsync(l => l.UnitId == unitId && l.BorrowerCommune.Insee == "26144" && l.FirstDay == first.AddDays(2)));
    }

    [Fact]
    public async Task Transport_margins_keep_a_day_free_between_two_mini_pelle_loans()
    {
        var first = site.Week();
        await Make.LoanAsync(site.Database, "CCVD-MP-02", "26185", first, first.AddDays(1));
        var unitId = await Make.UnitIdAsync(site.Database, "CCVD-MP-02");

        // Booked days are first−1 … first+2; a new loan needs its own day before: first+4 is the earliest.
        using var tooSoon = await RequestAsync(Grane, unitId, first.AddDays(3), first.AddDays(3));
        using var inTime = await RequestAsync(Grane, unitId, first.AddDays(4), first.AddDays(4));

        Assert.Equal(HttpStatusCode.Conflict, tooSoon.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, inTime.StatusCode);
    }

    [Fact]
    public async Task A_refused_request_frees_its_days()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26006-MP-01", "26185", first, first);
        var owner = await site.As("mairie-26006");
        using var refused = await owner.SubmitAsync($"/prets/{loan.Id}", new() { ["Reason"] = "En réparation" }, $"/prets/{loan.Id}?handler=Refuse");

        using var again = await RequestAsync(Grane, loan.UnitId, first, first);

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
    }

    public static TheoryData<string, int, int, string, string> BadRequests => new()
    {
        // name, first offset, last offset, purpose, expected message
        { "end before start", 3, 1, "Fête", "Le dernier jour doit être le même que le premier ou après lui." },
        { "too long", 0, 10, "Chantier", "Un prêt de mini-pelle dure au plus 10 jours ; vous en demandez 11." },
        { "no purpose", 0, 1, " ", "Indiquez l'usage prévu" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_get_a_french_message_and_write_nothing(string name, int firstOffset, int lastOffset, string purpose, string message)
    {
        var first = site.Week();
        var unitId = await Make.UnitIdAsync(site.Database, "CCVD-MP-01");
        var loansBefore = await LoansOfUnitAsync(unitId);

        using var response = await RequestAsync(Grane, unitId, first.AddDays(firstOffset), first.AddDays(lastOffset), purpose);

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, name);
        Assert.Contains(message, await response.TextAsync());
        Assert.Equal(loansBefore, await LoansOfUnitAsync(unitId));
    }

    [Fact]
    public async Task A_day_in_the_past_is_refused()
    {
        var unitId = await Make.UnitIdAsync(site.Database, "CCVD-MP-01");
        var yesterday = site.App.Today.AddDays(-1);

        using var response = await RequestAsync(Grane, unitId, yesterday, yesterday.AddDays(1));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Le premier jour (30/11/2026) est déjà passé.", await response.TextAsync());
    }

    [Fact]
    public async Task A_commune_cannot_borrow_its_own_unit()
    {
        var first = site.Week();
        var unitId = await Make.UnitIdAsync(site.Database, "26144-BR-01"); // Grane's wood chipper

        using var response = await RequestAsync(Grane, unitId, first, first, category: "broyeur");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Ce matériel appartient déjà à votre commune", await response.TextAsync());
        Assert.Equal(0, await LoansOfUnitAsync(unitId));
    }

    [Fact]
    public async Task Its_own_units_are_never_proposed_to_a_commune()
    {
        var first = site.Week();
        var client = await site.As(Grane);

        using var response = await client.GetAsync(ProposalsUrl("broyeur", first, first));

        var html = await response.TextAsync();
        Assert.DoesNotContain($"data-unit-id=\"{await Make.UnitIdAsync(site.Database, "26144-BR-01")}\"", html);
        Assert.Equal(2, ProposalRow().Count(html)); // the community's and Gigors-et-Lozeron's
    }

    [Theory]
    [InlineData("/prets/demander?categorie=fusee&du=2027-06-01&au=2027-06-02", "La catégorie « fusee » n'existe pas")]
    [InlineData("/prets/demander?categorie=barnum&du=demain&au=2027-06-02", "La valeur « demain » n'est pas valable pour « premier jour ».")]
    [InlineData("/prets/demander?materiel=999999&du=2027-06-01&au=2027-06-02", "Ce matériel n'existe pas.")]
    public async Task Unknown_categories_units_and_bad_dates_answer_400_in_french(string url, string message)
    {
        var client = await site.As(Grane);

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.TextAsync());
    }

    [Fact]
    public async Task A_tampered_unit_id_is_refused()
    {
        var first = site.Week();

        using var response = await RequestAsync(Grane, 987_654, first, first);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Ce matériel n'existe pas.", await response.TextAsync());
    }

    [Fact]
    public async Task Nothing_within_the_radius_says_so()
    {
        var first = site.Week();
        // Every mini-pelle taken on that day.
        foreach (var code in new[] { "CCVD-MP-01", "CCVD-MP-02", "26006-MP-01", "26258-MP-01" })
        {
            await Make.LoanAsync(site.Database, code, "26185", first, first);
        }

        var client = await site.As(Grane);
        using var response = await client.GetAsync(ProposalsUrl("mini-pelle", first, first));

        Assert.Contains("Aucun matériel de cette catégorie n'est disponible à moins de 60 km sur ces dates.", await response.TextAsync());
    }

    [Fact]
    public async Task Only_commune_agents_may_request()
    {
        var staff = await site.As("staff");

        using var response = await staff.GetAsync("/prets/demander");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/acces-refuse", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requesting_needs_to_sign_in_but_the_catalogue_does_not()
    {
        var anonymous = site.App.Client();

        using var request = await anonymous.GetAsync("/prets/demander?categorie=barnum");
        using var catalogue = await anonymous.GetAsync("/materiel");

        Assert.Equal(HttpStatusCode.Redirect, request.StatusCode);
        Assert.StartsWith("http://localhost/connexion", request.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, catalogue.StatusCode);
    }

    [GeneratedRegex("<tr data-unit-id=\"([0-9]+)\">.*?<td class=\"num distance\" data-label=\"Distance\">([0-9 ,]+) km</td>", RegexOptions.Singleline)]
    private static partial Regex ProposalRow();
}
