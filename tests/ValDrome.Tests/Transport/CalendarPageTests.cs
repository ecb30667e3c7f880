using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Calendar;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Transport;

/// <summary>Issue 12: staff and admins set the closure days and the technician's absences; the technician reads them (ADR 18).</summary>
public sealed class CalendarPageTests(MarketSite site) : IClassFixture<MarketSite>
{
    private const string Url = "/admin/calendrier";

    private static int _days;

    private static string Outcome(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.Redirect when location.Contains("/connexion", StringComparison.Ordinal) => "sign-in",
            HttpStatusCode.Redirect when location.Contains("/acces-refuse", StringComparison.Ordinal) => "refused",
            HttpStatusCode.Redirect => "saved",
            _ => ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Posts as <paramref name="user"/> with a token taken from a page where that user has a form.</summary>
    private async Task<HttpResponseMessage> PostAsync(string? user, string handler, Dictionary<string, string> fields) => user switch
    {
        null => await site.App.Client().PostAsync($"{Url}?handler={handler}", new FormUrlEncodedContent(fields)),
        "technicien" => await (await site.As(user)).SubmitAsync("/tournees", fields, $"{Url}?handler={handler}"),
        "staff" or "admin" => await (await site.As(user)).SubmitAsync(Url, fields, $"{Url}?handler={handler}"),
        _ => await (await site.As(user)).SubmitAsync("/compte", fields, $"{Url}?handler={handler}"),
    };

    [Theory]
    [InlineData("staff", "saved")]
    [InlineData("admin", "saved")]
    [InlineData("technicien", "refused")]
    [InlineData("mairie-26144", "refused")]
    [InlineData(null, "sign-in")]
    public async Task Who_may_close_a_day(string? user, string expected)
    {
        var day = NextWorkingDay();

        using var response = await PostAsync(user, "Closure", new() { ["Day"] = Iso(day), ["Reason"] = $"essai {user}" });

        Assert.Equal(expected, Outcome(response));
        await using var db = site.Database.CreateDb();
        Assert.Equal(expected == "saved", await db.ClosureDays.AnyAsync(c => c.Day == day));
    }

    [Theory]
    [InlineData("staff", "saved")]
    [InlineData("admin", "saved")]
    [InlineData("technicien", "refused")]
    [InlineData("mairie-26006", "refused")]
    [InlineData(null, "sign-in")]
    public async Task Who_may_record_an_absence_and_remove_it(string? user, string expected)
    {
        var day = NextWorkingDay();
        var reason = $"congés {user ?? "anonyme"}";

        using var response = await PostAsync(user, "Absence", new() { ["FirstDay"] = Iso(day), ["LastDay"] = Iso(day.AddDays(1)), ["Reason"] = reason });

        Assert.Equal(expected, Outcome(response));
        await using var db = site.Database.CreateDb();
        Assert.Equal(expected == "saved", await db.TechnicianAbsences.AnyAsync(a => a.Reason == reason));

        // Removing one staff made: the same matrix.
        var id = await db.TechnicianAbsences.Where(a => a.Reason == reason).Select(a => (int?)a.Id).SingleOrDefaultAsync()
            ?? await AbsenceByStaffAsync();
        using var removed = await PostAsync(user, $"RemoveAbsence&id={id}", []);
        Assert.Equal(expected, Outcome(removed));
        Assert.Equal(expected == "saved", !await db.TechnicianAbsences.AnyAsync(a => a.Id == id));
    }

    [Theory]
    [InlineData("technicien", 200)]
    [InlineData("staff", 200)]
    [InlineData("admin", 200)]
    [InlineData("mairie-26144", 302)]
    [InlineData(null, 302)]
    public async Task The_technician_reads_the_calendar_agents_and_visitors_do_not(string? user, int status)
    {
        var client = user is null ? site.App.Client() : await site.As(user);

        using var response = await client.GetAsync(Url);

        Assert.Equal(status, (int)response.StatusCode);
        if (status == 200)
        {
            var page = await response.TextAsync();
            Assert.Contains("Absences du technicien", page);
            Assert.Contains("vendredi 25 décembre 2026</strong> — Noël", page);
            Assert.Equal(user != "technicien", page.Contains("Fermer ce jour", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("", "pont", "Indiquez le jour fermé.")]
    [InlineData("demain", "pont", "« demain » n'est pas une date valable.")]
    [InlineData("2026-11-30", "pont", "Choisissez le jour fermé entre aujourd'hui et le")]
    [InlineData("9999-12-31", "pont", "Choisissez le jour fermé entre aujourd'hui et le")]
    [InlineData("2026-12-05", "pont", "Le samedi 5 décembre 2026 n'est déjà pas travaillé (samedi).")]
    [InlineData("2026-12-25", "pont", "n'est déjà pas travaillé (jour férié")]
    [InlineData("2026-12-07", "", "Indiquez le motif")]
    public async Task A_bad_closure_is_refused_in_french_and_nothing_is_written(string day, string reason, string message)
    {
        await using var db = site.Database.CreateDb();
        var before = await db.ClosureDays.CountAsync();

        using var response = await PostAsync("staff", "Closure", new() { ["Day"] = day, ["Reason"] = reason });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await db.ClosureDays.CountAsync());
    }

    [Fact]
    public async Task A_bad_absence_is_refused_in_french()
    {
        using var backwards = await PostAsync("staff", "Absence", new() { ["FirstDay"] = "2027-02-10", ["LastDay"] = "2027-02-09", ["Reason"] = "congés" });
        using var tooLong = await PostAsync("staff", "Absence", new() { ["FirstDay"] = "2027-02-01", ["LastDay"] = "2027-08-01", ["Reason"] = "congés" });

        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("Le dernier jour d'absence doit être le même que le premier ou après lui.", await backwards.TextAsync());
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("Une absence dure au plus 92 jours", await tooLong.TextAsync());
        await using var db = site.Database.CreateDb();
        Assert.False(await db.TechnicianAbsences.AnyAsync(a => a.FirstDay == new DateOnly(2027, 2, 1) || a.FirstDay == new DateOnly(2027, 2, 10)));
    }

    [Fact]
    public async Task Closing_a_day_twice_or_removing_it_twice_tells_the_second()
    {
        var day = NextWorkingDay();
        var fields = new Dictionary<string, string> { ["Day"] = Iso(day), ["Reason"] = "pont" };

        var first = PostAsync("staff", "Closure", fields);
        var second = PostAsync("admin", "Closure", fields);
        using var a = await first;
        using var b = await second;

        // The second is told: by the check before saving (400) or, when both passed it, by the unique day (409).
        var statuses = new[] { a.StatusCode, b.StatusCode };
        Assert.Single(statuses, HttpStatusCode.Redirect);
        Assert.Single(statuses, s => s is HttpStatusCode.BadRequest or HttpStatusCode.Conflict);
        await using var db = site.Database.CreateDb();
        var id = await db.ClosureDays.Where(c => c.Day == day).Select(c => c.Id).SingleAsync();

        using var removed = await PostAsync("staff", $"RemoveClosure&id={id}", []);
        using var again = await PostAsync("admin", $"RemoveClosure&id={id}", []);

        Assert.Equal("saved", Outcome(removed));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Cette fermeture n'existe plus : quelqu'un d'autre vient de la retirer.", await again.TextAsync());
    }

    private async Task<int> AbsenceByStaffAsync()
    {
        var day = NextWorkingDay();
        var reason = $"congés {Guid.NewGuid():N}";
        using var made = await PostAsync("staff", "Absence", new() { ["FirstDay"] = Iso(day), ["LastDay"] = Iso(day), ["Reason"] = reason });
        await using var db = site.Database.CreateDb();
        return await db.TechnicianAbsences.Where(a => a.Reason == reason).Select(a => a.Id).SingleAsync();
    }

    /// <summary>A working day of its own, weeks after the fake today.</summary>
    private DateOnly NextWorkingDay()
    {
        while (true)
        {
            var day = site.App.Today.AddDays(20 + Interlocked.Increment(ref _days));
            if (WorkingCalendar.Statutory.IsWorkingDay(day))
            {
                return day;
            }
        }
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
