using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Loans;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Loans;

public sealed class FeedAndCalendarTests(MarketSite site) : IClassFixture<MarketSite>
{
    private async Task<string> TokenOfAsync(string insee)
    {
        await using var db = site.Database.CreateDb();
        return await db.Communes.Where(c => c.Insee == insee).Select(c => c.CalendarToken).SingleAsync();
    }

    [Fact]
    public async Task The_commune_feed_is_icalendar_with_all_day_events()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26006-MP-01", "26144", first, first.AddDays(2), LoanStatus.Approved);
        var token = await TokenOfAsync("26144");

        using var response = await site.App.Client().GetAsync($"/prets/calendrier/26144.ics?jeton={token}");
        var ics = (await response.Content.ReadAsStringAsync()).Replace("\r\n ", "", StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("BEGIN:VCALENDAR\r\n", ics, StringComparison.Ordinal);
        Assert.Contains("VERSION:2.0\r\n", ics);
        Assert.Contains($"UID:pret-{loan.Id}@valdrome\r\n", ics);
        Assert.Contains($"DTSTART;VALUE=DATE:{first:yyyyMMdd}\r\n", ics);
        Assert.Contains($"DTEND;VALUE=DATE:{first.AddDays(3):yyyyMMdd}\r\n", ics); // the day after the last day
        Assert.Contains("SUMMARY:Emprunt : Mini-pelle Takeuchi TB216 (Allex)\r\n", ics);
        Assert.EndsWith("END:VCALENDAR\r\n", ics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lender_sees_the_loan_in_its_own_feed()
    {
        var first = site.Week();
        await Make.LoanAsync(site.Database, "26006-MP-01", "26144", first, first);

        var ics = await site.App.Client().GetStringAsync($"/prets/calendrier/26006.ics?jeton={await TokenOfAsync("26006")}");

        Assert.Contains("SUMMARY:Prêt : Mini-pelle Takeuchi TB216 à Grane", ics.Replace("\r\n ", "", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("26144", "mauvais-jeton")]
    [InlineData("99999", "x")]
    public async Task A_wrong_token_or_commune_answers_404(string insee, string token)
    {
        using var response = await site.App.Client().GetAsync($"/prets/calendrier/{insee}.ics?jeton={token}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Another_communes_token_does_not_open_a_feed()
    {
        using var response = await site.App.Client().GetAsync($"/prets/calendrier/26144.ics?jeton={await TokenOfAsync("26006")}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_unit_calendar_shows_loan_days_and_transport_margins()
    {
        var first = new DateOnly(2027, 3, 10);
        await Make.LoanAsync(site.Database, "CCVD-TP-01", "26144", first, first.AddDays(1), LoanStatus.Approved);
        var unitId = await Make.UnitIdAsync(site.Database, "CCVD-TP-01");

        var anonymous = await (await site.App.Client().GetAsync($"/materiel/{unitId}/disponibilites?mois=2027-03")).TextAsync();
        var borrower = await (await (await site.As("mairie-26144")).GetAsync($"/materiel/{unitId}/disponibilites?mois=2027-03")).TextAsync();

        Assert.Contains("<td class=\"day day-margin\" data-date=\"2027-03-09\">", anonymous);
        Assert.Contains("<td class=\"day day-booked\" data-date=\"2027-03-10\">", anonymous);
        Assert.Contains("<td class=\"day day-booked\" data-date=\"2027-03-11\">", anonymous);
        Assert.Contains("<td class=\"day day-margin\" data-date=\"2027-03-12\">", anonymous);
        Assert.Contains("<td class=\"day day-free\" data-date=\"2027-03-13\">", anonymous);
        Assert.Contains("<span>Réservé</span>", anonymous);
        Assert.DoesNotContain("Grane", anonymous);
        Assert.Contains(">Grane</a>", borrower);
    }

    [Fact]
    public async Task A_malformed_month_answers_400_in_french()
    {
        var unitId = await Make.UnitIdAsync(site.Database, "CCVD-TP-01");

        using var response = await site.App.Client().GetAsync($"/materiel/{unitId}/disponibilites?mois=mars");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("« mars » n'est pas un mois valable", await response.TextAsync());
    }
}
