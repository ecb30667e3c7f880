using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Services;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Services;

/// <summary>« Imprimer la convention (PDF) »: what the summary says, and who may print it.</summary>
public sealed class ConventionPdfTests(MarketSite site) : IClassFixture<MarketSite>
{
    [Fact]
    public async Task The_summary_prints_the_commune_the_period_the_signatory_and_each_service_at_its_rate_and_minimum()
    {
        // Staff amend Grane's 2027 convention: the summary prints what is stored now.
        await using (var db = site.Database.CreateDb())
        {
            var graneId = await Make.CommuneIdAsync(site.Database, "26144");
            var convention = await db.ServiceConventions.Include(c => c.Lines).SingleAsync(c => c.CommuneId == graneId && c.Year == 2027);
            convention.Update(new DateOnly(2027, 2, 1), new DateOnly(2027, 11, 30), "Mme la maire, Anne Dufour-Réaux", new DateOnly(2027, 1, 18), 0.52m);
            convention.SetService(ServiceKind.ItAssistance, BillingUnit.Hour, 41.5m, 2m);
            convention.RemoveService(ServiceKind.WorksSite);
            await db.SaveChangesAsync();
        }

        var grane = await site.As("mairie-26144");
        using var response = await grane.GetAsync("/services/conventions/2027/26144.pdf");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF", Encoding.ASCII.GetString(bytes, 0, 4));
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(bytes);
        Assert.Equal(1, pdf.NumberOfPages);
        var text = Squeezed(string.Concat(pdf.GetPages().Select(p => p.Text)));
        Assert.Contains(Squeezed("Convention de mise à disposition des services 2027"), text, StringComparison.Ordinal);
        Assert.Contains(Squeezed("Grane (code INSEE 26144)"), text, StringComparison.Ordinal);
        Assert.Contains(Squeezed("du 1er février 2027 au 30 novembre 2027"), text, StringComparison.Ordinal);
        Assert.Contains(Squeezed("Mme la maire, Anne Dufour-Réaux, le 18 janvier 2027"), text, StringComparison.Ordinal);
        Assert.Contains(Squeezed("Secrétariat de mairie itinérant 95,00 € par demi-journée 1 demi-journée"), text, StringComparison.Ordinal);
        Assert.Contains(Squeezed("Assistance informatique 41,50 € par heure 2 heures"), text, StringComparison.Ordinal);
        Assert.Contains(Squeezed(ServiceWords.Name(ServiceKind.Maintenance) + " 32,00 € par heure 1 heure"), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Squeezed(ServiceWords.Name(ServiceKind.WorksSite)), text, StringComparison.Ordinal);
        Assert.Contains(Squeezed("0,52 € par km"), text, StringComparison.Ordinal);
        Assert.Contains("Grane", pdf.Information.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_conventions_page_links_the_summary_for_those_who_may_print_it()
    {
        var grane = await (await (await site.As("mairie-26144")).GetAsync("/services/conventions?annee=2027")).TextAsync();
        var staff = await (await (await site.As("staff")).GetAsync("/services/conventions?annee=2027")).TextAsync();
        var technician = await (await (await site.As("technicien")).GetAsync("/services/conventions?annee=2027")).TextAsync();

        Assert.Contains("<a href=\"/services/conventions/2027/26144.pdf\">Imprimer la convention (PDF)</a>", grane, StringComparison.Ordinal);
        Assert.DoesNotContain("/services/conventions/2027/26165.pdf", grane, StringComparison.Ordinal);
        Assert.Contains("/services/conventions/2027/26165.pdf", staff, StringComparison.Ordinal);
        Assert.DoesNotContain("Imprimer la convention", technician, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, int> Rights => new()
    {
        // 200 the PDF, 302 to sign in, 403 refused (the access-denied page), 404 nothing there, 400 a year out of range.
        { "/services/conventions/2027/26144.pdf", "", 302 },
        { "/services/conventions/2027/26144.pdf", "mairie-26144", 200 },
        { "/services/conventions/2027/26144.pdf", "mairie-26165", 403 },
        { "/services/conventions/2027/26144.pdf", "technicien", 403 },
        { "/services/conventions/2027/26144.pdf", "staff", 200 },
        { "/services/conventions/2027/26144.pdf", "admin", 200 },
        { "/services/conventions/2026/26165.pdf", "mairie-26165", 200 },
        { "/services/conventions/2027/26185.pdf", "staff", 404 },
        { "/services/conventions/2027/26185.pdf", "mairie-26185", 404 },
        { "/services/conventions/2027/99999.pdf", "staff", 404 },
        { "/services/conventions/9999/26144.pdf", "staff", 400 },
        { "/services/conventions/deux/26144.pdf", "mairie-26144", 400 },
    };

    [Theory]
    [MemberData(nameof(Rights))]
    public async Task Who_may_print_a_convention(string route, string user, int expected)
    {
        var client = user.Length == 0 ? site.App.Client() : await site.As(user);

        using var response = await client.GetAsync(route);

        Assert.Equal(expected, Seen(response));
        if (expected == 200)
        {
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>Text without its spaces: PDF text comes out with its own idea of where words part.</summary>
    private static string Squeezed(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static int Seen(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.Redirect when response.Headers.Location!.ToString().Contains("/acces-refuse", StringComparison.Ordinal) => 403,
        HttpStatusCode.Redirect when response.Headers.Location!.ToString().Contains("/connexion", StringComparison.Ordinal) => 302,
        var status => (int)status,
    };
}
