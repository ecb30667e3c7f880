using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Services;
using ValDrome.Domain.Statements;
using ValDrome.Jobs;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Services;

/// <summary>
/// Time spent and the bill, on a site of its own (the clock moves): Grane has IT assistance on
/// Wednesday 2 December 2026 (38 € an hour, two hours at least) and the secretary on Thursday
/// morning (95 € a half-day).
/// </summary>
public sealed partial class ServiceTimeAndBillTests(MarketSite site) : IClassFixture<MarketSite>
{
    [Fact]
    public async Task Time_recorded_is_disputed_by_the_commune_settled_by_staff_and_billed_at_the_minimum_with_travel_beside_equipment()
    {
        int it, secretary;
        await using (var db = site.Database.CreateDb())
        {
            var help = await ServicesMake.RequestAsync(db, "26144", ServiceKind.ItAssistance, new ServiceSlot(new DateOnly(2026, 12, 2), new TimeOnly(9, 0), new TimeOnly(10, 0)));
            help.AssignTo(await ServicesMake.AgentAsync(db, "Thomas Petit"), ServicesMake.Staff, ValDromeApp.DefaultNow);
            var replacement = await ServicesMake.RequestAsync(db, "26144", ServiceKind.Secretary, ServicesMake.Morning(new DateOnly(2026, 12, 3)));
            replacement.AssignTo(await ServicesMake.AgentAsync(db, "Claire Martin"), ServicesMake.Staff, ValDromeApp.DefaultNow);
            Assert.Equal(ServiceSaveOutcome.Saved, await ServiceStore.TrySaveAsync(db));
            (it, secretary) = (help.Id, replacement.Id);
        }

        site.App.SetToday(new DateOnly(2026, 12, 4));
        var staff = await site.As("staff");
        var grane = await site.As("mairie-26144");
        var bookingId = await BookingIdAsync(it);

        // Staff record for the agent: 9 h to 11 h 10 and 12 km.
        using var recorded = await staff.SubmitAsync("/services/temps", new()
        {
            ["BookingId"] = $"{bookingId}", ["Started"] = "09:00", ["Ended"] = "11:10", ["TravelKm"] = "12", ["Note"] = "Box internet changée",
        });
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);

        // Another commune may not answer; Grane disputes.
        var url = $"/services/demandes/{it}";
        var seen = await EntrySeenAsync(grane, url);
        using var intruder = await (await site.As("mairie-26165")).SubmitAsync("/services/demandes/nouvelle", new() { ["BookingId"] = $"{bookingId}", ["EntrySeen"] = seen }, url + "?handler=Confirm");
        using var disputed = await grane.SubmitAsync(url, new() { ["BookingId"] = $"{bookingId}", ["EntrySeen"] = seen, ["Reason"] = "Il est reparti à 10 h 30" }, url + "?handler=Dispute");
        using var late = await grane.SubmitAsync(url, new() { ["BookingId"] = $"{bookingId}", ["EntrySeen"] = seen }, url + "?handler=Confirm");

        Assert.Equal("/acces-refuse", intruder.Headers.Location?.AbsolutePath ?? intruder.Headers.Location?.OriginalString.Split('?')[0]);
        Assert.Equal(HttpStatusCode.Redirect, disputed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        await using (var db = site.Database.CreateDb())
        {
            Assert.Equal(TimeEntryStatus.Disputed, await db.TimeEntries.Where(t => t.BookingId == bookingId).Select(t => t.Status).SingleAsync());
            Assert.True(await db.ServiceNotices.AnyAsync(n => n.RequestId == it && n.Kind == ServiceNoticeKind.TimeDisputed));
        }

        // The commune may not settle; staff settle at 9 h – 10 h 30, 12 km.
        var settleSeen = await EntrySeenAsync(staff, url);
        var settle = new Dictionary<string, string> { ["BookingId"] = $"{bookingId}", ["EntrySeen"] = settleSeen, ["Started"] = "09:00", ["Ended"] = "10:30", ["TravelKm"] = "12" };
        using var notStaff = await grane.SubmitAsync(url, settle, url + "?handler=Settle");
        using var settled = await staff.SubmitAsync(url, settle, url + "?handler=Settle");
        Assert.Contains("/acces-refuse", notStaff.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, settled.StatusCode);

        // December's statements.
        site.App.SetToday(new DateOnly(2027, 1, 2));
        Assert.True(await site.App.RunJobAsync<BuildMonthlyStatements, bool>(j => j.RunForAsync(new DateOnly(2026, 12, 1), CancellationToken.None)));
        await using (var db = site.Database.CreateDb())
        {
            var graneId = await Make.CommuneIdAsync(site.Database, "26144");
            var lines = await db.Statements.Where(s => s.Month == new DateOnly(2026, 12, 1) && s.CommuneId == graneId)
                .SelectMany(s => s.Lines).Where(l => l.Kind == StatementLineKind.Service).OrderBy(l => l.Label).ToListAsync();
            // An hour and a half settled, two hours billed (the minimum) at 38 €, and 12 km at 0,45 €.
            Assert.Equal([-95m, -(2 * 38m + 5.40m)], lines.OrderBy(l => l.Amount).Select(l => l.Amount));
            Assert.Contains(lines, l => l.Label.Contains("(minimum)", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Label.Contains("(temps prévu)", StringComparison.Ordinal));
            var community = await db.Statements.Where(s => s.Month == new DateOnly(2026, 12, 1) && s.CommuneId == null)
                .SelectMany(s => s.Lines).Where(l => l.Label.Contains("Grane")).SumAsync(l => l.Amount);
            Assert.Equal(81.40m + 95m, community);
        }

        var page = await (await grane.GetAsync("/decomptes/2026-12/26144")).TextAsync();
        Assert.Contains("<h2>Assistance informatique", page, StringComparison.Ordinal);
        Assert.Contains("<h2>Secrétariat de mairie itinérant", page, StringComparison.Ordinal);
        var csv = await (await grane.GetAsync("/decomptes/2026-12/26144.csv")).Content.ReadAsStringAsync();
        Assert.Contains("Service aux communes", csv, StringComparison.Ordinal);
        Assert.NotEqual(0, secretary);
    }

    [Fact]
    public async Task Time_confirmed_by_the_commune_is_no_longer_corrected_by_the_agent()
    {
        int id;
        await using (var db = site.Database.CreateDb())
        {
            var request = await ServicesMake.RequestAsync(db, "26125", ServiceKind.WorksSite, new ServiceSlot(new DateOnly(2026, 12, 7), new TimeOnly(14, 0), new TimeOnly(16, 0)));
            request.AssignTo(await ServicesMake.AgentAsync(db, "Paul Chabert"), ServicesMake.Staff, ValDromeApp.DefaultNow);
            Assert.Equal(ServiceSaveOutcome.Saved, await ServiceStore.TrySaveAsync(db));
            id = request.Id;
        }

        site.App.SetToday(new DateOnly(2026, 12, 8));
        // The demo links the technician's account to Paul Chabert, the works-site technician.
        var technician = await site.As("technicien");
        var eurre = await site.As("mairie-26125");
        var bookingId = await BookingIdAsync(id);
        using var recorded = await technician.SubmitAsync("/services/temps", new() { ["BookingId"] = $"{bookingId}", ["Started"] = "14:00", ["Ended"] = "16:30", ["TravelKm"] = "8" });
        var url = $"/services/demandes/{id}";
        using var confirmed = await eurre.SubmitAsync(url, new() { ["BookingId"] = $"{bookingId}", ["EntrySeen"] = await EntrySeenAsync(eurre, url) }, url + "?handler=Confirm");
        using var corrected = await technician.SubmitAsync("/services/temps", new() { ["BookingId"] = $"{bookingId}", ["Started"] = "14:00", ["Ended"] = "18:00", ["TravelKm"] = "8" });

        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, corrected.StatusCode);
        await using var check = site.Database.CreateDb();
        var entry = await check.TimeEntries.SingleAsync(t => t.BookingId == bookingId);
        Assert.Equal((TimeEntryStatus.Confirmed, new TimeOnly(16, 30)), (entry.Status, entry.Ended));
    }

    private async Task<int> BookingIdAsync(int requestId)
    {
        await using var db = site.Database.CreateDb();
        return await db.AgentBookings.Where(b => b.RequestId == requestId).Select(b => b.Id).SingleAsync();
    }

    private static async Task<string> EntrySeenAsync(HttpClient client, string url)
    {
        var html = await (await client.GetAsync(url)).Content.ReadAsStringAsync();
        var match = EntrySeen().Match(html);
        Assert.True(match.Success, html);
        return match.Groups[1].Value;
    }

    [GeneratedRegex("name=\"EntrySeen\" value=\"(\\d+)\"")]
    private static partial Regex EntrySeen();
}
