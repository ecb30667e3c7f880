using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Seed;

namespace ValDrome.Tests.Ogc;

/// <summary>
/// The abstract tests of OGC API – Features Part 1 (the ETS's /ats/core/…, with the GeoJSON and
/// HTML classes) and Part 2 (/ats/crs/…), over HTTP against the seeded site.
/// </summary>
[Collection(SharedGisSite.Name)]
public sealed class OgcConformanceTests(GisSite site) : IDisposable
{
    private const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    private const string Epsg4326 = "http://www.opengis.net/def/crs/EPSG/0/4326";
    private const string Lambert93 = "http://www.opengis.net/def/crs/EPSG/0/2154";

    // Loans and maintenance are listed only to those who may read them (GisAccessTests).
    private static readonly string[] Collections = ["communes", "equipements", "depots", "flux", "territoire"];

    private readonly HttpClient _client = site.CreateClient();

    public void Dispose() => _client.Dispose();

    private async Task<(HttpResponseMessage Response, JsonElement Json)> GetJsonAsync(string url, string accept = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return (response, document.RootElement.Clone());
    }

    private async Task<JsonElement> GetProblemAsync(string url, HttpStatusCode expected)
    {
        using var response = await _client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{url}: {(int)response.StatusCode} instead of {(int)expected}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var problem = document.RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    private static IEnumerable<JsonElement> Links(JsonElement document, string rel) =>
        document.GetProperty("links").EnumerateArray().Where(l => l.GetProperty("rel").GetString() == rel);

    private static string Href(JsonElement document, string rel, string? type = null) =>
        Links(document, rel).First(l => type is null || l.GetProperty("type").GetString() == type).GetProperty("href").GetString()!;

    // --- /ats/core/root-op, root-success ---------------------------------------------------------

    [Fact]
    public async Task Landing_page_links_to_the_api_definition_its_documentation_the_conformance_and_the_collections()
    {
        var (response, landing) = await GetJsonAsync("/ogc");

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(landing.GetProperty("title").GetString()));
        Assert.Single(Links(landing, "self"));
        Assert.Equal("application/vnd.oai.openapi+json;version=3.0", Links(landing, "service-desc").Single().GetProperty("type").GetString());
        Assert.Equal("text/html", Links(landing, "service-doc").Single().GetProperty("type").GetString());
        Assert.EndsWith("/ogc/conformance", Href(landing, "conformance"));
        Assert.EndsWith("/ogc/collections", Href(landing, "data"));
        Assert.All(landing.GetProperty("links").EnumerateArray(), link =>
        {
            Assert.True(Uri.IsWellFormedUriString(link.GetProperty("href").GetString(), UriKind.Absolute));
            Assert.False(string.IsNullOrEmpty(link.GetProperty("type").GetString()));
        });
        foreach (var link in landing.GetProperty("links").EnumerateArray())
        {
            using var followed = await _client.GetAsync(link.GetProperty("href").GetString());
            Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
        }
    }

    // --- /ats/core/conformance-op, conformance-success -------------------------------------------

    [Fact]
    public async Task Conformance_declares_core_geojson_html_oas30_and_part_2_crs()
    {
        var (_, conformance) = await GetJsonAsync("/ogc/conformance");

        var classes = conformance.GetProperty("conformsTo").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs", classes);
    }

    // --- /ats/core/fc-md-op, fc-md-success, fc-md-links, fc-md-items, fc-md-extent; /ats/crs/fc-md-crs-list ---

    [Fact]
    public async Task Collections_describe_each_layer_with_links_extent_and_crs_list()
    {
        var (_, document) = await GetJsonAsync("/ogc/collections");

        Assert.Single(Links(document, "self"));
        var collections = document.GetProperty("collections").EnumerateArray().ToList();
        Assert.Equal(Collections, collections.Select(c => c.GetProperty("id").GetString()));
        foreach (var collection in collections)
        {
            Assert.Contains(Links(collection, "items"), l => l.GetProperty("type").GetString() == "application/geo+json");
            Assert.Contains(Links(collection, "items"), l => l.GetProperty("type").GetString() == "text/html");
            Assert.Equal("feature", collection.GetProperty("itemType").GetString());
            // An empty layer (no loan under way in this database) has no spatial extent to give.
            var id = collection.GetProperty("id").GetString();
            if (collection.GetProperty("extent").TryGetProperty("spatial", out var spatial))
            {
                var bbox = spatial.GetProperty("bbox")[0].EnumerateArray().Select(v => v.GetDouble()).ToArray();
                Assert.Equal(4, bbox.Length);
                Assert.InRange(bbox[0], 4.7, 5.3);
                Assert.InRange(bbox[1], 44.4, 44.95);
                Assert.True(bbox[0] <= bbox[2] && bbox[1] <= bbox[3]);
            }
            else
            {
                Assert.True(id is "flux" or "territoire", $"{id} has no spatial extent");
            }
            var crs = collection.GetProperty("crs").EnumerateArray().Select(c => c.GetString()).ToList();
            Assert.Equal([Crs84, Epsg4326, Lambert93], crs);
            Assert.Equal(Crs84, collection.GetProperty("storageCrs").GetString());

            // /ats/core/sfc-md-op: the collection's own document says the same.
            var (_, single) = await GetJsonAsync($"/ogc/collections/{collection.GetProperty("id").GetString()}");
            Assert.Equal(collection.GetProperty("title").GetString(), single.GetProperty("title").GetString());
            Assert.Equal(collection.GetProperty("extent").GetRawText(), single.GetProperty("extent").GetRawText());
        }

        var communes = collections[0].GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0];
        var west = await site.Database.ScalarAsync<double>("SELECT ST_XMin(ST_Extent(boundary)) FROM communes");
        Assert.Equal(west, communes[0].GetDouble(), 5);
    }

    // --- /ats/core/fc-op, fc-response, fc-links, fc-rel-type, fc-timeStamp, fc-numberMatched, fc-numberReturned ---

    [Theory]
    [InlineData("communes", 36)]
    [InlineData("equipements", 54)]
    [InlineData("depots", 1)]
    public async Task Items_are_geojson_with_exact_counts_a_time_stamp_and_typed_links(string collection, int count)
    {
        var (response, items) = await GetJsonAsync($"/ogc/collections/{collection}/items", "application/geo+json");

        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("FeatureCollection", items.GetProperty("type").GetString());
        Assert.Equal(count, items.GetProperty("numberMatched").GetInt32());
        Assert.Equal(Math.Min(10, count), items.GetProperty("numberReturned").GetInt32());
        Assert.Equal(items.GetProperty("numberReturned").GetInt32(), items.GetProperty("features").GetArrayLength());
        var timeStamp = DateTimeOffset.Parse(items.GetProperty("timeStamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(site.App.Clock.GetUtcNow(), timeStamp.ToUniversalTime()); // the site's clock, fixed by the tests
        Assert.Single(Links(items, "self"));
        Assert.Equal("text/html", Links(items, "alternate").Single().GetProperty("type").GetString());
        Assert.Equal(count > 10, Links(items, "next").Any());
        Assert.All(items.GetProperty("links").EnumerateArray(), l => Assert.True(l.TryGetProperty("type", out _)));
        Assert.All(items.GetProperty("features").EnumerateArray(), f => Assert.Equal(JsonValueKind.Number, f.GetProperty("id").ValueKind));
        Assert.Contains($"<{Crs84}>", response.Headers.GetValues("Content-Crs"));
        Assert.Contains(response.Headers.GetValues("Link"), h => h.Contains("rel=\"self\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Geojson_polygons_follow_rfc_7946_exterior_rings_counter_clockwise()
    {
        var (_, items) = await GetJsonAsync("/ogc/collections/communes/items?limit=36&properties=");

        foreach (var feature in items.GetProperty("features").EnumerateArray())
        {
            foreach (var polygon in feature.GetProperty("geometry").GetProperty("coordinates").EnumerateArray())
            {
                var ring = polygon[0].EnumerateArray().Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToList();
                var twiceArea = ring.Zip(ring.Skip(1), (a, b) => (a.X * b.Y) - (b.X * a.Y)).Sum();
                Assert.True(twiceArea > 0, $"Feature {feature.GetProperty("id")} has a clockwise exterior ring.");
            }
        }
    }

    // --- /ats/core/fc-limit-definition, fc-limit-response-1 -------------------------------------

    [Theory]
    [InlineData("1", 1)]
    [InlineData("7", 7)]
    [InlineData("1000", 36)]
    [InlineData("5000", 36)]
    [InlineData("99999999999999999999", 36)]
    public async Task Limit_caps_the_page_and_values_above_the_maximum_are_clamped(string limit, int expected)
    {
        var (_, items) = await GetJsonAsync($"/ogc/collections/communes/items?limit={limit}");

        Assert.Equal(expected, items.GetProperty("numberReturned").GetInt32());
        Assert.Equal(36, items.GetProperty("numberMatched").GetInt32());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("dix")]
    [InlineData("")]
    public async Task Limit_that_is_not_a_positive_integer_is_refused(string limit)
    {
        var problem = await GetProblemAsync($"/ogc/collections/communes/items?limit={limit}", HttpStatusCode.BadRequest);

        Assert.Contains("limit", problem.GetProperty("detail").GetString());
        Assert.Equal("Requête invalide", problem.GetProperty("title").GetString());
    }

    // --- paging: next links until the end, numberMatched exact ----------------------------------

    [Theory]
    [InlineData("communes", 7)]
    [InlineData("equipements", 10)]
    [InlineData("equipements", 1000)]
    public async Task Following_next_links_returns_every_feature_once(string collection, int limit)
    {
        var url = $"/ogc/collections/{collection}/items?limit={limit}";
        var ids = new List<long>();
        long? matched = null;
        var pages = 0;
        while (url is not null)
        {
            var (_, page) = await GetJsonAsync(url, "application/geo+json");
            matched ??= page.GetProperty("numberMatched").GetInt64();
            ids.AddRange(page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64()));
            Assert.Equal(pages > 0, Links(page, "prev").Any());
            url = Links(page, "next").Select(l => l.GetProperty("href").GetString()).FirstOrDefault();
            Assert.True(++pages < 100);
        }

        var table = collection switch { "communes" => "communes", "equipements" => "equipment_units", _ => "depots" };
        Assert.Equal(await site.Database.ScalarAsync<long>($"SELECT count(*) FROM {table}"), matched);
        Assert.Equal(matched, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal((int)Math.Ceiling(matched!.Value / (double)limit), pages);
    }

    // --- /ats/core/fc-bbox-definition, fc-bbox-response -----------------------------------------

    [Theory]
    [InlineData("communes", "4.9,44.7,5.0,44.8", "boundary")]
    [InlineData("communes", "4.9,44.7,-10,5.0,44.8,10", "boundary")]
    [InlineData("equipements", "4.9,44.7,5.0,44.8", "home_location::geometry")]
    [InlineData("equipements", "-10,44.7,10,44.8", "home_location::geometry")]
    [InlineData("communes", "-180,-90,180,90", "boundary")]
    [InlineData("communes", "6,44,7,45", "boundary")]
    public async Task Bbox_selects_exactly_the_features_postgis_says_intersect(string collection, string bbox, string geometry)
    {
        var (_, items) = await GetJsonAsync($"/ogc/collections/{collection}/items?bbox={bbox}&limit=1000");

        var numbers = bbox.Split(',').Select(n => double.Parse(n, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var (w, s, e, n) = numbers.Length == 6 ? (numbers[0], numbers[1], numbers[3], numbers[4]) : (numbers[0], numbers[1], numbers[2], numbers[3]);
        var table = collection == "communes" ? "communes" : "equipment_units";
        var expected = await site.Database.ScalarAsync<long>(FormattableString.Invariant(
            $"SELECT count(*) FROM {table} WHERE ST_Intersects({geometry}, ST_MakeEnvelope({w}, {s}, {e}, {n}, 4326))"));
        Assert.Equal(expected, items.GetProperty("numberMatched").GetInt64());
        Assert.Equal(expected, items.GetProperty("features").GetArrayLength());
    }

    [Fact]
    public async Task Bbox_across_the_antimeridian_is_understood_as_such()
    {
        var (_, east) = await GetJsonAsync("/ogc/collections/communes/items?bbox=4,44,-170,46&limit=1000");
        var (_, west) = await GetJsonAsync("/ogc/collections/communes/items?bbox=170,44,-170,46&limit=1000");

        Assert.Equal(36, east.GetProperty("numberMatched").GetInt32());
        Assert.Equal(0, west.GetProperty("numberMatched").GetInt32());
    }

    [Theory]
    [InlineData("1,2,3")]
    [InlineData("1,2,3,4,5")]
    [InlineData("a,b,c,d")]
    [InlineData("4,45,5,44")]
    [InlineData("4,44,5,95")]
    [InlineData("200,44,5,45")]
    [InlineData("4,44,NaN,45")]
    public async Task Malformed_bbox_is_refused(string bbox) =>
        await GetProblemAsync($"/ogc/collections/communes/items?bbox={bbox}", HttpStatusCode.BadRequest);

    // --- /ats/core/fc-time-definition, fc-time-response -----------------------------------------

    [Theory]
    [InlineData("2026-06-21T10:00:00Z")]
    [InlineData("2026-06-21T10:00:00+02:00")]
    [InlineData("2026-06-21")]
    [InlineData("2026-01-01T00:00:00Z/2026-12-31T23:59:59Z")]
    [InlineData("../2026-12-31T23:59:59Z")]
    [InlineData("2026-01-01T00:00:00Z/..")]
    [InlineData("/2026-12-31T23:59:59Z")]
    public async Task Datetime_is_accepted_and_keeps_every_feature_of_a_collection_without_time(string datetime)
    {
        var (_, items) = await GetJsonAsync($"/ogc/collections/communes/items?datetime={Uri.EscapeDataString(datetime)}");

        Assert.Equal(36, items.GetProperty("numberMatched").GetInt32());
    }

    [Theory]
    [InlineData("demain")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("2026-06-21T10:00:00")]
    [InlineData("2026-12-31T00:00:00Z/2026-01-01T00:00:00Z")]
    [InlineData("2026-01-01T00:00:00Z/2026-02-01T00:00:00Z/2026-03-01T00:00:00Z")]
    public async Task Malformed_datetime_is_refused(string datetime) =>
        await GetProblemAsync($"/ogc/collections/communes/items?datetime={Uri.EscapeDataString(datetime)}", HttpStatusCode.BadRequest);

    // --- /ats/core/query-param-unknown, query-param-invalid -------------------------------------

    [Theory]
    [InlineData("/ogc?limit=3")]
    [InlineData("/ogc/conformance?x=1")]
    [InlineData("/ogc/collections?bbox=1,2,3,4")]
    [InlineData("/ogc/collections/communes/items?categorie=Mini-pelle")]
    [InlineData("/ogc/collections/communes/items?filter=nom='Eurre'")]
    [InlineData("/ogc/collections/communes/items?limit=1&limit=2")]
    [InlineData("/ogc/collections/communes/items/1?limit=3")]
    [InlineData("/ogc/collections/communes/items?f=xml")]
    public async Task Undeclared_parameter_is_refused_with_a_french_problem(string url)
    {
        var problem = await GetProblemAsync(url, HttpStatusCode.BadRequest);

        Assert.Equal("Requête invalide", problem.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("/ogc/collections/communes/items?crs=EPSG:2154")]
    [InlineData("/ogc/collections/communes/items?crs=http://www.opengis.net/def/crs/EPSG/0/3857")]
    [InlineData("/ogc/collections/communes/items?bbox=4,44,5,45&bbox-crs=urn:ogc:def:crs:EPSG::4326")]
    [InlineData("/ogc/collections/communes/items/1?crs=http://www.opengis.net/def/crs/EPSG/0/27572")]
    [InlineData("/ogc/collections/communes/items?sortby=altitude")]
    [InlineData("/ogc/collections/communes/items?properties=nom,altitude")]
    [InlineData("/ogc/collections/communes/items?population=beaucoup")]
    [InlineData("/ogc/collections/communes/items?membre=oui")]
    [InlineData("/ogc/collections/equipements/items?tarif_journalier=1e3x")]
    [InlineData("/ogc/collections/communes/items?offset=-1")]
    [InlineData("/ogc/collections/communes/items?nom=Eurre%00")]
    [InlineData("/ogc/collections/communes/items?datetime=..")]
    [InlineData("/ogc/collections/communes/items?sortby=")]
    [InlineData("/ogc/collections/communes/items?properties=nom,")]
    [InlineData("/ogc/collections/communes/items?bbox=100000,6000000,50000,6100000&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/2154")]
    [InlineData("/ogc/collections/communes/items?bbox=0,0,10,10&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/2154")]
    public async Task Invalid_parameter_value_is_refused(string url) =>
        await GetProblemAsync(url, HttpStatusCode.BadRequest);

    // --- /ats/core/f-op, f-success, f-links; unknown ids ----------------------------------------

    [Fact]
    public async Task Single_feature_has_its_links_and_the_same_content_as_in_the_list()
    {
        var (_, items) = await GetJsonAsync("/ogc/collections/communes/items?insee=26125");
        var listed = items.GetProperty("features")[0];
        var id = listed.GetProperty("id").GetInt64();

        var (response, feature) = await GetJsonAsync($"/ogc/collections/communes/items/{id}", "application/geo+json");

        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Feature", feature.GetProperty("type").GetString());
        Assert.Equal(id, feature.GetProperty("id").GetInt64());
        Assert.Equal("Eurre", feature.GetProperty("properties").GetProperty("nom").GetString());
        Assert.Equal(listed.GetProperty("geometry").GetRawText(), feature.GetProperty("geometry").GetRawText());
        Assert.Single(Links(feature, "self"));
        Assert.Single(Links(feature, "alternate"));
        Assert.EndsWith("/ogc/collections/communes?f=json", Href(feature, "collection"));
        Assert.Contains($"<{Crs84}>", response.Headers.GetValues("Content-Crs"));
    }

    [Theory]
    [InlineData("/ogc/collections/fusees")]
    [InlineData("/ogc/collections/fusees/items")]
    [InlineData("/ogc/collections/communes/items/999999")]
    [InlineData("/ogc/collections/communes/items/eurre")]
    [InlineData("/ogc/collections/communes/items/-1")]
    [InlineData("/ogc/collections/communes/queryables/x")]
    [InlineData("/ogc/nulle-part")]
    public async Task Unknown_collection_or_feature_is_a_404_problem(string url) =>
        await GetProblemAsync(url, HttpStatusCode.NotFound);

    [Fact]
    public async Task Bad_parameter_asked_for_in_html_is_a_french_400_page()
    {
        using var response = await _client.GetAsync("/ogc/collections/communes/items?f=html&limit=0");
        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"fr\">", html);
        Assert.Contains("« limit » doit valoir au moins 1", html);
    }

    [Fact]
    public async Task Unknown_feature_asked_for_in_html_is_the_site_french_404_page()
    {
        using var response = await _client.GetAsync("/ogc/collections/communes/items/999999?f=html");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page introuvable", await response.Content.ReadAsStringAsync());
    }

    // --- properties, sortby, filters on queryables ----------------------------------------------

    [Fact]
    public async Task Properties_selects_the_returned_properties()
    {
        var (_, items) = await GetJsonAsync("/ogc/collections/communes/items?properties=nom,population&limit=3");
        var (_, none) = await GetJsonAsync("/ogc/collections/communes/items?properties=&limit=3");

        Assert.All(items.GetProperty("features").EnumerateArray(), f =>
            Assert.Equal(["nom", "population"], f.GetProperty("properties").EnumerateObject().Select(p => p.Name)));
        Assert.All(none.GetProperty("features").EnumerateArray(), f => Assert.Empty(f.GetProperty("properties").EnumerateObject()));
    }

    [Fact]
    public async Task Sortby_orders_ascending_or_descending_and_pages_stay_stable()
    {
        var (_, descending) = await GetJsonAsync("/ogc/collections/communes/items?sortby=-population&limit=36");
        var (_, ascending) = await GetJsonAsync("/ogc/collections/communes/items?sortby=%2Bnom&limit=36");
        var (_, plain) = await GetJsonAsync("/ogc/collections/communes/items?sortby=nom&limit=36");

        var populations = descending.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("population").GetInt32()).ToList();
        Assert.Equal(populations.OrderDescending(), populations);
        Assert.Equal("Livron-sur-Drôme", descending.GetProperty("features")[0].GetProperty("properties").GetProperty("nom").GetString());
        var names = ascending.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("nom").GetString()).ToList();
        Assert.Equal("Allex", names[0]);
        Assert.Equal(names, plain.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("nom").GetString()));
    }

    [Fact]
    public async Task Queryable_properties_filter_by_equality()
    {
        var (_, miniPelles) = await GetJsonAsync("/ogc/collections/equipements/items?categorie=Mini-pelle");
        var (_, livron) = await GetJsonAsync("/ogc/collections/equipements/items?proprietaire_insee=26165&statut=En%20service");
        var (_, cheap) = await GetJsonAsync("/ogc/collections/equipements/items?tarif_journalier=35&limit=100");
        var (_, eurre) = await GetJsonAsync("/ogc/collections/communes/items?nom=Eurre&membre=true");

        Assert.Equal(4, miniPelles.GetProperty("numberMatched").GetInt32());
        Assert.All(miniPelles.GetProperty("features").EnumerateArray(), f => Assert.Equal("Mini-pelle", f.GetProperty("properties").GetProperty("categorie").GetString()));
        Assert.Equal(6, livron.GetProperty("numberMatched").GetInt32());
        Assert.All(cheap.GetProperty("features").EnumerateArray(), f => Assert.Equal(35m, f.GetProperty("properties").GetProperty("tarif_journalier").GetDecimal()));
        Assert.Equal(1, eurre.GetProperty("numberMatched").GetInt32());
    }

    [Fact]
    public async Task Queryables_are_a_json_schema_of_the_filterable_properties()
    {
        using var response = await _client.GetAsync("/ogc/collections/equipements/queryables");
        using var schema = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("application/schema+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.RootElement.GetProperty("$schema").GetString());
        Assert.Equal("object", schema.RootElement.GetProperty("type").GetString());
        var properties = schema.RootElement.GetProperty("properties");
        Assert.Equal("string", properties.GetProperty("categorie").GetProperty("type").GetString());
        Assert.Equal("number", properties.GetProperty("tarif_journalier").GetProperty("type").GetString());
        Assert.Contains("En service", properties.GetProperty("statut").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.False(properties.TryGetProperty("nom", out _));
    }

    // --- Part 2: /ats/crs/crs-action, ogc-crs-header, fc-bbox-crs-action ------------------------

    [Fact]
    public async Task Crs_lambert_93_answers_projected_coordinates_with_its_content_crs()
    {
        var (response, items) = await GetJsonAsync($"/ogc/collections/communes/items?insee=26125&crs={Lambert93}");
        var expected = await site.Database.ScalarAsync<double>("SELECT ST_XMin(ST_Transform(boundary, 2154)) FROM communes WHERE insee = '26125'");

        Assert.Contains($"<{Lambert93}>", response.Headers.GetValues("Content-Crs"));
        var positions = items.GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates")[0][0].EnumerateArray().ToList();
        Assert.All(positions, p =>
        {
            Assert.InRange(p[0].GetDouble(), 840_000, 880_000);
            Assert.InRange(p[1].GetDouble(), 6_380_000, 6_430_000);
        });
        Assert.Equal(expected, positions.Min(p => p[0].GetDouble()), 1);
    }

    [Fact]
    public async Task Crs_epsg_4326_puts_latitude_first()
    {
        var (_, crs84) = await GetJsonAsync("/ogc/collections/depots/items");
        var (response, epsg) = await GetJsonAsync($"/ogc/collections/depots/items?crs={Epsg4326}");

        var lonLat = crs84.GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates");
        var latLon = epsg.GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal(lonLat[0].GetDouble(), latLon[1].GetDouble());
        Assert.Equal(lonLat[1].GetDouble(), latLon[0].GetDouble());
        Assert.Equal(4.9912, lonLat[0].GetDouble(), 4);
        Assert.Contains($"<{Epsg4326}>", response.Headers.GetValues("Content-Crs"));
    }

    [Theory]
    [InlineData("communes", "boundary")]
    [InlineData("equipements", "home_location::geometry")]
    public async Task Bbox_crs_in_lambert_93_selects_what_intersects_the_projected_box(string collection, string geometry)
    {
        var (_, items) = await GetJsonAsync($"/ogc/collections/{collection}/items?bbox=855000,6400000,875000,6415000&bbox-crs={Lambert93}&limit=1000");
        var (_, latLon) = await GetJsonAsync($"/ogc/collections/{collection}/items?bbox=44.7,4.9,44.8,5.0&bbox-crs={Epsg4326}&limit=1000");
        var (_, lonLat) = await GetJsonAsync($"/ogc/collections/{collection}/items?bbox=4.9,44.7,5.0,44.8&limit=1000");

        var table = collection == "communes" ? "communes" : "equipment_units";
        var expected = await site.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM {table} WHERE ST_Intersects(ST_Transform({geometry}, 2154), ST_MakeEnvelope(855000, 6400000, 875000, 6415000, 2154))");
        Assert.Equal(expected, items.GetProperty("numberMatched").GetInt64());
        Assert.True(expected > 0);
        Assert.Equal(lonLat.GetProperty("numberMatched").GetInt64(), latLon.GetProperty("numberMatched").GetInt64());
    }

    // --- /ats/html/…, content negotiation ---------------------------------------------------------

    [Theory]
    [InlineData("/ogc")]
    [InlineData("/ogc/conformance")]
    [InlineData("/ogc/api")]
    [InlineData("/ogc/collections")]
    [InlineData("/ogc/collections/equipements")]
    [InlineData("/ogc/collections/equipements/items")]
    [InlineData("/ogc/collections/equipements/queryables")]
    public async Task Every_resource_has_a_french_html_view_by_f_or_by_accept(string url)
    {
        using var byParameter = await _client.GetAsync(url + "?f=html");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var byAccept = await _client.SendAsync(request);

        foreach (var response in new[] { byParameter, byAccept })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var html = await response.Content.ReadAsStringAsync();
            Assert.StartsWith("<!DOCTYPE html>", html);
            Assert.Contains("<html lang=\"fr\">", html);
            Assert.Contains("Licence Ouverte 2.0", html);
        }
    }

    [Fact]
    public async Task Single_feature_html_page_shows_its_properties_and_a_map()
    {
        await using var db = site.Database.CreateDb();
        var id = await db.EquipmentUnits.Where(u => u.InventoryCode == "CCVD-MP-01").Select(u => u.Id).SingleAsync();

        using var response = await _client.GetAsync($"/ogc/collections/equipements/items/{id}?f=html");
        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains("Mini-pelle Kubota KX019-4", html);
        Assert.Contains("Communauté de communes", html);
        Assert.Contains("class=\"minimap\"", html);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    [InlineData("application/json")]
    [InlineData("application/geo+json")]
    [InlineData("text/html;q=0.5, application/json")]
    public async Task Json_is_the_default_format(string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ogc/collections/communes/items?limit=1");
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await _client.SendAsync(request);

        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
    }

    // --- ETag, CORS --------------------------------------------------------------------------------

    [Theory]
    [InlineData("/ogc/collections/communes/items?limit=5")]
    [InlineData("/ogc/collections")]
    [InlineData("/ogc/collections/communes/items/1")]
    [InlineData("/ogc/api")]
    public async Task Strong_etag_gives_304_when_nothing_changed(string url)
    {
        using var first = await _client.GetAsync(url);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(etag, second.Headers.ETag);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Any_origin_may_read_the_api_and_preflights_are_answered()
    {
        using var get = await _client.GetAsync("/ogc/collections/communes/items?limit=1");
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/ogc/collections/communes/items");
        preflight.Headers.Add("Origin", "https://carto.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "if-none-match");
        using var answer = await _client.SendAsync(preflight);

        Assert.Equal("*", get.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("ETag", get.Headers.GetValues("Access-Control-Expose-Headers").Single());
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("GET", answer.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Contains("if-none-match", answer.Headers.GetValues("Access-Control-Allow-Headers").Single());
    }

    [Fact]
    public async Task Units_in_the_api_are_the_catalogue_units()
    {
        var (_, items) = await GetJsonAsync("/ogc/collections/equipements/items?limit=1000");

        Assert.Equal(DevelopmentSeed.UnitCount, items.GetProperty("numberReturned").GetInt32());
        var kubota = items.GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("properties").GetProperty("code_inventaire").GetString() == "CCVD-MP-01");
        Assert.Equal("Communauté de communes", kubota.GetProperty("properties").GetProperty("proprietaire").GetString());
        Assert.Equal("En service", kubota.GetProperty("properties").GetProperty("statut").GetString());
        Assert.Equal(120m, kubota.GetProperty("properties").GetProperty("tarif_journalier").GetDecimal());
        Assert.Equal("Point", kubota.GetProperty("geometry").GetProperty("type").GetString());
    }
}
