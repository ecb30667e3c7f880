using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Maintenance;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Loans;

/// <summary>
/// Issue 12: a unit whose inspection is past its date is not lent, from its plans at the moment
/// of the request, before the night job has blocked it (ADR 18). The seed's VGP of CCVD-NA-01
/// falls due on 13 December 2026.
/// </summary>
public sealed class LateInspectionTests(MarketSite site) : IClassFixture<MarketSite>
{
    private static readonly DateOnly DueOn = new(2026, 12, 13);
    private static readonly DateOnly First = new(2027, 1, 12);
    private const string LateUnit = "Nacelle sur remorque Niftylift 12 m";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(1, "en retard de 1 jour")]
    [InlineData(8, "en retard de 8 jours")]
    public void Lateness_is_said_in_french_singular_and_plural(int days, string said) =>
        Assert.Equal(said, Inspections.Lateness(DueOn, DueOn.AddDays(days)));

    [Fact]
    public async Task A_unit_eight_days_late_is_neither_proposed_nor_lent_without_the_night_job()
    {
        var unitId = await Make.UnitIdAsync(site.Database, "CCVD-NA-01");
        var client = await site.As("mairie-26144");
        var url = $"/prets/demander?categorie=nacelle&du={Day(First)}&au={Day(First.AddDays(1))}&usage=Essai";
        site.App.SetToday(DueOn);
        Assert.Contains(LateUnit, await (await client.GetAsync(url)).TextAsync());

        site.App.SetToday(DueOn.AddDays(8));
        var proposals = await (await client.GetAsync(url)).TextAsync();
        using var request = await client.SubmitAsync(url, new()
        {
            ["UnitId"] = unitId.ToString(CultureInfo.InvariantCulture), ["du"] = Day(First), ["au"] = Day(First.AddDays(1)), ["usage"] = "Élagage",
        }, "/prets/demander");

        Assert.DoesNotContain(LateUnit, proposals);
        Assert.Equal(HttpStatusCode.BadRequest, request.StatusCode);
        Assert.Contains("Ce matériel ne peut pas être prêté : Vérification générale périodique (VGP) en retard de 8 jours (prévue le 13/12/2026)", await request.TextAsync());
        await using var db = site.Database.CreateDb();
        Assert.False(await db.Loans.AnyAsync(l => l.UnitId == unitId));
        // The night job has not run: the unit's own status still says it is in service.
        Assert.Equal(Domain.Equipment.UnitStatus.InService, await db.EquipmentUnits.Where(u => u.Id == unitId).Select(u => u.Status).SingleAsync());
    }

    [Fact]
    public async Task The_availability_query_follows_the_inspection_plan_on_the_day_asked()
    {
        await using var db = site.Database.CreateDb();
        var unitId = await Make.UnitIdAsync(site.Database, "CCVD-NA-01");
        var category = await db.EquipmentUnits.Where(u => u.Id == unitId).Select(u => u.CategoryId).SingleAsync();
        AvailabilityQuery On(DateOnly today) => new(category, 5.0, 44.75, First.AddDays(14), First.AddDays(15), null, 1_000_000, 10, unitId, today);

        Assert.Single(await NearestAvailable.FindAsync(db, On(DueOn)));
        Assert.Empty(await NearestAvailable.FindAsync(db, On(DueOn.AddDays(1))));
    }

    [Fact]
    public async Task The_catalogue_the_unit_and_the_workshop_say_how_late_it_is()
    {
        var unitId = await Make.UnitIdAsync(site.Database, "CCVD-NA-01");
        site.App.SetToday(DueOn.AddDays(8));

        var catalogue = await (await site.App.Client().GetAsync("/materiel?categorie=nacelle")).TextAsync();
        var unit = await (await site.App.Client().GetAsync($"/materiel/{unitId}")).TextAsync();
        var workshop = await (await (await site.As("staff")).GetAsync("/maintenance")).TextAsync();

        Assert.Contains("Vérification en retard de 8 jours", catalogue);
        Assert.Contains("Prêt impossible</span> — Vérification générale périodique (VGP) en retard de 8 jours", unit);
        Assert.DoesNotContain("Demander ce matériel", unit);
        Assert.Contains("13/12/2026, en retard de 8 jours : prêt impossible", workshop);
    }
}
