using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Notices;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Equipment;

/// <summary>Issue 11: « Signaler une panne » on a unit's page: who may, what is written, the owner's notice, and what the owner does with it.</summary>
public sealed class FaultReportTests(MarketSite site) : IClassFixture<MarketSite>
{
    private const string Saved = "saved";
    private const string Refused = "refused";
    private const string SignIn = "sign-in";

    /// <summary>A visitor's post: the page offers a visitor no form, so it carries no antiforgery token and is refused before the handler.</summary>
    private const string Anonymous = "400 ";

    private static string Outcome(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.Redirect when location.Contains("/connexion", StringComparison.Ordinal) => SignIn,
            HttpStatusCode.Redirect when location.Contains("/acces-refuse", StringComparison.Ordinal) => Refused,
            HttpStatusCode.Redirect when location.StartsWith("/materiel", StringComparison.Ordinal) => Saved,
            _ => $"{(int)response.StatusCode} {location}",
        };
    }

    private async Task<HttpResponseMessage> ReportAsync(string? user, int unitId, string description, byte[]? photo = null)
    {
        var client = user is null ? site.App.Client() : await site.As(user);
        return await PhotoUploads.PostAsync(client, $"/materiel/{unitId}", $"/materiel/{unitId}?handler=Fault",
            new() { ["Description"] = description }, photo);
    }

    private async Task<int> ReportCountAsync(int unitId)
    {
        await using var db = site.Database.CreateDb();
        return await db.FaultReports.CountAsync(r => r.UnitId == unitId);
    }

    [Theory]
    [InlineData("mairie-26144", Saved)] // the owner commune's agent
    [InlineData("mairie-26185", Refused)] // another commune's agent, not holding it
    [InlineData("staff", Saved)] // staff and the technician carry and service the units
    [InlineData("technicien", Saved)]
    [InlineData("admin", Saved)]
    [InlineData(null, Anonymous)]
    public async Task Who_may_report_a_fault_on_a_commune_s_unit(string? user, string expected)
    {
        var unitId = await Make.UnitIdAsync(site.Database, "26144-PV-01");
        var before = await ReportCountAsync(unitId);

        using var response = await ReportAsync(user, unitId, $"Le moteur ne démarre plus ({user ?? "anonyme"}).");

        Assert.Equal(expected, Outcome(response));
        Assert.Equal(before + (expected == Saved ? 1 : 0), await ReportCountAsync(unitId));
    }

    [Fact]
    public async Task The_borrower_holding_the_unit_reports_a_fault_with_a_photo_and_the_owner_is_told()
    {
        var week = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26166-RE-01", "26185", week, week.AddDays(2), LoanStatus.Delivered);
        var unitId = loan.UnitId;

        using var response = await ReportAsync("mairie-26185", unitId, "Le timon est tordu après un choc.", PhotoUploads.PhoneJpegWithGps());

        Assert.Equal(Saved, Outcome(response));
        await using var db = site.Database.CreateDb();
        var report = await db.FaultReports.SingleAsync(r => r.UnitId == unitId);
        var borrower = await Make.CommuneIdAsync(site.Database, "26185");
        var owner = await Make.CommuneIdAsync(site.Database, "26166");
        Assert.Equal(("Le timon est tordu après un choc.", "mairie-26185", borrower), (report.Description, report.ReportedBy, report.ReporterCommuneId));
        Assert.Equal(ValDromeApp.DefaultNow, report.ReportedAt);
        var photo = await db.UnitPhotos.SingleAsync(p => p.FaultReportId == report.Id);
        Assert.Null(new ImageMagick.MagickImage(photo.Large).GetExifProfile());
        var notice = await db.Notices.SingleAsync(n => n.FaultReportId == report.Id);
        Assert.Equal((NoticeKind.FaultReported, (int?)owner, (int?)null), (notice.Kind, notice.CommuneId, notice.LoanId));

        // The photo is not in the gallery, and only those who see the report see it.
        using var page = await site.App.Client().GetAsync($"/materiel/{unitId}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain($"/photos/{photo.Id}/", html, StringComparison.Ordinal);
        Assert.DoesNotContain("timon est tordu", html, StringComparison.Ordinal);
        var url = $"/materiel/{unitId}/photos/{photo.Id}/grande?v={photo.Hash}";
        Assert.Equal(HttpStatusCode.NotFound, (await site.App.Client().GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await site.As("mairie-26144")).GetAsync(url)).StatusCode);
        using var ownerView = await (await site.As("mairie-26166")).GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, ownerView.StatusCode);
        Assert.True(ownerView.Headers.CacheControl!.Private);
        Assert.False(ownerView.Headers.CacheControl.Public);
        using var ownerPage = await (await site.As("mairie-26166")).GetAsync($"/materiel/{unitId}");
        Assert.Contains("Le timon est tordu après un choc.", await ownerPage.TextAsync(), StringComparison.Ordinal);

        // The mail goes to the owner commune's agents, with the unit's link.
        await site.App.SendNoticesAsync();
        var mails = Directory.GetFiles(site.App.MailFolder, "*.eml").Select(File.ReadAllText).Where(m => m.Contains("timon", StringComparison.Ordinal)).ToList();
        var mail = Assert.Single(mails);
        Assert.Contains($"/materiel/{unitId}", mail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_with_bytes_that_are_no_photo_is_refused_in_French_and_nothing_is_written()
    {
        var unitId = await Make.UnitIdAsync(site.Database, "26144-BP-01");
        var before = await ReportCountAsync(unitId);
        await using var db = site.Database.CreateDb();
        var notices = await db.Notices.CountAsync();

        using var response = await ReportAsync("mairie-26144", unitId, "Deux barrières cassées.", "pas une image"u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("n'est pas une photo lisible", await response.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await ReportCountAsync(unitId));
        Assert.Equal(notices, await db.Notices.CountAsync());
        Assert.False(await db.UnitPhotos.AnyAsync(p => p.UnitId == unitId && p.FaultReportId != null));
    }

    [Theory]
    [InlineData("mairie-26185", "26165-BN-01", Refused)] // another commune's agent
    [InlineData("technicien", "26165-BP-02", Refused)]
    [InlineData("staff", "26006-TB-01", Refused)] // a commune's unit is the commune's to deal with
    [InlineData(null, "26006-SO-01", Anonymous)]
    [InlineData("mairie-26165", "26165-TB-01", Saved)] // the owner
    [InlineData("admin", "26208-TB-01", Saved)]
    public async Task The_owner_puts_the_unit_out_of_service_from_a_report(string? user, string unitCode, string expected)
    {
        var status = expected == Saved ? UnitStatus.InMaintenance : UnitStatus.InService;
        var unitId = await Make.UnitIdAsync(site.Database, unitCode);
        (await ReportAsync("admin", unitId, $"Pneu crevé ({user})")).Dispose();
        await using var db = site.Database.CreateDb();
        var reportId = await db.FaultReports.Where(r => r.UnitId == unitId).OrderByDescending(r => r.Id).Select(r => r.Id).FirstAsync();
        var client = user is null ? site.App.Client() : await site.As(user);

        using var response = await PhotoUploads.PostAsync(client, "/materiel", $"/materiel/{unitId}?handler=OutOfService",
            new() { ["ReportId"] = reportId.ToString(CultureInfo.InvariantCulture) }, null);

        Assert.Equal(expected, Outcome(response));
        var unit = await db.EquipmentUnits.AsNoTracking().SingleAsync(u => u.Id == unitId);
        Assert.Equal(status, unit.Status);
        if (status == UnitStatus.InMaintenance)
        {
            Assert.StartsWith("En panne depuis le 01/12/2026 : Pneu crevé", unit.StatusReason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Of_two_closings_of_the_same_report_one_wins_and_the_other_gets_a_409()
    {
        var unitId = await Make.UnitIdAsync(site.Database, "26144-BR-01");
        (await ReportAsync("mairie-26144", unitId, "Courroie à changer.")).Dispose();
        await using var db = site.Database.CreateDb();
        var reportId = await db.FaultReports.Where(r => r.UnitId == unitId).OrderByDescending(r => r.Id).Select(r => r.Id).FirstAsync();
        var fields = new Dictionary<string, string> { ["ReportId"] = reportId.ToString(CultureInfo.InvariantCulture) };

        var responses = await Task.WhenAll(
            PhotoUploads.PostAsync(await site.As("mairie-26144"), "/materiel", $"/materiel/{unitId}?handler=CloseReport", fields, null),
            PhotoUploads.PostAsync(await site.As("admin"), "/materiel", $"/materiel/{unitId}?handler=CloseReport", fields, null));

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order().ToList());
        var report = await db.FaultReports.AsNoTracking().SingleAsync(r => r.Id == reportId);
        Assert.NotNull(report.ClosedAt);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
