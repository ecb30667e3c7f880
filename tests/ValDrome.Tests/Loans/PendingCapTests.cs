using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Loans;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Loans;

/// <summary>The site as configured by default: three requests waiting per commune and category.</summary>
public sealed class CappedSite : IAsyncLifetime
{
    private TestDatabase? _database;
    private ValDromeApp? _app;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    public ValDromeApp App => _app ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateSeededAsync("capped");
        _app = new ValDromeApp(_database, new Dictionary<string, string> { ["ValDrome:Marketplace:MaxPendingPerCategory"] = "3" });
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

/// <summary>Issue 10: a commune made 19 requests in two seconds and held a unit for six months.</summary>
public sealed class PendingCapTests(CappedSite site) : IClassFixture<CappedSite>
{
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<HttpResponseMessage> RequestAsync(HttpClient client, int unitId, DateOnly day) =>
        await client.SubmitAsync($"/prets/demander?categorie=mini-pelle&du={Day(day)}&au={Day(day)}&usage=Essai", new()
        {
            ["UnitId"] = unitId.ToString(CultureInfo.InvariantCulture), ["du"] = Day(day), ["au"] = Day(day), ["usage"] = "Au cas où",
        }, "/prets/demander");

    private async Task<int> PendingAsync(string insee)
    {
        await using var db = site.Database.CreateDb();
        return await db.Loans.CountAsync(l => l.BorrowerCommune.Insee == insee && l.Status == LoanStatus.Requested && l.Unit.Category.Code == "mini-pelle");
    }

    [Fact]
    public async Task The_fourth_pending_request_of_a_category_is_refused_in_french_until_one_is_decided()
    {
        var unitId = await Make.UnitIdAsync(site.Database, "26006-MP-01");
        using var client = await site.App.SignedInAsync("mairie-26144");
        var monday = new DateOnly(2027, 2, 1);
        for (var week = 0; week < 3; week++)
        {
            using var accepted = await RequestAsync(client, unitId, monday.AddDays(7 * week));
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }

        using var fourth = await RequestAsync(client, unitId, monday.AddDays(21));

        Assert.Equal(HttpStatusCode.Conflict, fourth.StatusCode);
        Assert.Contains("Votre commune a déjà 3 demandes de « mini-pelle » en attente de réponse", await fourth.TextAsync());
        Assert.Equal(3, await PendingAsync("26144"));

        // The owner decides one: a request is possible again.
        await using (var db = site.Database.CreateDb())
        {
            var loan = await LoanStore.LoadForChangeAsync(db, await db.Loans.Where(l => l.BorrowerCommune.Insee == "26144").Select(l => l.Id).FirstAsync());
            loan!.Approve(Make.Admin, site.App.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }

        using var again = await RequestAsync(client, unitId, monday.AddDays(21));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
    }

    [Fact]
    public async Task Simultaneous_requests_cannot_pass_the_cap()
    {
        var unitId = await Make.UnitIdAsync(site.Database, "26006-MP-01");
        using var client = await site.App.SignedInAsync("mairie-26185");
        var monday = new DateOnly(2027, 6, 7);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => RequestAsync(client, unitId, monday.AddDays(7 * i))));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Redirect));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(3, await PendingAsync("26185"));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
