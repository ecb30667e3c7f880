using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Pages;

/// <summary>The mairie's opening hours (the technician's time windows) on the commune's page.</summary>
public sealed class OpeningHoursTests(MarketSite site) : IClassFixture<MarketSite>
{
    private const string Url = "/communes/26144"; // Grane
    private const string PostUrl = Url + "?handler=Horaires";

    [Fact]
    public async Task The_communes_agent_changes_its_hours_and_the_page_shows_them()
    {
        var client = await site.As("mairie-26144");

        using var response = await client.SubmitAsync(Url, new() { ["Horaires"] = "13h30-17h 9h-12h" }, PostUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("09:00-12:00 13:30-17:00", await HoursAsync("26144"));
        var page = await (await client.GetAsync(Url)).TextAsync();
        Assert.Contains("Horaires de la mairie enregistrés : 09:00-12:00 13:30-17:00.", page);
        Assert.Contains("09:00-12:00 et 13:30-17:00", page);
    }

    [Theory]
    [InlineData("9h-12h 13h30-17h", "09:00-12:00 13:30-17:00")]
    [InlineData("13:30-17:00, 08:30-12:00", "08:30-12:00 13:30-17:00")]
    [InlineData("8h15-11h45", "08:15-11:45")]
    public void Hours_are_read_as_people_type_them(string typed, string kept) =>
        Assert.Equal(kept, ValDrome.Domain.Transport.OpeningHours.Parse(typed).ToString());

    [Theory]
    [InlineData("12h-9h")]
    [InlineData("9h")]
    [InlineData("25:00-26:00")]
    [InlineData("h-12h")]
    public void Impossible_hours_are_refused(string typed) =>
        Assert.False(ValDrome.Domain.Transport.OpeningHours.TryParse(typed, out _, out _));

    [Fact]
    public async Task Bad_hours_get_a_french_message_and_nothing_is_written()
    {
        var client = await site.As("mairie-26144");
        var before = await HoursAsync("26144");

        using var overlapping = await client.SubmitAsync(Url, new() { ["Horaires"] = "08:00-12:00 11:00-15:00" }, PostUrl);
        using var garbled = await client.SubmitAsync(Url, new() { ["Horaires"] = "le matin" }, PostUrl);
        using var empty = await client.SubmitAsync(Url, new() { ["Horaires"] = "" }, PostUrl);

        Assert.Equal(HttpStatusCode.BadRequest, overlapping.StatusCode);
        Assert.Contains("Les plages horaires se chevauchent.", await overlapping.TextAsync());
        Assert.Equal(HttpStatusCode.BadRequest, garbled.StatusCode);
        Assert.Contains("« le » n'est pas une plage horaire valable (par exemple 08:30-12:00).", await garbled.TextAsync());
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("Indiquez au moins une plage horaire", await empty.TextAsync());
        Assert.Equal(before, await HoursAsync("26144"));
    }

    [Fact]
    public async Task Another_communes_agent_and_the_technician_are_refused_staff_may_change_them()
    {
        var before = await HoursAsync("26144");
        // Each signs in and takes a valid antiforgery token from a page where they have a form,
        // then posts to Grane's page: a tampered request.
        var neighbour = await site.As("mairie-26006");
        var technician = await site.As("technicien");
        var staff = await site.As("staff");

        using var fromNeighbour = await neighbour.SubmitAsync("/communes/26006", new() { ["Horaires"] = "10:00-11:00" }, PostUrl);
        using var fromTechnician = await technician.SubmitAsync("/tournees", new() { ["Horaires"] = "10:00-11:00" }, PostUrl);

        // Refused as everywhere on the site: to the French « accès refusé » page (403).
        Assert.Equal(HttpStatusCode.Redirect, fromNeighbour.StatusCode);
        Assert.StartsWith("/acces-refuse", fromNeighbour.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, fromTechnician.StatusCode);
        Assert.StartsWith("/acces-refuse", fromTechnician.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(before, await HoursAsync("26144"));
        Assert.DoesNotContain("id=\"horaires\"", await (await neighbour.GetAsync(Url)).TextAsync());
        Assert.DoesNotContain("id=\"horaires\"", await (await site.App.Client().GetAsync(Url)).TextAsync());

        using var fromStaff = await staff.SubmitAsync(Url, new() { ["Horaires"] = "08:00-12:00" }, PostUrl);
        Assert.Equal(HttpStatusCode.Redirect, fromStaff.StatusCode);
        Assert.Equal("08:00-12:00", await HoursAsync("26144"));
        await using var db = site.Database.CreateDb();
        await db.Communes.Where(c => c.Insee == "26144").ExecuteUpdateAsync(s => s.SetProperty(c => c.OpeningHours, before));
    }

    [Fact]
    public async Task An_unknown_commune_answers_404_to_its_form_too()
    {
        var staff = await site.As("staff");

        using var response = await staff.SubmitAsync(Url, new() { ["Horaires"] = "08:00-12:00" }, "/communes/99999?handler=Horaires");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<string> HoursAsync(string insee)
    {
        await using var db = site.Database.CreateDb();
        return await db.Communes.Where(c => c.Insee == insee).Select(c => c.OpeningHours).SingleAsync();
    }
}
