using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValDrome.Domain.Calendar;
using ValDrome.Domain.Services;
using ValDrome.Domain.Statements;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Services;

/// <summary>
/// Staff keep the services: an agent's page (edit, step down, lift an absence), the community's
/// closure days in every booking, and the month's statements with equipment and services side by side.
/// </summary>
public sealed partial class ServiceKeepingTests(MarketSite site) : IClassFixture<MarketSite>
{
    [Fact]
    public async Task Staff_edit_an_agent_and_a_form_read_before_another_edit_is_told_it_came_second()
    {
        var staff = await site.As("staff");
        var nadia = await AgentIdAsync("Nadia Roux");
        var url = $"/services/agents/{nadia}";
        var seen = await SeenAsync(staff, url);
        var tuesdayAndThursday = new Dictionary<string, string>
        {
            ["Seen"] = seen, ["Form.Name"] = "Nadia Roux-Vidal", ["Form.Email"] = "nadia.roux@valdrome.test", ["Form.Home"] = "26144",
            ["Form.Active"] = "true",
        };

        using var intruder = await (await site.As("mairie-26144")).SubmitAsync("/services/demandes/nouvelle", Days(tuesdayAndThursday, DayOfWeek.Monday), url);
        using var saved = await staff.SubmitAsync(url, Days(tuesdayAndThursday, DayOfWeek.Tuesday, DayOfWeek.Thursday), url);
        using var stale = await staff.SubmitAsync(url, Days(new(tuesdayAndThursday) { ["Form.Name"] = "Nadia Roux" }, DayOfWeek.Monday), url);
        using var nameless = await staff.SubmitAsync(url, Days(new(tuesdayAndThursday) { ["Seen"] = await SeenAsync(staff, url), ["Form.Name"] = " " }, DayOfWeek.Monday), url);

        Assert.Contains("/acces-refuse", intruder.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("vient d'être modifié(e) par quelqu'un d'autre", await stale.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, nameless.StatusCode);
        Assert.Contains("Le nom de l'agent est obligatoire", await nameless.TextAsync(), StringComparison.Ordinal);
        await using var db = site.Database.CreateDb();
        var agent = await db.ServiceAgents.Include(a => a.HomeCommune).SingleAsync(a => a.Id == nadia);
        Assert.Equal(("Nadia Roux-Vidal", "26144"), (agent.Name, agent.HomeCommune.Insee));
        Assert.Equal(ServiceDays.Bit(DayOfWeek.Tuesday) | ServiceDays.Bit(DayOfWeek.Thursday), agent.WorkingDays);
        var grane = await db.Communes.Where(c => c.Insee == "26144").Select(c => c.ReferencePoint).SingleAsync();
        Assert.True(agent.HomeLocation.EqualsExact(grane), "the home base's point moves with it");
    }

    [Fact]
    public async Task An_agent_booked_to_come_keeps_the_days_booked_and_an_agent_stepped_down_is_no_longer_proposed()
    {
        var staff = await site.As("staff");
        var tuesday = site.Week().AddDays(1);
        var julie = await AgentIdAsync("Julie Faure");
        int requestId;
        string commune;
        await using (var db = site.Database.CreateDb())
        {
            var request = await ServicesMake.RequestAsync(db, "26336", ServiceKind.Secretary, ServicesMake.Morning(tuesday));
            request.AssignTo(await ServicesMake.AgentAsync(db, "Julie Faure"), ServicesMake.Staff, ValDromeApp.DefaultNow);
            Assert.Equal(ServiceSaveOutcome.Saved, await ServiceStore.TrySaveAsync(db));
            (requestId, commune) = (request.Id, request.Commune.Name);
        }

        var url = $"/services/agents/{julie}";
        var form = new Dictionary<string, string> { ["Form.Name"] = "Julie Faure", ["Form.Home"] = "26336", ["Form.Active"] = "true" };
        using var stepDown = await staff.SubmitAsync(url, Days(new(form) { ["Seen"] = await SeenAsync(staff, url), ["Form.Active"] = "false" },
            DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Thursday, DayOfWeek.Friday), url);
        using var noTuesday = await staff.SubmitAsync(url, Days(new(form) { ["Seen"] = await SeenAsync(staff, url) },
            DayOfWeek.Monday, DayOfWeek.Thursday, DayOfWeek.Friday), url);

        Assert.Equal(HttpStatusCode.Conflict, stepDown.StatusCode);
        var refusal = await stepDown.TextAsync();
        Assert.Contains($"Julie Faure est encore désigné(e) pour 1 jour à venir sur 1 demande : {commune}, le {French(tuesday)} (demande n° {requestId}).", refusal, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/services/demandes/{requestId}\">{commune} — le {French(tuesday)}</a>", refusal, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, noTuesday.StatusCode);
        Assert.Contains("un jour de la semaine que vous retirez", await noTuesday.TextAsync(), StringComparison.Ordinal);
        await using (var db = site.Database.CreateDb())
        {
            var agent = await db.ServiceAgents.SingleAsync(a => a.Id == julie);
            Assert.True(agent.IsActive);
            Assert.True(agent.WorksOn(tuesday));
        }

        // Sophie Blanc has nothing to come: she steps down, and the urgent replacement no longer proposes her.
        var sophie = await AgentIdAsync("Sophie Blanc");
        var grane = await site.As("mairie-26144");
        var replacement = $"/services/remplacement?jour={tuesday.AddDays(2):yyyy-MM-dd}&creneau=matin";
        Assert.Contains("Sophie Blanc", await (await grane.GetAsync(replacement)).TextAsync(), StringComparison.Ordinal);
        var sophieUrl = $"/services/agents/{sophie}";
        using var steppedDown = await staff.SubmitAsync(sophieUrl, Days(new() { ["Seen"] = await SeenAsync(staff, sophieUrl), ["Form.Name"] = "Sophie Blanc", ["Form.Home"] = "26166" },
            DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Thursday, DayOfWeek.Friday), sophieUrl);

        Assert.Equal(HttpStatusCode.Redirect, steppedDown.StatusCode);
        Assert.DoesNotContain("Sophie Blanc", await (await grane.GetAsync(replacement)).TextAsync(), StringComparison.Ordinal);
        Assert.Contains("Sophie Blanc</a> — plus en activité", await (await staff.GetAsync("/services/agents")).TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_lift_an_absence_and_the_agent_is_proposed_again_that_day_and_a_second_lift_is_told()
    {
        var staff = await site.As("staff");
        var thursday = site.Week().AddDays(3);
        var claire = await AgentIdAsync("Claire Martin");
        using var recorded = await staff.SubmitAsync("/services/agents", new()
        {
            ["Absence.Agent"] = $"{claire}", ["Absence.Day"] = $"{thursday:yyyy-MM-dd}", ["Absence.Reason"] = "Formation",
        }, "/services/agents?handler=Absence");
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        var grane = await site.As("mairie-26144");
        var replacement = $"/services/remplacement?jour={thursday:yyyy-MM-dd}&creneau=journee";
        Assert.DoesNotContain("Claire Martin", await (await grane.GetAsync(replacement)).TextAsync(), StringComparison.Ordinal);
        int absence;
        await using (var db = site.Database.CreateDb())
        {
            absence = await db.AgentBookings.Where(b => b.AgentId == claire && b.Day == thursday && b.RequestId == null && b.IsActive).Select(b => b.Id).SingleAsync();
        }

        var url = $"/services/agents/{claire}";
        var page = await (await staff.GetAsync(url)).TextAsync();
        Assert.Contains("Formation", page, StringComparison.Ordinal);
        Assert.Contains($"name=\"AbsenceId\" value=\"{absence}\"", page, StringComparison.Ordinal);

        using var byAgent = await grane.SubmitAsync("/services/demandes/nouvelle", new() { ["AbsenceId"] = $"{absence}" }, url + "?handler=Lift");
        using var lifted = await staff.SubmitAsync(url, new() { ["AbsenceId"] = $"{absence}" }, url + "?handler=Lift");
        using var again = await staff.SubmitAsync(url, new() { ["AbsenceId"] = $"{absence}" }, url + "?handler=Lift");

        Assert.Contains("/acces-refuse", byAgent.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, lifted.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("n'est plus à venir", await again.TextAsync(), StringComparison.Ordinal);
        await using (var db = site.Database.CreateDb())
        {
            Assert.False(await db.AgentBookings.Where(b => b.Id == absence).Select(b => b.IsActive).SingleAsync());
        }

        Assert.Contains("Claire Martin", await (await grane.GetAsync(replacement)).TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_booking_on_a_closure_day_of_the_community_is_refused_in_french_and_a_weekly_request_skips_it()
    {
        var week = site.Week();
        var closed = week.AddDays(8); // a Tuesday
        await using (var db = site.Database.CreateDb())
        {
            db.ClosureDays.Add(new ClosureDay(closed, "pont de test", "Service de test", ValDromeApp.DefaultNow));
            await db.SaveChangesAsync();
        }

        var grane = await site.As("mairie-26144");
        using var refused = await grane.SubmitAsync("/services/demandes/nouvelle", Request("secretariat", closed));
        using var urgent = await grane.GetAsync($"/services/remplacement?jour={closed:yyyy-MM-dd}&creneau=matin");
        var weekly = Request("informatique", week.AddDays(1));
        weekly["Form.Weekly"] = "true";
        weekly["Form.Until"] = $"{week.AddDays(15):yyyy-MM-dd}";
        using var made = await grane.SubmitAsync("/services/demandes/nouvelle", weekly);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains($"Le {French(closed)} n'est pas un jour travaillé par les services de la communauté : fermeture de la communauté (pont de test).",
            await refused.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, urgent.StatusCode);
        Assert.Contains("fermeture de la communauté (pont de test)", await urgent.TextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("<ol class=\"proposals\">", await urgent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);
        await using var check = site.Database.CreateDb();
        var graneId = await Make.CommuneIdAsync(site.Database, "26144");
        Assert.False(await check.AgentBookings.AnyAsync(b => b.CommuneId == graneId && b.Day == closed));
        Assert.Equal([week.AddDays(1), week.AddDays(15)],
            await check.AgentBookings.Where(b => b.CommuneId == graneId && b.Service == ServiceKind.ItAssistance && b.Day >= week && b.Day <= week.AddDays(20))
                .OrderBy(b => b.Day).Select(b => b.Day).ToListAsync());
    }

    [Fact]
    public async Task Closing_a_day_lists_its_booked_slots_first_and_once_confirmed_cancels_them_and_tells_the_commune_and_the_agent()
    {
        var staff = await site.As("staff");
        var day = site.Week().AddDays(9); // a Wednesday
        int requestId, closedSlot, nextSlot;
        await using (var db = site.Database.CreateDb())
        {
            // Grane asked for the secretary on that Wednesday and the next, and Claire Martin was assigned.
            var request = await ServicesMake.RequestAsync(db, "26144", ServiceKind.Secretary, ServicesMake.Morning(day), ServicesMake.Morning(day.AddDays(7)));
            request.AssignTo(await ServicesMake.AgentAsync(db, "Claire Martin"), ServicesMake.Staff, ValDromeApp.DefaultNow);
            Assert.Equal(ServiceSaveOutcome.Saved, await ServiceStore.TrySaveAsync(db));
            (requestId, closedSlot, nextSlot) = (request.Id, request.Slots.Single(s => s.Day == day).Id, request.Slots.Single(s => s.Day != day).Id);
        }

        var form = new Dictionary<string, string> { ["Day"] = $"{day:yyyy-MM-dd}", ["Reason"] = "pont de test" };
        using var asked = await staff.SubmitAsync("/admin/calendrier", form, "/admin/calendrier?handler=Closure");
        var list = await asked.TextAsync();
        // A confirmation given on another list (a slot booked or cancelled since) writes nothing and shows the list again.
        using var stale = await staff.SubmitAsync("/admin/calendrier", new(form) { ["Confirmed"] = "true", ["Seen"] = "" }, "/admin/calendrier?handler=Closure");

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("1 créneau de service réservé ce jour-là", list, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/services/demandes/{requestId}\">Grane</a> — Secrétariat de mairie itinérant, 8 h 00 – 12 h 00 — Claire Martin</li>", list, StringComparison.Ordinal);
        Assert.Contains($"name=\"Seen\" value=\"{closedSlot}\"", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("ont changé depuis que vous avez lu la liste", await stale.TextAsync(), StringComparison.Ordinal);
        await using (var db = site.Database.CreateDb())
        {
            Assert.False(await db.ClosureDays.AnyAsync(c => c.Day == day));
            Assert.True(await db.AgentBookings.Where(b => b.Id == closedSlot).Select(b => b.IsActive).SingleAsync());
        }

        using var confirmed = await staff.SubmitAsync("/admin/calendrier", new(form) { ["Confirmed"] = "true", ["Seen"] = $"{closedSlot}" }, "/admin/calendrier?handler=Closure");

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        await using var check = site.Database.CreateDb();
        Assert.True(await check.ClosureDays.AnyAsync(c => c.Day == day));
        var slots = await check.AgentBookings.Where(b => b.RequestId == requestId).ToDictionaryAsync(b => b.Id, b => b.IsActive);
        Assert.False(slots[closedSlot]);
        Assert.True(slots[nextSlot]);
        Assert.Equal(ServiceRequestStatus.Assigned, await check.ServiceRequests.Where(r => r.Id == requestId).Select(r => r.Status).SingleAsync());
        var told = await check.ServiceNotices.Where(n => n.RequestId == requestId && n.Kind == ServiceNoticeKind.DayClosed)
            .Select(n => new { n.CommuneId, n.AgentId, n.Text }).ToListAsync();
        Assert.Equal(2, told.Count);
        Assert.Contains(told, n => n.CommuneId != null && n.Text.Contains("fermés (pont de test) : votre créneau « Secrétariat de mairie itinérant » avec Claire Martin", StringComparison.Ordinal));
        var claire = await AgentIdAsync("Claire Martin");
        Assert.Contains(told, n => n.AgentId == claire);
        Assert.Contains("enregistrée : aucune tournée ce jour-là. 1 créneau de service annulé : la commune est prévenue, ainsi que l'agent désigné, par courriel.",
            await (await staff.GetAsync("/admin/calendrier")).TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slot_asked_for_while_its_day_is_being_closed_waits_for_the_closure_and_is_refused_in_french()
    {
        var day = site.Week().AddDays(1); // a Tuesday
        var grane = await site.As("mairie-26144");
        await using var closing = new NpgsqlConnection(site.Database.ConnectionString);
        await closing.OpenAsync();
        await using var transaction = await closing.BeginTransactionAsync();
        await using (var close = new NpgsqlCommand(
            "insert into closure_days (day, reason, created_by, created_at) values (@day, 'pont de test', 'Service de test', now())", closing, transaction))
        {
            close.Parameters.AddWithValue("day", day);
            await close.ExecuteNonQueryAsync();
        }

        // The commune's page does not see the closure yet (not committed): its slot waits on the day's lock.
        var asking = grane.SubmitAsync("/services/demandes/nouvelle", Request("secretariat", day));
        await UntilSomeoneWaitsForTheDayAsync();
        await transaction.CommitAsync();
        using var answer = await asking;

        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Contains("Le service vient de fermer l'un de ces jours : aucun créneau de cette demande n'a été enregistré.", await answer.TextAsync(), StringComparison.Ordinal);
        await using var check = site.Database.CreateDb();
        var graneId = await Make.CommuneIdAsync(site.Database, "26144");
        Assert.False(await check.AgentBookings.AnyAsync(b => b.CommuneId == graneId && b.Day == day && b.IsActive));
    }

    [Fact]
    public async Task Closing_a_day_while_a_slot_is_being_booked_on_it_waits_for_the_slot_and_shows_it_before_closing()
    {
        var day = site.Week().AddDays(2); // a Wednesday
        var staff = await site.As("staff");
        await using var booking = site.Database.CreateDb();
        await using var transaction = await booking.Database.BeginTransactionAsync();
        var request = await ServicesMake.RequestAsync(booking, "26144", ServiceKind.Secretary, ServicesMake.Morning(day));
        var slot = request.Slots.Single().Id;

        // Confirmed on an empty list: without the day's lock the page would read no slot and close the day over it.
        var form = new Dictionary<string, string> { ["Day"] = $"{day:yyyy-MM-dd}", ["Reason"] = "pont de test", ["Confirmed"] = "true", ["Seen"] = "" };
        var closing = staff.SubmitAsync("/admin/calendrier", form, "/admin/calendrier?handler=Closure");
        await UntilSomeoneWaitsForTheDayAsync();
        await transaction.CommitAsync();
        using var answer = await closing;

        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Contains("ont changé depuis que vous avez lu la liste", await answer.TextAsync(), StringComparison.Ordinal);
        Assert.Contains($"name=\"Seen\" value=\"{slot}\"", await answer.TextAsync(), StringComparison.Ordinal);
        await using var check = site.Database.CreateDb();
        Assert.False(await check.ClosureDays.AnyAsync(c => c.Day == day));
        Assert.True(await check.AgentBookings.Where(b => b.Id == slot).Select(b => b.IsActive).SingleAsync());
    }

    [Fact]
    public async Task A_request_that_has_started_is_cut_short_its_slots_to_come_freed_and_the_past_kept()
    {
        var week = site.Week();
        int requestId;
        int[] slots;
        await using (var db = site.Database.CreateDb())
        {
            var request = await ServicesMake.RequestAsync(db, "26144", ServiceKind.ItAssistance,
                ServicesMake.Morning(week.AddDays(1)), ServicesMake.Morning(week.AddDays(8)), ServicesMake.Morning(week.AddDays(15)));
            request.AssignTo(await ServicesMake.AgentAsync(db, "Thomas Petit"), ServicesMake.Staff, ValDromeApp.DefaultNow);
            Assert.Equal(ServiceSaveOutcome.Saved, await ServiceStore.TrySaveAsync(db));
            requestId = request.Id;
            slots = [.. request.Slots.OrderBy(s => s.Day).Select(s => s.Id)];
        }

        // Its first Tuesday is behind us (the site's today is 2026-12-01).
        Assert.Equal(1, await site.Database.ScalarAsync<int>($"with moved as (update agent_bookings set day = date '2026-11-24' where id = {slots[0]} returning 1) select count(*)::int from moved"));
        var grane = await site.As("mairie-26144");
        var url = $"/services/demandes/{requestId}";
        var page = await (await grane.GetAsync(url)).TextAsync();
        Assert.Contains("Arrêter les créneaux à venir", page, StringComparison.Ordinal);
        var seen = SeenField().Match(await (await grane.GetAsync(url)).Content.ReadAsStringAsync()).Groups[1].Value;

        using var stopped = await grane.SubmitAsync(url, new() { ["Seen"] = seen }, url + "?handler=Cancel");

        Assert.Equal(HttpStatusCode.Redirect, stopped.StatusCode);
        Assert.Contains("2 créneaux à venir annulés ; les créneaux passés restent dus.", await (await grane.GetAsync(url)).TextAsync(), StringComparison.Ordinal);
        await using var check = site.Database.CreateDb();
        var active = await check.AgentBookings.Where(b => b.RequestId == requestId).ToDictionaryAsync(b => b.Id, b => b.IsActive);
        Assert.True(active[slots[0]]);
        Assert.False(active[slots[1]]);
        Assert.False(active[slots[2]]);
        Assert.NotEqual(ServiceRequestStatus.Cancelled, await check.ServiceRequests.Where(r => r.Id == requestId).Select(r => r.Status).SingleAsync());
        // The agent assigned would have come: told which slots are off.
        var thomas = await AgentIdAsync("Thomas Petit");
        var told = await check.ServiceNotices.Where(n => n.RequestId == requestId && n.Kind == ServiceNoticeKind.Cancelled).ToListAsync();
        Assert.Equal(thomas, Assert.Single(told).AgentId);
        Assert.Contains("Grane arrête sa demande « Assistance informatique » : vos 2\u00a0créneaux à partir du", told[0].Text, StringComparison.Ordinal);

        // Its mail ends with the one signature every ValDrome mail ends with (it once carried two).
        Assert.True(await site.App.RunJobAsync<ValDrome.Jobs.Notices.SendServiceNotice, bool>(j => j.RunAsync(told[0].Id, CancellationToken.None)));
        var mail = Assert.Single(
            Directory.GetFiles(site.App.MailFolder, "*.eml").Select(f => (MimeKit.MimeMessage.Load(f).TextBody ?? "").ReplaceLineEndings("\n")),
            body => body.Contains(url, StringComparison.Ordinal) && body.Contains("arrête sa demande", StringComparison.Ordinal));
        Assert.EndsWith("\n\n" + ValDrome.Jobs.Mail.Mailer.Signature, mail.TrimEnd(), StringComparison.Ordinal);
        Assert.Single(Regex.Matches(mail, "^— ", RegexOptions.Multiline));
    }

    /// <summary>Until a transaction of the test's database waits for a day's lock (ADR 32), at most ten seconds.</summary>
    private async Task UntilSomeoneWaitsForTheDayAsync()
    {
        for (var i = 0; i < 200; i++)
        {
            if (await site.Database.ScalarAsync<long>(
                $"select count(*) from pg_locks l join pg_database d on d.oid = l.database where d.datname = current_database() and l.locktype = 'advisory' and l.classid = {ClosureDay.LockClass} and not l.granted") > 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("Nobody waited for the day's lock.");
    }

    [Fact]
    public async Task The_month_shows_equipment_and_services_side_by_side_in_its_chart_its_csv_and_the_list_of_months()
    {
        var month = new DateOnly(2026, 10, 1);
        var graneId = await Make.CommuneIdAsync(site.Database, "26144");
        var allexId = await Make.CommuneIdAsync(site.Database, "26006");
        await using (var db = site.Database.CreateDb())
        {
            var at = ValDromeApp.DefaultNow.AddMonths(-1);
            var grane = new Statement(month, graneId, at);
            grane.Add(new StatementLine(StatementLineKind.Borrowed, null, "Mini-pelle d'Allex, 2 jours", 2, 60m, 0m, -120m));
            grane.Add(new StatementLine(StatementLineKind.Service, null, "Secrétariat de mairie itinérant : Claire Martin le 06/10, 1 demi-journée à 95,00 €", 0, 95m, 0m, -95m));
            var allex = new Statement(month, allexId, at);
            allex.Add(new StatementLine(StatementLineKind.Lent, null, "Mini-pelle prêtée à Grane", 2, 60m, 0m, 96m));
            var community = new Statement(month, null, at);
            community.Add(new StatementLine(StatementLineKind.Community, null, "Part de la location de la mini-pelle", 2, 60m, 0m, 24m));
            community.Add(new StatementLine(StatementLineKind.Community, null, "Secrétariat de mairie itinérant : Claire Martin le 06/10 — Grane", 0, 95m, 0m, 95m));
            db.Statements.AddRange(grane, allex, community);
            await db.SaveChangesAsync();
        }

        var staff = await site.As("staff");
        var page = await (await staff.GetAsync("/decomptes/2026-10")).Content.ReadAsStringAsync();
        var csv = await (await staff.GetAsync("/decomptes/2026-10.csv")).Content.ReadAsStringAsync();
        var months = await (await staff.GetAsync("/decomptes")).Content.ReadAsStringAsync();

        var bar = Regex.Match(page, "<g class=\"bar negative\" data-insee=\"26144\">(.*?)</g>", RegexOptions.Singleline);
        Assert.True(bar.Success, page);
        var equipment = Regex.Match(bar.Groups[1].Value, "<rect class=\"equipment out\" data-amount=\"([^\"]+)\"");
        var services = Regex.Match(bar.Groups[1].Value, "<rect class=\"services out\" data-amount=\"([^\"]+)\"");
        Assert.True(equipment.Success && services.Success, bar.Value);
        Assert.Equal((-120m, -95m), (Amount(equipment.Groups[1].Value), Amount(services.Groups[1].Value)));

        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(";Solde (€);dont matériel (€);dont services aux communes (€)", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("2026-10;Grane;26144;", StringComparison.Ordinal) && l.EndsWith(";-215,00;-120,00;-95,00", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("2026-10;Communauté de communes;", StringComparison.Ordinal) && l.EndsWith(";119,00;24,00;95,00", StringComparison.Ordinal));

        var split = Regex.Match(months, "<g class=\"month\" data-month=\"2026-10\" data-equipment=\"([^\"]+)\" data-services=\"([^\"]+)\">");
        Assert.True(split.Success, months);
        Assert.Equal((120m, 95m), (Amount(split.Groups[1].Value), Amount(split.Groups[2].Value)));
    }

    [Theory]
    [InlineData("", 302)]
    [InlineData("mairie-26144", 403)]
    [InlineData("technicien", 403)]
    [InlineData("staff", 200)]
    [InlineData("admin", 200)]
    public async Task Only_staff_and_admins_open_an_agent_page(string user, int expected)
    {
        var client = user.Length == 0 ? site.App.Client() : await site.As(user);

        using var response = await client.GetAsync($"/services/agents/{await AgentIdAsync("Marc Garnier")}");
        using var missing = await client.GetAsync("/services/agents/987654");

        Assert.Equal(expected, Seen(response));
        Assert.Equal(expected == 200 ? 404 : expected, Seen(missing));
    }

    private static int Seen(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.Redirect when response.Headers.Location!.ToString().Contains("/acces-refuse", StringComparison.Ordinal) => 403,
        HttpStatusCode.Redirect when response.Headers.Location!.ToString().Contains("/connexion", StringComparison.Ordinal) => 302,
        var status => (int)status,
    };

    private static decimal Amount(string invariant) => decimal.Parse(invariant, NumberStyles.Number, CultureInfo.InvariantCulture);

    private static string French(DateOnly day) => day.ToString("dddd d MMMM yyyy", CultureInfo.GetCultureInfo("fr-FR"));

    private static Dictionary<string, string> Request(string service, DateOnly day) => new()
    {
        ["Form.Service"] = service,
        ["Form.Purpose"] = "Essai",
        ["Form.Place"] = "Mairie",
        ["Form.Contact"] = "Le maire",
        ["Form.Mode"] = "matin",
        ["Form.Day"] = $"{day:yyyy-MM-dd}",
    };

    /// <summary>The form with its working days, one indexed field each (the checkboxes bind to one list).</summary>
    private static Dictionary<string, string> Days(Dictionary<string, string> form, params DayOfWeek[] days)
    {
        var fields = new Dictionary<string, string>(form);
        for (var i = 0; i < days.Length; i++)
        {
            fields[$"Form.Days[{i}]"] = ((int)days[i]).ToString(CultureInfo.InvariantCulture);
        }

        return fields;
    }

    private async Task<int> AgentIdAsync(string name)
    {
        await using var db = site.Database.CreateDb();
        return await db.ServiceAgents.Where(a => a.Name == name).Select(a => a.Id).SingleAsync();
    }

    private static async Task<string> SeenAsync(HttpClient client, string url)
    {
        var html = await (await client.GetAsync(url)).Content.ReadAsStringAsync();
        var match = SeenField().Match(html);
        Assert.True(match.Success, html);
        return match.Groups[1].Value;
    }

    [GeneratedRegex("name=\"Seen\" value=\"(\\d+)\"")]
    private static partial Regex SeenField();
}
