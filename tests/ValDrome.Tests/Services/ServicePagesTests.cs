using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValDrome.Domain.Services;
using ValDrome.Jobs.Notices;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Services;

/// <summary>The services' pages over HTTP, on a seeded site (agents and conventions of the demo).</summary>
public sealed class ServicePagesTests(MarketSite site) : IClassFixture<MarketSite>
{
    [Fact]
    public async Task Urgent_replacement_proposes_the_free_secretaries_nearest_first_and_the_choice_is_mailed_to_both_sides()
    {
        var day = site.Week().AddDays(1); // a Tuesday
        var grane = await site.As("mairie-26144");
        var expected = await SecretariesByDistanceAsync("26144");

        using var page = await grane.GetAsync($"/services/remplacement?jour={day:yyyy-MM-dd}&creneau=journee");
        var text = await page.TextAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var shown = expected.Select(name => text.IndexOf(name, StringComparison.Ordinal)).ToList();
        Assert.All(shown, at => Assert.True(at > 0, text));
        Assert.Equal(shown.Order(), shown);

        var chosen = await AgentIdAsync(expected[0]);
        using var booked = await grane.SubmitAsync($"/services/remplacement?jour={day:yyyy-MM-dd}&creneau=journee", new()
        {
            ["jour"] = $"{day:yyyy-MM-dd}",
            ["creneau"] = "journee",
            ["AgentId"] = $"{chosen}",
            ["Contact"] = "M. le maire",
        }, "/services/remplacement");

        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        await using var db = site.Database.CreateDb();
        var request = await db.ServiceRequests.Include(r => r.Slots).SingleAsync(r => r.AgentId == chosen && r.Slots.Any(s => s.Day == day));
        Assert.True(request.IsUrgent);
        Assert.Equal(ServiceRequestStatus.Assigned, request.Status);
        Assert.Equal(2, request.Slots.Count(s => s.AgentId == chosen && s.IsActive));
        var told = await db.ServiceNotices.Where(n => n.RequestId == request.Id).Select(n => n.Kind).ToListAsync();
        Assert.Equal([ServiceNoticeKind.AgentComing, ServiceNoticeKind.AgentBooked], told.Order());

        await site.App.RunJobAsync<SendPendingServiceNotices, int>(j => j.RunAsync(CancellationToken.None));
        var mails = site.App.Mails().Where(m => (m.Subject ?? "").Contains(expected[0], StringComparison.Ordinal) || (m.Subject ?? "").Contains("Grane", StringComparison.Ordinal)).ToList();
        Assert.Contains(mails, m => m.To.ToString().Contains("mairie-26144@valdrome.test", StringComparison.Ordinal));
        var agentMail = await db.ServiceAgents.Where(a => a.Id == chosen).Select(a => a.Email).SingleAsync();
        Assert.Contains(mails, m => m.To.ToString().Contains(agentMail!, StringComparison.Ordinal));

        // Booked: she is no longer proposed for that day.
        using var again = await grane.GetAsync($"/services/remplacement?jour={day:yyyy-MM-dd}&creneau=matin");
        Assert.DoesNotContain(expected[0], await again.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_nearest_free_agents_are_an_index_walk_that_stops_at_the_limit()
    {
        await using var db = site.Database.CreateDb();
        var grane = await Make.CommuneIdAsync(site.Database, "26144");
        await using var connection = new NpgsqlConnection(site.Database.ConnectionString);
        await connection.OpenAsync();
        // The demo has a handful of agents: make the planner choose as it would on a roster of thousands.
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = NearestAgents.CreateCommand(connection, grane, ServiceKind.Secretary,
            ServicesMake.Morning(new DateOnly(2027, 5, 4)), 5, "EXPLAIN ");
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join('\n', plan);
        var limit = plan.FindIndex(l => l.Contains("Limit", StringComparison.Ordinal));
        var walk = plan.FindIndex(l => l.Contains("Index Scan using " + "ix_service_agents_service_home_location_knn", StringComparison.Ordinal));
        Assert.True(limit >= 0 && walk > limit, text);
        Assert.Contains("Order By: (home_location <->", text, StringComparison.Ordinal);
        Assert.DoesNotContain(plan[limit..walk], l => l.Contains("Sort", StringComparison.Ordinal));
        // Each candidate's bookings are probed by an index (the exclusion constraint's or the agent's), never read whole.
        Assert.Matches("(Index (Only )?Scan using|Bitmap Index Scan on) (ex_agent_bookings_no_agent_overlap|ix_agent_bookings_agent_id_day)", text);
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_commune_without_a_convention_is_refused_with_whom_to_contact_and_nothing_is_written()
    {
        var mirmande = await site.As("mairie-26185");
        var day = site.Week().AddDays(1);

        using var refused = await mirmande.SubmitAsync("/services/demandes/nouvelle", Form("secretariat", day, "matin"));
        using var urgent = await mirmande.GetAsync($"/services/remplacement?jour={day:yyyy-MM-dd}");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Mirmande n'a pas de convention pour le service « Secrétariat de mairie itinérant »", await refused.TextAsync(), StringComparison.Ordinal);
        Assert.Contains("contactez le pôle « Services aux communes »", await refused.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, urgent.StatusCode);
        Assert.Contains("contactez le pôle", await urgent.TextAsync(), StringComparison.Ordinal);
        await using var db = site.Database.CreateDb();
        var id = await Make.CommuneIdAsync(site.Database, "26185");
        Assert.False(await db.ServiceRequests.AnyAsync(r => r.CommuneId == id));
    }

    [Fact]
    public async Task Every_week_until_a_day_is_one_request_and_a_second_one_overlapping_writes_nothing_and_names_the_day()
    {
        var livron = await site.As("mairie-26165");
        var first = site.Week().AddDays(1);
        var form = Form("informatique", first, "matin");
        form["Form.Weekly"] = "true";
        form["Form.Until"] = $"{first.AddDays(7 * 11):yyyy-MM-dd}";

        using var made = await livron.SubmitAsync("/services/demandes/nouvelle", form);

        Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);
        var id = int.Parse(made.Headers.Location!.ToString().Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await using var db = site.Database.CreateDb();
        Assert.Equal(12, await db.AgentBookings.CountAsync(b => b.RequestId == id));

        var overlapping = Form("informatique", first.AddDays(7 * 3), "heures");
        overlapping["Form.Start"] = "11:00";
        overlapping["Form.End"] = "12:30";
        using var refused = await livron.SubmitAsync("/services/demandes/nouvelle", overlapping);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains($"le {first.AddDays(7 * 3).ToString("dddd d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"))}",
            await refused.TextAsync(), StringComparison.Ordinal);
        var livronId = await Make.CommuneIdAsync(site.Database, "26165");
        Assert.Equal(1, await db.ServiceRequests.CountAsync(r => r.CommuneId == livronId && r.Service == ServiceKind.ItAssistance));
    }

    [Fact]
    public async Task Staff_assign_an_agent_the_commune_sees_who_comes_and_a_stale_page_is_told_it_came_second()
    {
        var loriol = await site.As("mairie-26166");
        var day = site.Week().AddDays(3); // a Thursday
        using var made = await loriol.SubmitAsync("/services/demandes/nouvelle", Form("entretien", day, "journee"));
        var url = made.Headers.Location!.ToString();
        var staff = await site.As("staff");
        var marc = await AgentIdAsync("Marc Garnier");
        var stale = await VersionAsync(staff, url);

        using var assigned = await staff.SubmitAsync(url, new() { ["AgentId"] = $"{marc}", ["Seen"] = stale }, url + "?handler=Assign");
        using var late = await staff.SubmitAsync(url, new() { ["AgentId"] = $"{marc}", ["Seen"] = stale }, url + "?handler=Assign");
        using var seen = await loriol.GetAsync(url);
        var text = await seen.TextAsync();

        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("vient d'être modifiée", await late.TextAsync(), StringComparison.Ordinal);
        Assert.Contains("Marc Garnier", text, StringComparison.Ordinal);
        // A day at 32 € an hour: two half-days of four hours.
        Assert.Contains("256,00 €", text, StringComparison.Ordinal);
        await using var db = site.Database.CreateDb();
        Assert.Equal(2, await db.ServiceNotices.CountAsync(n => n.Request!.AgentId == marc && n.Request.Slots.Any(s => s.Day == day)));
    }

    public static TheoryData<string, string, int> Rights => new()
    {
        // Route, user, expected: 200 seen, 302 to sign in, 403 refused (the access-denied page).
        { "/services", "", 302 },
        { "/services", "mairie-26144", 200 },
        { "/services", "technicien", 200 },
        { "/services", "staff", 200 },
        { "/services", "admin", 200 },
        { "/services/conventions", "", 302 },
        { "/services/conventions", "mairie-26144", 200 },
        // The technician is community staff of another trade: he reads the conventions (public money between public bodies), never edits them.
        { "/services/conventions", "technicien", 200 },
        { "/services/conventions", "staff", 200 },
        { "/services/conventions", "admin", 200 },
        { "/services/agents", "", 302 },
        { "/services/agents", "mairie-26144", 403 },
        { "/services/agents", "technicien", 403 },
        { "/services/agents", "staff", 200 },
        { "/services/agents", "admin", 200 },
        { "/services/demandes/nouvelle", "", 302 },
        { "/services/demandes/nouvelle", "mairie-26144", 200 },
        { "/services/demandes/nouvelle", "technicien", 403 },
        { "/services/demandes/nouvelle", "staff", 403 },
        { "/services/remplacement", "", 302 },
        { "/services/remplacement", "mairie-26144", 200 },
        { "/services/remplacement", "staff", 403 },
        { "/services/remplacement", "admin", 403 },
        { "/services/remplacement", "technicien", 403 },
        // « Mon temps »: the account linked to an agent (the demo links the technician to the works-site agent), and staff for anyone.
        { "/services/temps", "", 302 },
        { "/services/temps", "mairie-26144", 403 },
        { "/services/temps", "technicien", 200 },
        { "/services/temps", "staff", 200 },
        { "/services/temps", "admin", 200 },
    };

    [Theory]
    [MemberData(nameof(Rights))]
    public async Task Who_may_open_each_services_page(string route, string user, int expected)
    {
        var client = user.Length == 0 ? site.App.Client() : await site.As(user);

        using var response = await client.GetAsync(route);

        Assert.Equal(expected, Seen(response));
    }

    [Fact]
    public async Task A_request_is_seen_by_its_commune_staff_and_admins_but_not_by_another_commune_or_an_unlinked_technician()
    {
        var eurre = await site.As("mairie-26125");
        using var made = await eurre.SubmitAsync("/services/demandes/nouvelle", Form("chantier", site.Week().AddDays(1), "matin"));
        var url = made.Headers.Location!.ToString();
        var technician = await site.As("technicien");

        Assert.Equal(200, Seen(await eurre.GetAsync(url)));
        Assert.Equal(200, Seen(await (await site.As("staff")).GetAsync(url)));
        Assert.Equal(200, Seen(await (await site.As("admin")).GetAsync(url)));
        Assert.Equal(403, Seen(await (await site.As("mairie-26144")).GetAsync(url)));
        Assert.Equal(302, Seen(await site.App.Client().GetAsync(url)));
        // The demo links the technician's account to the works-site agent: he sees it once assigned to him.
        Assert.Equal(403, Seen(await technician.GetAsync(url)));

        // Another commune cannot assign or cancel it either, even with a valid form.
        var grane = await site.As("mairie-26144");
        using var cancel = await grane.SubmitAsync("/services/demandes/nouvelle", new() { ["Seen"] = "0" }, url + "?handler=Cancel");
        Assert.Equal(403, Seen(cancel));
    }

    private static int Seen(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.Redirect when response.Headers.Location!.ToString().Contains("/acces-refuse", StringComparison.Ordinal) => 403,
        HttpStatusCode.Redirect when response.Headers.Location!.ToString().Contains("/connexion", StringComparison.Ordinal) => 302,
        var status => (int)status,
    };

    private static Dictionary<string, string> Form(string service, DateOnly day, string mode) => new()
    {
        ["Form.Service"] = service,
        ["Form.Purpose"] = "Essai",
        ["Form.Place"] = "Mairie",
        ["Form.Contact"] = "Le maire",
        ["Form.Mode"] = mode,
        ["Form.Day"] = $"{day:yyyy-MM-dd}",
    };

    private static async Task<string> VersionAsync(HttpClient client, string url)
    {
        var html = await (await client.GetAsync(url)).Content.ReadAsStringAsync();
        var match = System.Text.RegularExpressions.Regex.Match(html, "name=\"Seen\" value=\"(\\d+)\"");
        Assert.True(match.Success, html);
        return match.Groups[1].Value;
    }

    private async Task<int> AgentIdAsync(string name)
    {
        await using var db = site.Database.CreateDb();
        return await db.ServiceAgents.Where(a => a.Name == name).Select(a => a.Id).SingleAsync();
    }

    private async Task<List<string>> SecretariesByDistanceAsync(string insee)
    {
        await using var db = site.Database.CreateDb();
        return await db.Database.SqlQuery<string>($"""
            SELECT a.name AS "Value" FROM service_agents a, communes c
            WHERE c.insee = {insee} AND a.service = 'Secretary'
            ORDER BY ST_Distance(a.home_location, c.reference_point)
            """).ToListAsync();
    }
}
