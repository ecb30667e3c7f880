using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Communes;

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
        Assert.Contains("Horaires de la mairie enregistrés : du lundi au vendredi : 9 h – 12 h, 13 h 30 – 17 h.", page);
        Assert.Contains("<dd>du lundi au vendredi : 9 h – 12 h, 13 h 30 – 17 h<br />", page);
    }

    [Theory]
    [InlineData("9h-12h 13h30-17h", "09:00-12:00 13:30-17:00", "du lundi au vendredi : 9 h – 12 h, 13 h 30 – 17 h")]
    [InlineData("13:30-17:00, 08:30-12:00", "08:30-12:00 13:30-17:00", "du lundi au vendredi : 8 h 30 – 12 h, 13 h 30 – 17 h")]
    [InlineData("8h15-11h45", "08:15-11:45", "du lundi au vendredi : 8 h 15 – 11 h 45")]
    [InlineData("lun.-ven. 8h30-12h", "08:30-12:00", "du lundi au vendredi : 8 h 30 – 12 h")]
    [InlineData("mardi et jeudi 9h-12h, 14h-17h", "mar,jeu 09:00-12:00 14:00-17:00", "mardi et jeudi : 9 h – 12 h, 14 h – 17 h")]
    [InlineData("mardi et jeudi 8h30-12h, 14h-17h", "mar,jeu 08:30-12:00 14:00-17:00", "mardi et jeudi : 8 h 30 – 12 h, 14 h – 17 h")]
    [InlineData("fermé le mercredi", "lun-mar,jeu-ven 08:30-12:00 13:30-17:00", "lundi, mardi, jeudi et vendredi : 8 h 30 – 12 h, 13 h 30 – 17 h")]
    [InlineData("8h30-12h, fermé le mercredi", "lun-mar,jeu-ven 08:30-12:00", "lundi, mardi, jeudi et vendredi : 8 h 30 – 12 h")]
    [InlineData("du lundi au vendredi 8h30 - 12h et 13h30 - 17h30", "08:30-12:00 13:30-17:30", "du lundi au vendredi : 8 h 30 – 12 h, 13 h 30 – 17 h 30")]
    [InlineData("lundi, mardi 9h-12h ; jeudi 14h-18h", "lun-mar 09:00-12:00; jeu 14:00-18:00", "lundi et mardi : 9 h – 12 h ; jeudi : 14 h – 18 h")]
    [InlineData("8h30 - 12h et 13h30 - 17h30", "08:30-12:00 13:30-17:30", "du lundi au vendredi : 8 h 30 – 12 h, 13 h 30 – 17 h 30")]
    [InlineData("Du Lundi au Mercredi de 9 h à 12 h ; samedi 9h-11h30", "lun-mer 09:00-12:00; sam 09:00-11:30", "du lundi au mercredi : 9 h – 12 h ; samedi : 9 h – 11 h 30")]
    public void Hours_are_read_as_people_type_them_and_shown_in_french(string typed, string kept, string french)
    {
        var hours = ValDrome.Domain.Transport.OpeningHours.Parse(typed);

        Assert.Equal(kept, hours.ToString());
        Assert.Equal(french, hours.ToFrench().Replace('\u00a0', ' '));
        // What is stored and what is shown both read back the same.
        Assert.Equal(kept, ValDrome.Domain.Transport.OpeningHours.Parse(kept).ToString());
        Assert.Equal(kept, ValDrome.Domain.Transport.OpeningHours.Parse(hours.ToFrench()).ToString());
    }

    [Fact]
    public void Days_a_mairie_does_not_open_have_no_range()
    {
        var hours = ValDrome.Domain.Transport.OpeningHours.Parse("mardi et jeudi 9h-12h, 14h-17h");

        Assert.False(hours.IsOpenOn(DayOfWeek.Monday));
        Assert.False(hours.IsOpenOn(DayOfWeek.Saturday));
        Assert.Equal([(new TimeOnly(9, 0), new TimeOnly(12, 0)), (new TimeOnly(14, 0), new TimeOnly(17, 0))], hours.On(DayOfWeek.Thursday));
    }

    [Theory]
    [InlineData("le matin", "« matin » n'est ni un jour ni une heure")]
    [InlineData("8h30 - 12h et 13h30 - 17h30 le samdi", "« samdi » n'est ni un jour ni une heure")]
    [InlineData("mardi 9h", "« 9h » : il manque l'heure de fermeture")]
    [InlineData("mardi 9h 12h", "« 9h 12h » n'est pas une plage horaire")]
    [InlineData("12h-9h", "« 12h-9h » : l'heure de fermeture doit venir après celle d'ouverture.")]
    [InlineData("mardi ; jeudi 9h-12h", "Indiquez les heures d'ouverture du mardi")]
    [InlineData("08:00-12:00 11:00-15:00", "Les plages horaires se chevauchent le lundi (8 h – 12 h et 11 h – 15 h).")]
    [InlineData("fermé du lundi au dimanche", "Ces horaires ferment la mairie tous les jours")]
    [InlineData("25:00-26:00", "« 25:00 » n'est ni un jour ni une heure")]
    public void A_faulty_word_is_named_in_french(string typed, string message)
    {
        Assert.False(ValDrome.Domain.Transport.OpeningHours.TryParse(typed, out _, out var error));
        Assert.Contains(message, error!.Replace('\u00a0', ' '), StringComparison.Ordinal);
    }

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
        Assert.Contains("Les plages horaires se chevauchent le lundi", await overlapping.TextAsync());
        Assert.Equal(HttpStatusCode.BadRequest, garbled.StatusCode);
        Assert.Contains("« matin » n'est ni un jour ni une heure", await garbled.TextAsync());
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
