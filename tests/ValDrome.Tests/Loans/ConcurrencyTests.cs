using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Loans;

public sealed class ConcurrencyTests(MarketSite site) : IClassFixture<MarketSite>
{
    [Fact]
    public async Task Of_fifty_simultaneous_requests_for_one_unit_and_day_exactly_one_wins()
    {
        var day = site.Week().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var unitId = await Make.UnitIdAsync(site.Database, "CCVD-BN-01"); // the community's big tent
        await using var db = site.Database.CreateDb();
        var agents = await db.Users.Where(u => u.CommuneId != null).OrderBy(u => u.UserName).Select(u => u.UserName!).Take(25).ToListAsync();

        // Every agent signs in and opens the form first, twice each: 50 forms ready to submit.
        var forms = new List<(HttpClient Client, string Token)>();
        foreach (var agent in agents)
        {
            var client = await site.As(agent);
            var token = await TokenAsync(client, $"/prets/demander?materiel={unitId}&du={day}&au={day}&usage=Fête");
            forms.Add((client, token));
            forms.Add((client, token));
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var posts = forms.Select(form => Task.Run(async () =>
        {
            await start.Task;
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UnitId"] = unitId.ToString(CultureInfo.InvariantCulture),
                ["du"] = day,
                ["au"] = day,
                ["usage"] = "Fête de la Saint-Jean",
                ["__RequestVerificationToken"] = form.Token,
            });
            using var response = await form.Client.PostAsync("/prets/demander", content);
            return (response.StatusCode, Text: await response.TextAsync());
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(posts);

        Assert.Equal(50, results.Length);
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Redirect);
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.Redirect), r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
            Assert.Contains("Ce matériel vient d'être réservé sur ces dates par une autre demande.", r.Text);
            Assert.Contains("<tr data-unit-id=", r.Text); // the next nearest alternatives
        });
        var dayOnly = DateOnly.Parse(day, CultureInfo.InvariantCulture);
        Assert.Equal(1, await db.Loans.CountAsync(l => l.UnitId == unitId && l.FirstDay == dayOnly));
        Assert.Equal(1, await db.UnitBookings.CountAsync(b => b.UnitId == unitId && b.FirstDay == dayOnly && b.IsActive));
    }

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        var marker = "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"";
        var start = html.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return WebUtility.HtmlDecode(html[start..html.IndexOf('"', start)]);
    }
}
