using System.Net;
using System.Text.Json;
using ValDrome.Domain.Loans;
using ValDrome.Jobs;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Ogc;

/// <summary>The loans and the maintenance windows, published as OGC API collections with their time.</summary>
public sealed class LoanLayersTests(MarketSite site) : IClassFixture<MarketSite>
{
    private async Task<JsonElement> ItemsAsync(string collection, string query = "")
    {
        // Staff reads every loan and every task (GisAccessTests: who reads what).
        var staff = await site.As("staff");
        using var response = await staff.GetAsync($"/ogc/collections/{collection}/items?limit=1000{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Loans_are_lines_from_lender_to_borrower_filtered_by_their_days()
    {
        var first = new DateOnly(2027, 5, 10);
        var loan = await Make.LoanAsync(site.Database, "26006-MP-01", "26144", first, first.AddDays(2), LoanStatus.Approved);
        var done = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first, LoanStatus.Returned);

        var all = await ItemsAsync("prets");
        var during = await ItemsAsync("prets", "&datetime=2027-05-11T12:00:00Z");
        var after = await ItemsAsync("prets", "&datetime=2027-05-13T12:00:00Z/..");

        var feature = all.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("id").GetInt32() == loan.Id);
        Assert.DoesNotContain(all.GetProperty("features").EnumerateArray(), f => f.GetProperty("id").GetInt32() == done.Id);
        Assert.Equal("LineString", feature.GetProperty("geometry").GetProperty("type").GetString());
        var line = feature.GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal([4.915189, 44.766498], [line[0][0].GetDouble(), line[0][1].GetDouble()]); // Allex
        Assert.Equal([4.897607, 44.720879], [line[1][0].GetDouble(), line[1][1].GetDouble()]); // Grane
        Assert.Equal("Grane", feature.GetProperty("properties").GetProperty("emprunteur").GetString());
        Assert.Equal("Approuvé", feature.GetProperty("properties").GetProperty("etat").GetString());
        Assert.Contains(during.GetProperty("features").EnumerateArray(), f => f.GetProperty("id").GetInt32() == loan.Id);
        Assert.DoesNotContain(after.GetProperty("features").EnumerateArray(), f => f.GetProperty("id").GetInt32() == loan.Id);
    }

    [Fact]
    public async Task Open_maintenance_tasks_are_published_at_their_units()
    {
        site.App.SetToday(new DateOnly(2026, 12, 1));
        await site.App.RunJobAsync<ScheduleDueMaintenance, int>(j => j.RunAsync(CancellationToken.None));

        var items = await ItemsAsync("maintenances");

        var vgp = items.GetProperty("features").EnumerateArray()
            .Where(f => f.GetProperty("properties").GetProperty("intervention").GetString() == "Vérification générale périodique (VGP)")
            .Select(f => f.GetProperty("properties").GetProperty("materiel").GetString()).ToList();
        Assert.Contains("Nacelle sur remorque Niftylift 12 m", vgp);
        Assert.Contains("Nacelle automotrice 10 m", vgp);
    }
}
