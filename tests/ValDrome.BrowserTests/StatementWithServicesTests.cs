using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Services;
using ValDrome.Jobs;
using ValDrome.Tests.Support;

namespace ValDrome.BrowserTests;

/// <summary>
/// A commune's month in one page (issue 13): what it borrowed, the people it was lent and what it
/// owes, read on the secretary's phone; staff read the month's chart with equipment and services
/// side by side.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class StatementWithServicesTests(BrowserSite site)
{
    private static readonly DateOnly Month = new(2026, 12, 1);

    [Fact]
    public async Task A_commune_reads_its_month_with_equipment_and_services_on_a_phone()
    {
        await BookSecretaryAsync("26144", new DateOnly(2026, 12, 17));
        await Make.LoanAsync(site.Database, "26165-BN-01", "26144", new DateOnly(2026, 12, 21), new DateOnly(2026, 12, 22), LoanStatus.Returned);
        site.App.SetToday(new DateOnly(2027, 1, 4));
        Assert.True(await site.App.RunJobAsync<BuildMonthlyStatements, bool>(j => j.RunForAsync(Month, CancellationToken.None)));

        var phone = await site.NewPageAsync(390, 844);
        await RequestFlowTests.SignInAsync(phone, "mairie-26144");
        await phone.GotoAsync("/decomptes/2026-12/26144");

        var main = await phone.Locator("main").InnerTextAsync();
        Assert.Contains("Grane — décembre 2026", main, StringComparison.Ordinal);
        Assert.Contains("Secrétariat de mairie itinérant", main, StringComparison.Ordinal);
        // French: one half-day, in the singular.
        Assert.Contains("1 demi-journée à", main, StringComparison.Ordinal);
        Assert.Contains("Barnum", main, StringComparison.Ordinal);
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the statement scrolls sideways on a phone");
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "decompte-services-390.png"), FullPage = true });

        var wide = await site.NewPageAsync();
        await RequestFlowTests.SignInAsync(wide, "staff");
        await wide.GotoAsync("/decomptes/2026-12");
        var grane = wide.Locator("figure.balance-chart g.bar[data-insee='26144']");
        await grane.WaitForAsync();
        // Grane pays for both: an equipment bar and a services bar, each drawn to its own length.
        var equipment = await grane.Locator("rect.equipment").GetAttributeAsync("data-amount");
        var services = await grane.Locator("rect.services").GetAttributeAsync("data-amount");
        Assert.True(decimal.Parse(equipment!, System.Globalization.CultureInfo.InvariantCulture) < 0, $"equipment {equipment}");
        Assert.True(decimal.Parse(services!, System.Globalization.CultureInfo.InvariantCulture) < 0, $"services {services}");
        Assert.True(await grane.Locator("rect.services").BoundingBoxAsync() is { Width: > 1 }, "the services bar is drawn");
        await wide.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, "decomptes-services-1280.png"), FullPage = true });
    }

    /// <summary>The itinerant secretary, assigned, for a morning: billed at the slot's time (no time recorded).</summary>
    private async Task BookSecretaryAsync(string insee, DateOnly day)
    {
        await using var db = site.Database.CreateDb();
        var commune = await db.Communes.SingleAsync(c => c.Insee == insee);
        var convention = await db.ServiceConventions.Include(c => c.Lines).SingleAsync(c => c.CommuneId == commune.Id && c.Year == day.Year);
        var slot = new ServiceSlot(day, ServiceDays.MorningStart, ServiceDays.MorningEnd);
        var request = ServiceRequest.Create(commune, ServiceKind.Secretary, convention, [slot], "Remplacement du secrétariat", "Mairie", "Le maire",
            false, Make.AgentOf(commune.Id), ValDromeApp.DefaultNow, new DateOnly(2026, 12, 2), new DateOnly(2028, 6, 1), "le pôle de test",
            await ServiceDays.CalendarAsync(db, day, day));
        db.ServiceRequests.Add(request);
        request.AssignTo(await db.ServiceAgents.SingleAsync(a => a.Name == "Claire Martin"),
            new Actor("test-staff", "Service de test", null, new HashSet<string> { Roles.Staff }), ValDromeApp.DefaultNow);
        Assert.Equal(ServiceSaveOutcome.Saved, await ServiceStore.TrySaveAsync(db));
    }
}
