using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Transport;
using ValDrome.Jobs;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Loans;

/// <summary>
/// Two people make conflicting moves at the same instant, over HTTP: exactly one wins, one line
/// goes to the history, the booking matches the final state, and every other one reads a French
/// 409 page that says what happened (ADR 14).
/// </summary>
public sealed partial class ConcurrentMovesTests(MarketSite site) : IClassFixture<MarketSite>
{
    private const int Loans = 6;

    [Fact]
    public async Task Of_simultaneous_approvals_and_refusals_of_a_loan_exactly_one_is_made()
    {
        var lender = await site.As("mairie-26165");
        var admin = await site.As("admin");
        var loans = new List<Loan>();
        var posts = new List<Post>();
        for (var i = 0; i < Loans; i++)
        {
            var first = site.Week();
            var loan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first.AddDays(1));
            loans.Add(loan);
            posts.Add(new(loan.Id, lender, $"/prets/{loan.Id}?handler=Approve", []));
            posts.Add(new(loan.Id, admin, $"/prets/{loan.Id}?handler=Refuse", new() { ["Reason"] = "Déjà promis" }));
            posts.Add(new(loan.Id, lender, $"/prets/{loan.Id}?handler=Approve", []));
            posts.Add(new(loan.Id, admin, $"/prets/{loan.Id}?handler=Refuse", new() { ["Reason"] = "Déjà promis" }));
        }

        var results = await RaceAsync(posts);

        foreach (var loan in loans)
        {
            var status = await AssertOneMoveAsync(loan.Id, results, LoanStatus.Approved, LoanStatus.Refused);
            Assert.All(results.Where(r => r.LoanId == loan.Id && r.Status != HttpStatusCode.Redirect),
                r => Assert.Contains($"Ce prêt vient d'être {LoanWords.Status(status)} par ", r.Text));
        }
    }

    [Fact]
    public async Task Of_simultaneous_approvals_and_cancellations_of_a_loan_exactly_one_is_made()
    {
        var lender = await site.As("mairie-26165");
        var borrower = await site.As("mairie-26144");
        var loans = new List<Loan>();
        var posts = new List<Post>();
        for (var i = 0; i < Loans; i++)
        {
            var first = site.Week();
            var loan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first.AddDays(1));
            loans.Add(loan);
            posts.Add(new(loan.Id, borrower, $"/prets/{loan.Id}?handler=Cancel", []));
            posts.Add(new(loan.Id, lender, $"/prets/{loan.Id}?handler=Approve", []));
            posts.Add(new(loan.Id, borrower, $"/prets/{loan.Id}?handler=Cancel", []));
            posts.Add(new(loan.Id, lender, $"/prets/{loan.Id}?handler=Approve", []));
        }

        var results = await RaceAsync(posts);

        foreach (var loan in loans)
        {
            var status = await AssertOneMoveAsync(loan.Id, results, LoanStatus.Approved, LoanStatus.Cancelled);
            Assert.All(results.Where(r => r.LoanId == loan.Id && r.Status != HttpStatusCode.Redirect),
                r => Assert.Contains($"Ce prêt vient d'être {LoanWords.Status(status)} par ", r.Text));
        }
    }

    [Fact]
    public async Task The_second_of_two_moves_on_loans_read_at_once_writes_nothing()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first.AddDays(1));
        await using var one = site.Database.CreateDb();
        await using var two = site.Database.CreateDb();
        var approved = await LoanStore.LoadForChangeAsync(one, loan.Id);
        var refused = await LoanStore.LoadForChangeAsync(two, loan.Id);

        approved!.Approve(Make.Admin, ValDromeApp.DefaultNow);
        refused!.Refuse(Make.Admin, ValDromeApp.DefaultNow.AddMinutes(1), "Trop tard");
        await one.SaveChangesAsync();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => LoanStore.TrySaveBookingAsync(two));
        await using var after = site.Database.CreateDb();
        var saved = await after.Loans.Include(l => l.Events).Include(l => l.Booking).AsNoTracking().SingleAsync(l => l.Id == loan.Id);
        Assert.Equal((LoanStatus.Approved, 2, true, null), (saved.Status, saved.Events.Count, saved.Booking.IsActive, saved.RefusalReason));
    }

    [Fact]
    public async Task Of_two_people_marking_one_stop_done_one_is_told_the_other_was_first()
    {
        var first = site.Week().AddDays(2); // a Wednesday: the day before is a working day
        var loan = await Make.LoanAsync(site.Database, "CCVD-MP-01", "26144", first, first.AddDays(1), LoanStatus.Approved);
        var day = first.AddDays(-1);
        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        site.App.SetToday(day);
        var technician = await site.As("technicien");
        var staff = await site.As("staff");
        using var plan = await technician.SubmitAsync($"/tournees?jour={date}", [], $"/tournees?jour={date}&handler=Plan");
        Assert.Equal(HttpStatusCode.Redirect, plan.StatusCode);
        List<TourStopEntry> stops;
        await using (var db = site.Database.CreateDb())
        {
            stops = await db.TourStops.Where(s => s.MovementKey == $"livraison-{loan.Id}").OrderBy(s => s.Sequence).AsNoTracking().ToListAsync();
        }

        Assert.Equal(2, stops.Count);
        var meter = new Dictionary<string, string> { ["Meter"] = "1200" };
        foreach (var stop in stops)
        {
            var url = $"/tournees?jour={date}&handler=Done&stop={stop.Id}";
            var results = await RaceAsync([new(stop.Id, technician, url, meter), new(stop.Id, staff, url, meter), new(stop.Id, technician, url, meter), new(stop.Id, staff, url, meter)]);

            Assert.Single(results, r => r.Status == HttpStatusCode.Redirect);
            Assert.All(results.Where(r => r.Status != HttpStatusCode.Redirect), r =>
            {
                Assert.Equal(HttpStatusCode.Conflict, r.Status);
                Assert.Matches(@"Cet arrêt vient d'être marqué fait par .+ à \d{1,2} h \d\d\.", r.Text);
                Assert.Contains($"href=\"/tournees?jour={date}\"", r.Text);
            });
        }

        await using var after = site.Database.CreateDb();
        var delivered = await after.Loans.Include(l => l.Events).AsNoTracking().SingleAsync(l => l.Id == loan.Id);
        Assert.Equal(LoanStatus.Delivered, delivered.Status);
        Assert.Single(delivered.Events, e => e.To == LoanStatus.Delivered);
        // The kilometres of the carry are recorded once, not once per person.
        Assert.Equal(Math.Round((decimal)(stops[1].LegMetres / 1000), 1, MidpointRounding.AwayFromZero), delivered.ActualTransportKm);
    }

    [Fact]
    public async Task Of_two_people_closing_one_maintenance_task_one_is_told_the_other_was_first()
    {
        site.App.SetToday(new DateOnly(2026, 12, 1));
        await site.App.RunJobAsync<ScheduleDueMaintenance, int>(j => j.RunAsync(CancellationToken.None));
        var unitId = await Make.UnitIdAsync(site.Database, "CCVD-NA-01");
        int taskId;
        await using (var db = site.Database.CreateDb())
        {
            taskId = await db.MaintenanceTasks.Where(t => t.UnitId == unitId && t.ClosedOn == null).Select(t => t.Id).SingleAsync();
        }

        var fields = new Dictionary<string, string> { ["Day"] = "2026-12-01", ["Meter"] = "640", ["Notes"] = "Conforme" };
        var url = $"/maintenance?handler=Close&id={taskId}";
        var results = await RaceAsync([
            new(taskId, await site.As("technicien"), url, fields), new(taskId, await site.As("staff"), url, fields),
            new(taskId, await site.As("technicien"), url, fields), new(taskId, await site.As("staff"), url, fields)]);

        Assert.Single(results, r => r.Status == HttpStatusCode.Redirect);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.Redirect), r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.Status);
            Assert.Matches(@"Cette intervention vient d'être close par .+ à \d{1,2} h \d\d\.", r.Text);
        });
        await using var after = site.Database.CreateDb();
        var task = await after.MaintenanceTasks.Include(t => t.Plan).AsNoTracking().SingleAsync(t => t.Id == taskId);
        Assert.Equal(new DateOnly(2026, 12, 1), task.ClosedOn);
        Assert.Equal(1, await after.MaintenanceTasks.CountAsync(t => t.PlanId == task.PlanId && t.ClosedOn != null));
    }

    [Fact]
    public async Task The_second_of_two_closings_of_a_task_read_at_once_writes_nothing()
    {
        site.App.SetToday(new DateOnly(2026, 12, 1));
        await site.App.RunJobAsync<ScheduleDueMaintenance, int>(j => j.RunAsync(CancellationToken.None));
        var unitId = await Make.UnitIdAsync(site.Database, "26166-NA-01");
        await using var one = site.Database.CreateDb();
        await using var two = site.Database.CreateDb();
        var first = await one.MaintenanceTasks.Include(t => t.Plan).Include(t => t.Booking).SingleAsync(t => t.UnitId == unitId && t.ClosedOn == null);
        var second = await two.MaintenanceTasks.Include(t => t.Plan).Include(t => t.Booking).SingleAsync(t => t.Id == first.Id);

        first.Close(await one.EquipmentUnits.SingleAsync(u => u.Id == unitId), new DateOnly(2026, 12, 1), "Conforme", 100, 700, "Technicien", ValDromeApp.DefaultNow);
        second.Close(await two.EquipmentUnits.SingleAsync(u => u.Id == unitId), new DateOnly(2026, 11, 30), "Conforme aussi", 200, 710, "Staff", ValDromeApp.DefaultNow);
        await one.SaveChangesAsync();

        Assert.False(await ValDrome.Domain.RowVersion.TrySaveAsync(two, CancellationToken.None));
        await using var after = site.Database.CreateDb();
        var task = await after.MaintenanceTasks.AsNoTracking().SingleAsync(t => t.Id == first.Id);
        Assert.Equal(("Technicien", 100m), (task.ClosedBy, task.Cost));
    }

    [Fact]
    public async Task Of_simultaneous_builds_of_a_month_one_writes_the_statements_and_the_others_are_told()
    {
        site.App.SetToday(new DateOnly(2026, 12, 1));
        var admin = await site.As("admin");
        var fields = new Dictionary<string, string> { ["Month"] = "2026-11" };
        var results = await RaceAsync([.. Enumerable.Range(0, 4).Select(_ => new Post(0, admin, "/decomptes?handler=Build", fields))]);

        Assert.Single(results, r => r.Status == HttpStatusCode.Redirect);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.Redirect), r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.Status);
            Assert.Matches(@"Les décomptes de novembre 2026 viennent d'être établis, à \d{1,2} h \d\d", r.Text);
            Assert.Contains("href=\"/decomptes/2026-11\"", r.Text);
        });
        await using var db = site.Database.CreateDb();
        Assert.Equal(await db.Communes.CountAsync() + 1, await db.Statements.CountAsync(s => s.Month == new DateOnly(2026, 11, 1)));
    }

    [Theory]
    [InlineData("0001-01")]
    [InlineData("2019-12")]
    [InlineData("2026-12")]
    [InlineData("9999-12")]
    public async Task A_month_outside_the_data_and_the_past_is_not_built(string month)
    {
        site.App.SetToday(new DateOnly(2026, 12, 1));
        using var response = await (await site.As("admin")).SubmitAsync("/decomptes", new() { ["Month"] = month }, "/decomptes?handler=Build");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("novembre 2026", await response.TextAsync());
        await using var db = site.Database.CreateDb();
        Assert.False(await db.Statements.AnyAsync(s => s.Month != new DateOnly(2026, 11, 1)));
    }

    [Fact]
    public async Task Planning_a_day_with_nothing_to_carry_says_so_and_saves_no_tour()
    {
        var day = site.Week().AddDays(-3); // a Friday of its own: no loan of this class needs the truck then
        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var technician = await site.As("technicien");

        using var plan = await technician.SubmitAsync($"/tournees?jour={date}", [], $"/tournees?jour={date}&handler=Plan");
        using var page = await technician.GetAsync($"/tournees?jour={date}");

        Assert.Equal(HttpStatusCode.Redirect, plan.StatusCode);
        Assert.Contains("Rien à transporter ce jour", await page.TextAsync());
        await using var db = site.Database.CreateDb();
        Assert.False(await db.TourDays.AnyAsync(t => t.Day == day));
    }

    /// <summary>
    /// One win per loan, two lines of history (the request and the move), a booking held only by
    /// an approved loan, at most one mail, and a 409 with a link back to the loan for the others.
    /// </summary>
    private async Task<LoanStatus> AssertOneMoveAsync(int loanId, IReadOnlyList<Result> results, params LoanStatus[] possible)
    {
        var mine = results.Where(r => r.LoanId == loanId).ToList();
        Assert.Single(mine, r => r.Status == HttpStatusCode.Redirect);
        Assert.All(mine.Where(r => r.Status != HttpStatusCode.Redirect), r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.Status);
            Assert.Contains($"href=\"/prets/{loanId}\"", r.Text);
            Assert.Contains("Votre action n'a pas été enregistrée", r.Text);
        });
        await using var db = site.Database.CreateDb();
        var loan = await db.Loans.Include(l => l.Events).Include(l => l.Booking).AsNoTracking().SingleAsync(l => l.Id == loanId);
        Assert.Contains(loan.Status, possible);
        Assert.Equal(2, loan.Events.Count);
        Assert.Equal(loan.Status == LoanStatus.Approved, loan.Booking.IsActive);
        Assert.True(site.App.Mails().Count(m => LoanLink(loanId).IsMatch(m.TextBody ?? "")) <= 1);
        return loan.Status;
    }

    private static Regex LoanLink(int loanId) => new($"/prets/{loanId}(?![0-9])");

    /// <summary>
    /// Every person reads the page first (its antiforgery token and, on a loan, the last history
    /// line it shows), then all submit at the same instant.
    /// </summary>
    private static async Task<IReadOnlyList<Result>> RaceAsync(IReadOnlyList<Post> posts)
    {
        var ready = new List<(Post Post, Dictionary<string, string> Form)>();
        foreach (var post in posts)
        {
            // A cancellation is confirmed on its own page (/prets/{id}/annuler), which carries the state it showed.
            var page = post.Url.EndsWith("?handler=Cancel", StringComparison.Ordinal)
                ? post.Url.Split('?')[0] + "/annuler"
                : post.Url.Split("?handler=")[0].Split("&handler=")[0];
            var html = await post.Client.GetStringAsync(page);
            var form = new Dictionary<string, string>(post.Fields) { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value) };
            if (Seen().Match(html) is { Success: true } seen)
            {
                form["Seen"] = seen.Groups[1].Value;
            }

            ready.Add((post, form));
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = ready.Select(r => Task.Run(async () =>
        {
            await start.Task;
            using var content = new FormUrlEncodedContent(r.Form);
            using var response = await r.Post.Client.PostAsync(r.Post.Url, content);
            return new Result(r.Post.LoanId, response.StatusCode, await response.TextAsync());
        })).ToList();
        start.SetResult();
        return await Task.WhenAll(running);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"Seen\" value=\"([0-9]+)\"")]
    private static partial Regex Seen();

    private sealed record Post(int LoanId, HttpClient Client, string Url, Dictionary<string, string> Fields);

    private sealed record Result(int LoanId, HttpStatusCode Status, string Text);
}
