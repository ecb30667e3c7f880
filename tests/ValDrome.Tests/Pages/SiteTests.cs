using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Seed;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Pages;

[Collection(SharedReadOnlySeededSite.Name)]
public sealed class SiteTests(ReadOnlySeededSite site)
{
    private readonly HttpClient _client = site.App.CreateClient();

    private async Task<string> GetPageAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await _client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{url}: {(int)response.StatusCode} instead of {(int)expected}");
        if (response.Content.Headers.ContentType?.MediaType == "text/html")
        {
            Assert.Contains("<html lang=\"fr\">", body);
        }

        // French formats use no-break spaces ("1 431", "110,00 €"): compare with plain ones.
        return WebUtility.HtmlDecode(body).Replace('\u00a0', ' ').Replace('\u202f', ' ');
    }

    [Fact]
    public async Task Home_page_presents_the_service_with_live_figures()
    {
        var html = await GetPageAsync("/");

        Assert.Contains("Le matériel des communes du Val de Drôme, partagé", html);
        Assert.Contains($"<strong>{DevelopmentSeed.UnitCount}</strong><span>matériels au catalogue</span>", html);
        Assert.Contains("href=\"/carte\"", html);
        Assert.Contains("href=\"/materiel\"", html);
    }

    [Fact]
    public async Task Map_page_loads_leaflet_from_the_site_itself()
    {
        var html = await GetPageAsync("/carte");

        Assert.Contains("id=\"map\"", html);
        // Leaflet, its cluster plug-in and map.js as one script named by its content (ADR 31).
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"(/carte/carte\\.[0-9a-f]{12}\\.js)\"");
        Assert.True(script.Success, "no map script from the site");
        Assert.DoesNotContain("unpkg.com", html);
        Assert.DoesNotContain("cdn", html, StringComparison.OrdinalIgnoreCase);
        using var leaflet = await _client.GetAsync(script.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, leaflet.StatusCode);
        var text = await leaflet.Content.ReadAsStringAsync();
        Assert.Contains("1.9.4", text);
        Assert.Contains("markerClusterGroup", text);
        Assert.Contains("data-communes-inline", text);
    }

    [Fact]
    public async Task Communes_layer_is_geojson_with_the_36_communes()
    {
        using var response = await _client.GetAsync("/carte/communes.geojson");
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var features = json.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(36, features.Count);
        var eurre = features.Single(f => f.GetProperty("properties").GetProperty("insee").GetString() == "26125");
        Assert.Equal("Eurre", eurre.GetProperty("properties").GetProperty("nom").GetString());
        Assert.Equal(1431, eurre.GetProperty("properties").GetProperty("population").GetInt32());
        Assert.Equal("MultiPolygon", eurre.GetProperty("geometry").GetProperty("type").GetString());
        var firstPosition = eurre.GetProperty("geometry").GetProperty("coordinates")[0][0][0];
        Assert.InRange(firstPosition[0].GetDouble(), 4.75, 5.3); // longitude first (WGS84 lon/lat)
        Assert.InRange(firstPosition[1].GetDouble(), 44.4, 44.95);

        await using var db = site.Database.CreateDb();
        var owned = await db.EquipmentUnits.CountAsync(u => u.OwnerCommune!.Insee == "26165");
        var livron = features.Single(f => f.GetProperty("properties").GetProperty("insee").GetString() == "26165");
        Assert.Equal(owned, livron.GetProperty("properties").GetProperty("materiels").GetInt32());
    }

    [Fact]
    public async Task Units_layer_has_every_unit_with_its_popup_fields()
    {
        using var response = await _client.GetAsync("/carte/materiel.geojson");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var features = json.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(DevelopmentSeed.UnitCount, features.Count);
        var miniPelle = features.Single(f => f.GetProperty("properties").GetProperty("nom").GetString() == "Mini-pelle Kubota KX019-4");
        var properties = miniPelle.GetProperty("properties");
        Assert.Equal("Mini-pelle", properties.GetProperty("categorie").GetString());
        Assert.Equal("Communauté de communes", properties.GetProperty("proprietaire").GetString());
        Assert.Equal("En service", properties.GetProperty("statut").GetString());
        Assert.Equal($"/materiel/{miniPelle.GetProperty("id").GetInt32()}", properties.GetProperty("url").GetString());
        Assert.Equal("Point", miniPelle.GetProperty("geometry").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Catalogue_lists_every_unit_fifty_a_page()
    {
        var first = await GetPageAsync("/materiel");
        var second = await GetPageAsync("/materiel?p=2");

        Assert.Contains($"{DevelopmentSeed.UnitCount} matériels", first);
        Assert.Contains("Page 1 sur 2", first);
        Assert.Contains("Page 2 sur 2", second);
        var rows = Rows(first).Concat(Rows(second)).ToList();
        Assert.Equal(DevelopmentSeed.UnitCount, rows.Count);
        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.Equal(50, Rows(first).Count());
        Assert.Contains("Tractopelle JCB 3CX", second);

        static IEnumerable<string> Rows(string html) =>
            System.Text.RegularExpressions.Regex.Matches(html, "<td class=\"unit-cell\">.*?<a href=\"/materiel/(\\d+)").Select(m => m.Groups[1].Value);
    }

    [Fact]
    public async Task Catalogue_refuses_a_page_number_below_one()
    {
        var html = await GetPageAsync("/materiel?p=0", HttpStatusCode.BadRequest);

        Assert.Contains("Le numéro de page doit être supérieur ou égal à 1.", html);
    }

    [Fact]
    public async Task Catalogue_filters_by_category()
    {
        var html = await GetPageAsync("/materiel?categorie=mini-pelle");

        Assert.Contains("4 matériels", html);
        Assert.Contains("Mini-pelle Kubota KX019-4", html);
        Assert.Contains("Micro-pelle Kubota U10", html);
        Assert.DoesNotContain("Tractopelle JCB 3CX", html);
    }

    [Fact]
    public async Task Catalogue_filters_by_owning_commune_and_by_the_community()
    {
        var livron = await GetPageAsync("/materiel?proprietaire=26165");
        var community = await GetPageAsync("/materiel?proprietaire=communaute");

        Assert.Contains("6 matériels", livron);
        Assert.Contains("Tractopelle Case 580ST", livron);
        Assert.DoesNotContain("Tractopelle JCB 3CX", livron);
        Assert.Contains("12 matériels", community);
        Assert.Contains("Tractopelle JCB 3CX", community);
    }

    [Fact]
    public async Task Catalogue_text_search_ignores_accents_and_case()
    {
        var html = await GetPageAsync("/materiel?q=BARRIERES");

        Assert.Contains("5 matériels", html);
        Assert.Contains("Barrières de police (lot de 20)", html);
    }

    [Fact]
    public async Task Catalogue_combines_filters()
    {
        var html = await GetPageAsync("/materiel?categorie=barnum&proprietaire=26165&q=n%C2%B02");

        Assert.Contains("1 matériel", html);
        Assert.Contains("Barnum 3 × 6 m n°2", html);
    }

    [Fact]
    public async Task Catalogue_refuses_a_page_number_that_is_not_a_number_in_french()
    {
        var html = await GetPageAsync("/materiel?p=deux", HttpStatusCode.BadRequest);

        Assert.Contains("La valeur « deux » n'est pas valable pour « numéro de page ».", html);
    }

    [Fact]
    public async Task Catalogue_refuses_an_unknown_category_in_french()
    {
        var html = await GetPageAsync("/materiel?categorie=fusee", HttpStatusCode.BadRequest);

        Assert.Contains("La catégorie « fusee » n'existe pas", html);
    }

    [Fact]
    public async Task Catalogue_refuses_an_unknown_owner_in_french()
    {
        var html = await GetPageAsync("/materiel?proprietaire=75056", HttpStatusCode.BadRequest);

        Assert.Contains("Le propriétaire « 75056 » est inconnu", html);
    }

    [Fact]
    public async Task Unit_page_shows_details_owner_location_and_status()
    {
        await using var db = site.Database.CreateDb();
        var id = await db.EquipmentUnits.Where(u => u.InventoryCode == "26006-MP-01").Select(u => u.Id).SingleAsync();

        var html = await GetPageAsync($"/materiel/{id}");

        Assert.Contains("<h1>Mini-pelle Takeuchi TB216</h1>", html);
        Assert.Contains("<a href=\"/communes/26006\">Allex</a>", html);
        Assert.Contains("En service", html);
        Assert.Contains("CACES R482 cat. A", html);
        Assert.Contains("110,00 € par jour", html);
        Assert.Contains("class=\"minimap\" data-geojson=\"{\"type\":\"Point\",\"coordinates\":[4.915189,44.766498]}\"", html);
    }

    [Fact]
    public async Task Community_unit_page_names_the_Eurre_depot()
    {
        await using var db = site.Database.CreateDb();
        var id = await db.EquipmentUnits.Where(u => u.InventoryCode == "CCVD-TP-01").Select(u => u.Id).SingleAsync();

        var html = await GetPageAsync($"/materiel/{id}");

        Assert.Contains("Communauté de communes", html);
        Assert.Contains("Atelier communautaire de l'Écosite, 96 ronde des Alisiers, 26400 Eurre", html);
    }

    [Fact]
    public async Task Communes_page_lists_the_36_communes()
    {
        var html = await GetPageAsync("/communes");

        Assert.Contains("36 communes", html);
        Assert.Equal(36, html.Split("<a href=\"/communes/26").Length - 1);
        Assert.Contains("Félines-sur-Rimandoule", html);
    }

    [Fact]
    public async Task Commune_page_shows_boundary_population_and_units()
    {
        var html = await GetPageAsync("/communes/26165");

        Assert.Contains("<h1>Livron-sur-Drôme</h1>", html);
        Assert.Contains("9 329 habitants", html);
        Assert.Contains("Tractopelle Case 580ST", html);
        Assert.Contains("data-geojson=\"{\"type\":\"MultiPolygon\"", html);
    }

    [Theory]
    [InlineData("/materiel/999999")]
    [InlineData("/materiel/pelle")]
    [InlineData("/communes/99999")]
    [InlineData("/nulle-part")]
    public async Task Unknown_ids_answer_a_french_404_page(string url)
    {
        var html = await GetPageAsync(url, HttpStatusCode.NotFound);

        Assert.Contains("Page introuvable", html);
    }
}
