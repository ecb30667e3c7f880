using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Seed;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Transport;

/// <summary>The technician's day on a phone: the tour after signing in, and each stop's address, phone and way there.</summary>
public sealed class TechnicianDayTests(MarketSite site) : IClassFixture<MarketSite>
{
    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string userName, string? returnUrl = null) =>
        client.SubmitAsync("/connexion", new()
        {
            ["Form.UserName"] = userName,
            ["Form.Password"] = DevelopmentAccounts.Password,
        }, returnUrl is null ? "/connexion" : $"/connexion?ReturnUrl={Uri.EscapeDataString(returnUrl)}");

    [Fact]
    public async Task The_technician_lands_on_the_tour_after_signing_in()
    {
        using var client = site.App.Client();

        using var response = await SignInAsync(client, DevelopmentAccounts.Technician);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/tournees", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_technician_still_goes_where_the_sign_in_was_asked_from_and_an_agent_to_the_loans()
    {
        using var technician = site.App.Client();
        using var agent = site.App.Client();

        using var asked = await SignInAsync(technician, DevelopmentAccounts.Technician, "/maintenance");
        using var loans = await SignInAsync(agent, DevelopmentAccounts.AgentOf("26144"));

        Assert.Equal("/maintenance", asked.Headers.Location?.OriginalString);
        Assert.Equal("/prets", loans.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Each_stop_shows_the_mairie_address_phone_hours_and_links_to_the_navigation_app()
    {
        var first = site.Week();
        await Make.LoanAsync(site.Database, "CCVD-MP-01", "26144", first, first.AddDays(1), LoanStatus.Approved);
        var staff = await site.As(DevelopmentAccounts.Staff);
        using var saved = await staff.SubmitAsync("/communes/26144", new()
        {
            ["Adresse"] = "1 place de la Mairie, 26400 Grane",
            ["Telephone"] = "04 65 71 12 34",
        }, "/communes/26144?handler=Contacts");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        // Delivered on the last working day before the Monday (ADR 18).
        var day = first.AddDays(-1);
        while (!ValDrome.Domain.Calendar.WorkingCalendar.Statutory.IsWorkingDay(day))
        {
            day = day.AddDays(-1);
        }

        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        site.App.SetToday(day);
        var technician = await site.As(DevelopmentAccounts.Technician);
        using var plan = await technician.SubmitAsync($"/tournees?jour={date}", [], $"/tournees?jour={date}&handler=Plan");

        var page = await (await technician.GetAsync($"/tournees?jour={date}")).TextAsync();

        await using var db = site.Database.CreateDb();
        var stop = await db.TourStops.AsNoTracking().SingleAsync(s => s.PlaceKey == "mairie-26144" && db.TourDays.Any(t => t.Id == s.TourDayId && t.Day == day));
        // The road sheet prints the stop's block, address included (only the buttons are « no-print »).
        Assert.Contains("<dd class=\"stop-address\">1 place de la Mairie, 26400 Grane</dd>", page);
        Assert.Contains("href=\"tel:0465711234\"", page);
        Assert.Contains("Horaires", page);
        var lat = stop.Latitude.ToString("0.######", CultureInfo.InvariantCulture);
        var lon = stop.Longitude.ToString("0.######", CultureInfo.InvariantCulture);
        Assert.Contains($"href=\"geo:{lat},{lon}?q={lat},{lon}(Mairie%20de%20Grane)\"", page);
        Assert.Contains($"href=\"https://www.openstreetmap.org/directions?engine=fossgis_osrm_car&route=%3B{lat}%2C{lon}\"", page);
        // The depot's stop gives the depot's address.
        Assert.Contains("96 ronde des Alisiers, 26400 Eurre", page);
    }

    [Fact]
    public async Task A_mairie_phone_that_is_not_a_phone_is_refused_in_French_and_nothing_is_written()
    {
        var staff = await site.As(DevelopmentAccounts.Staff);
        string? before;
        await using (var db = site.Database.CreateDb())
        {
            before = await db.Communes.Where(c => c.Insee == "26098").Select(c => c.MairiePhone).SingleAsync();
        }

        using var refused = await staff.SubmitAsync("/communes/26098", new()
        {
            ["Adresse"] = "Place du village",
            ["Telephone"] = "appelez-moi",
        }, "/communes/26098?handler=Contacts");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Indiquez le téléphone en chiffres", await refused.TextAsync());
        await using var after = site.Database.CreateDb();
        var commune = await after.Communes.Where(c => c.Insee == "26098").Select(c => new { c.MairieAddress, c.MairiePhone }).SingleAsync();
        Assert.Equal(before, commune.MairiePhone);
        Assert.NotEqual("Place du village", commune.MairieAddress);
    }

    [Theory]
    [InlineData("mairie-26098", true)]
    [InlineData("staff", true)]
    [InlineData("admin", true)]
    [InlineData("mairie-26144", false)]
    [InlineData("technicien", false)]
    public async Task The_mairie_contacts_are_changed_by_its_own_agent_and_staff_only(string userName, bool allowed)
    {
        var client = await site.As(userName);

        using var response = await client.SubmitAsync("/communes/26098", new()
        {
            ["Adresse"] = $"Place de la mairie ({userName})",
            ["Telephone"] = "04 65 71 98 00",
        }, "/communes/26098?handler=Contacts");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(allowed ? "/communes/26098" : "/acces-refuse", response.Headers.Location?.PathOnly());
        await using var db = site.Database.CreateDb();
        var address = await db.Communes.Where(c => c.Insee == "26098").Select(c => c.MairieAddress).SingleAsync();
        Assert.Equal(allowed, address == $"Place de la mairie ({userName})");
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_sign_in_before_changing_a_mairie_contacts()
    {
        using var client = site.App.Client();

        // The sign-in page lends its antiforgery token: the commune page shows an anonymous visitor no form.
        using var response = await client.SubmitAsync("/connexion", new()
        {
            ["Adresse"] = "Place anonyme",
            ["Telephone"] = "04 65 71 98 01",
        }, "/communes/26098?handler=Contacts");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/connexion", response.Headers.Location?.PathOnly());
        await using var db = site.Database.CreateDb();
        Assert.NotEqual("Place anonyme", await db.Communes.Where(c => c.Insee == "26098").Select(c => c.MairieAddress).SingleAsync());
    }
}

internal static class RedirectLocations
{
    /// <summary>The path a redirect goes to, whether the site wrote it relative or absolute.</summary>
    public static string PathOnly(this Uri location) =>
        (location.IsAbsoluteUri ? location : new Uri(new Uri("http://localhost/"), location)).AbsolutePath;
}
