using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Seed;
using ValDrome.Jobs;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Ogc;

/// <summary>
/// A site on a Kestrel port (GDAL reads it too) with two loans, two open maintenance tasks, and
/// keys made and revoked through the account page, as a person would.
/// </summary>
public sealed partial class GisAccessSite : IAsyncLifetime
{
    // Its own site, which it gives keys, loans and tasks of its own: not the shared read-only one.
    private readonly GisSite _site = new(readOnly: false);
    private readonly Dictionary<string, HttpClient> _clients = [];

    public GisSite Site => _site;

    /// <summary>Allex's mini-pelle lent to Grane: Grane's agent sees it, Piégros-la-Clastre's does not.</summary>
    public Loan GraneLoan { get; private set; } = null!;

    /// <summary>Mirmande's tractopelle lent to Saou: neither agent sees it.</summary>
    public Loan OtherLoan { get; private set; } = null!;

    public int PiegrosTask { get; private set; }

    public int CommunityTask { get; private set; }

    /// <summary>A key of Grane's agent.</summary>
    public string GraneKey { get; private set; } = "";

    public string RevokedKey { get; private set; } = "";

    public const string Grane = "mairie-26144";

    /// <summary>Piégros-la-Clastre owns the aerial platform under inspection.</summary>
    public const string Piegros = "mairie-26166";

    public const string Staff = "staff";

    public async Task InitializeAsync()
    {
        await _site.InitializeAsync();
        var first = new DateOnly(2027, 5, 10);
        GraneLoan = await Make.LoanAsync(_site.Database, "26006-MP-01", "26144", first, first.AddDays(2), LoanStatus.Approved);
        OtherLoan = await Make.LoanAsync(_site.Database, "26165-TP-01", "26336", first, first.AddDays(1), LoanStatus.Approved);
        await _site.App.RunJobAsync<ScheduleDueMaintenance, int>(j => j.RunAsync(CancellationToken.None));
        PiegrosTask = await _site.Database.ScalarAsync<int>(
            "SELECT t.id FROM maintenance_tasks t JOIN equipment_units u ON u.id = t.unit_id WHERE u.inventory_code = '26166-NA-01'");
        CommunityTask = await _site.Database.ScalarAsync<int>(
            "SELECT t.id FROM maintenance_tasks t JOIN equipment_units u ON u.id = t.unit_id WHERE u.inventory_code = 'CCVD-NA-01'");

        var grane = await As(Grane);
        GraneKey = await CreateKeyAsync(grane, "QGIS du bureau");
        RevokedKey = await CreateKeyAsync(grane, "Ancien poste");
        var list = await (await grane.GetAsync("/compte")).TextAsync();
        var id = KeyRow().Matches(list).Select(m => (Hint: m.Groups[1].Value, Id: m.Groups[2].Value)).Single(r => RevokedKey.StartsWith(r.Hint, StringComparison.Ordinal)).Id;
        using var revoked = await grane.SubmitAsync("/compte", new() { ["id"] = id }, "/compte?handler=Revoke");
        if (revoked.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Revoking failed: {(int)revoked.StatusCode}");
        }
    }

    /// <summary>A client signed in with the sign-in cookie.</summary>
    public async Task<HttpClient> As(string userName)
    {
        if (_clients.TryGetValue(userName, out var existing))
        {
            return existing;
        }

#pragma warning disable CA2000 // The handler is disposed with its client.
        var client = new HttpClient(new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = _site.BaseAddress };
#pragma warning restore CA2000
        using var response = await client.SubmitAsync("/connexion", new()
        {
            ["Form.UserName"] = userName,
            ["Form.Password"] = DevelopmentAccounts.Password,
        });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"{userName} could not sign in: {(int)response.StatusCode}");
        }

        _clients[userName] = client;
        return client;
    }

    public static async Task<string> CreateKeyAsync(HttpClient client, string name)
    {
        using var created = await client.SubmitAsync("/compte", new() { ["Form.Name"] = name }, "/compte?handler=Create");
        var html = await created.Content.ReadAsStringAsync();
        return NewKey().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"No key shown ({(int)created.StatusCode}).");
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        await _site.DisposeAsync();
    }

    [GeneratedRegex("id=\"new-key\" type=\"text\" readonly value=\"([^\"]+)\"")]
    private static partial Regex NewKey();

    [GeneratedRegex(@"<code>([^<…]+)…</code>.*?name=""id"" value=""(\d+)""", RegexOptions.Singleline)]
    private static partial Regex KeyRow();
}

/// <summary>
/// Who reads what of the GIS layer (issue 10, ADR 0011): anonymous people read the public layers
/// only; loans and maintenance are read signed in or with a personal key, scoped like the pages
/// (an agent: its commune's; staff: all); a revoked key opens nothing.
/// </summary>
public sealed partial class GisAccessTests(GisAccessSite fixture) : IClassFixture<GisAccessSite>
{
    public enum Who
    {
        Anonymous,
        AgentOfTheCommune,
        AgentOfAnother,
        Staff,
        KeyInQuery,
        KeyAsBearer,
        RevokedKey,
    }

    private static readonly string[] PublicLayers = ["communes", "equipements", "depots", "flux", "territoire"];
    private static readonly string[] PrivateLayers = ["prets", "maintenances"];

    private GisSite Site => fixture.Site;

    private async Task<HttpResponseMessage> GetAsync(Who who, string url)
    {
        var (client, dispose) = who switch
        {
            Who.AgentOfTheCommune => (await fixture.As(GisAccessSite.Grane), false),
            Who.AgentOfAnother => (await fixture.As(GisAccessSite.Piegros), false),
            Who.Staff => (await fixture.As(GisAccessSite.Staff), false),
            _ => (Site.CreateClient(), true),
        };
        try
        {
            var key = who switch
            {
                Who.KeyInQuery => fixture.GraneKey,
                Who.RevokedKey => fixture.RevokedKey,
                _ => null,
            };
            var target = key is null ? url : $"{url}{(url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}cle={Uri.EscapeDataString(key)}";
            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            if (who == Who.KeyAsBearer)
            {
                request.Headers.Authorization = new("Bearer", fixture.GraneKey);
            }

            return await client.SendAsync(request);
        }
        finally
        {
            if (dispose)
            {
                client.Dispose();
            }
        }
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"features\"", body, StringComparison.Ordinal);
    }

    private static List<long> Ids(JsonElement items) =>
        [.. items.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64())];

    // --- The collection list ---------------------------------------------------------------------

    [Theory]
    [InlineData(Who.Anonymous, false)]
    [InlineData(Who.AgentOfTheCommune, true)]
    [InlineData(Who.AgentOfAnother, true)]
    [InlineData(Who.Staff, true)]
    [InlineData(Who.KeyInQuery, true)]
    [InlineData(Who.KeyAsBearer, true)]
    public async Task Collections_list_the_private_layers_only_to_who_may_read_them(Who who, bool listed)
    {
        using var response = await GetAsync(who, "/ogc/collections");
        var ids = (await JsonAsync(response)).GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();

        Assert.Equal(listed ? [.. PublicLayers, .. PrivateLayers] : PublicLayers, ids);
        Assert.Equal(listed, (response.Headers.CacheControl?.ToString() ?? "").Contains("private", StringComparison.Ordinal));
        Assert.Contains("Cookie", response.Headers.Vary);
    }

    [Theory]
    [InlineData("/ogc/collections")]
    [InlineData("/ogc/collections/communes/items")]
    [InlineData("/ogc/collections/prets/items")]
    [InlineData("/ogc/collections/prets/items/1")]
    [InlineData("/tiles/prets.json")]
    [InlineData("/tiles/prets/0/0/0.pbf")]
    [InlineData("/tiles/communes/0/0/0.pbf")]
    public async Task A_revoked_key_opens_nothing_not_even_public_layers(string url)
    {
        using var response = await GetAsync(Who.RevokedKey, url);

        await AssertUnauthorizedAsync(response);
        Assert.Contains("révoquée", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // --- Items and single items ------------------------------------------------------------------

    [Theory]
    [InlineData(Who.AgentOfTheCommune, true, false)]
    [InlineData(Who.AgentOfAnother, false, false)]
    [InlineData(Who.Staff, true, true)]
    [InlineData(Who.KeyInQuery, true, false)]
    [InlineData(Who.KeyAsBearer, true, false)]
    public async Task Loans_are_read_in_the_scope_of_the_pages(Who who, bool seesGrane, bool seesOther)
    {
        using var items = await GetAsync(who, "/ogc/collections/prets/items?limit=1000");
        using var grane = await GetAsync(who, $"/ogc/collections/prets/items/{fixture.GraneLoan.Id}");
        using var other = await GetAsync(who, $"/ogc/collections/prets/items/{fixture.OtherLoan.Id}");

        var ids = Ids(await JsonAsync(items));
        Assert.Equal(seesGrane, ids.Contains(fixture.GraneLoan.Id));
        Assert.Equal(seesOther, ids.Contains(fixture.OtherLoan.Id));
        Assert.Equal(seesGrane ? HttpStatusCode.OK : HttpStatusCode.NotFound, grane.StatusCode);
        Assert.Equal(seesOther ? HttpStatusCode.OK : HttpStatusCode.NotFound, other.StatusCode);
        Assert.Contains("private", items.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Contains("Authorization", items.Headers.Vary);
    }

    [Theory]
    [InlineData(Who.AgentOfTheCommune, false, false)]
    [InlineData(Who.AgentOfAnother, true, false)]
    [InlineData(Who.Staff, true, true)]
    [InlineData(Who.KeyInQuery, false, false)]
    public async Task Maintenance_is_read_by_the_owner_commune_and_the_community(Who who, bool seesPiegros, bool seesCommunity)
    {
        using var items = await GetAsync(who, "/ogc/collections/maintenances/items?limit=1000");
        using var piegros = await GetAsync(who, $"/ogc/collections/maintenances/items/{fixture.PiegrosTask}");

        var ids = Ids(await JsonAsync(items));
        Assert.Equal(seesPiegros, ids.Contains(fixture.PiegrosTask));
        Assert.Equal(seesCommunity, ids.Contains(fixture.CommunityTask));
        Assert.Equal(seesPiegros ? HttpStatusCode.OK : HttpStatusCode.NotFound, piegros.StatusCode);
    }

    [Theory]
    [InlineData("prets")]
    [InlineData("maintenances")]
    public async Task Anonymous_people_get_401_for_every_resource_of_a_private_layer(string layer)
    {
        var id = layer == "prets" ? fixture.GraneLoan.Id : fixture.PiegrosTask;
        foreach (var url in new[]
        {
            $"/ogc/collections/{layer}", $"/ogc/collections/{layer}/queryables", $"/ogc/collections/{layer}/items",
            $"/ogc/collections/{layer}/items/{id}", $"/ogc/collections/{layer}/items?bbox=-180,-90,180,90",
            $"/tiles/{layer}/0/0/0.pbf", $"/tiles/{layer}/12/2104/1473.pbf", $"/tiles/{layer}.json",
        })
        {
            using var response = await GetAsync(Who.Anonymous, url);
            await AssertUnauthorizedAsync(response);
        }
    }

    [Theory]
    [InlineData("communes")]
    [InlineData("equipements")]
    [InlineData("depots")]
    [InlineData("flux")]
    [InlineData("territoire")]
    public async Task Public_layers_stay_public_for_everyone_and_open_to_any_origin(string layer)
    {
        foreach (var who in new[] { Who.Anonymous, Who.AgentOfAnother, Who.KeyInQuery })
        {
            using var collection = await GetAsync(who, $"/ogc/collections/{layer}");
            using var items = await GetAsync(who, $"/ogc/collections/{layer}/items");
            using var tileJson = await GetAsync(who, $"/tiles/{layer}.json");
            using var tile = await GetAsync(who, $"/tiles/{layer}/0/0/0.pbf");

            Assert.Equal(HttpStatusCode.OK, collection.StatusCode);
            Assert.Equal(HttpStatusCode.OK, items.StatusCode);
            Assert.Equal(HttpStatusCode.OK, tileJson.StatusCode);
            Assert.True(tile.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent, $"{layer} tile: {(int)tile.StatusCode}");
            Assert.Equal("*", items.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.False(items.Headers.Contains("Access-Control-Allow-Credentials"));
            var first = Ids(await JsonAsync(items)).FirstOrDefault();
            if (first != 0)
            {
                using var item = await GetAsync(who, $"/ogc/collections/{layer}/items/{first}");
                Assert.Equal(HttpStatusCode.OK, item.StatusCode);
            }
        }
    }

    [Fact]
    public async Task The_flow_layer_counts_loans_and_days_per_pair_of_communes_per_month_and_names_no_loan()
    {
        using var response = await GetAsync(Who.Anonymous, "/ogc/collections/flux/items?emprunteur_insee=26144&mois=2027-05");
        var document = await JsonAsync(response);

        var flow = Assert.Single(document.GetProperty("features").EnumerateArray());
        var properties = flow.GetProperty("properties");
        Assert.Equal("Allex", properties.GetProperty("preteur").GetString());
        Assert.Equal("Grane", properties.GetProperty("emprunteur").GetString());
        Assert.Equal(1, properties.GetProperty("prets").GetInt32());
        Assert.Equal(3, properties.GetProperty("jours").GetInt32());
        Assert.Equal(
            ["preteur", "preteur_insee", "emprunteur", "emprunteur_insee", "mois", "prets", "jours"],
            properties.EnumerateObject().Select(p => p.Name));
        Assert.Equal("LineString", flow.GetProperty("geometry").GetProperty("type").GetString());
        Assert.DoesNotContain("Essai", document.GetRawText(), StringComparison.Ordinal); // the loans' purpose
        Assert.NotEqual(fixture.GraneLoan.Id, flow.GetProperty("id").GetInt64());
    }

    // --- Tiles and TileJSON ------------------------------------------------------------------------

    [Fact]
    public async Task Tiles_of_a_private_layer_are_cached_per_scope_and_never_cross_into_another()
    {
        // Staff fills the cache first: a tile keyed without its scope would then reach the agents.
        using var staffLoans = await GetAsync(Who.Staff, "/tiles/prets/0/0/0.pbf");
        using var staffTasks = await GetAsync(Who.Staff, "/tiles/maintenances/0/0/0.pbf");
        using var graneLoans = await GetAsync(Who.AgentOfTheCommune, "/tiles/prets/0/0/0.pbf");
        using var piegrosLoans = await GetAsync(Who.AgentOfAnother, "/tiles/prets/0/0/0.pbf");
        using var keyLoans = await GetAsync(Who.KeyInQuery, "/tiles/prets/0/0/0.pbf");
        using var graneTasks = await GetAsync(Who.AgentOfTheCommune, "/tiles/maintenances/0/0/0.pbf");
        using var piegrosTasks = await GetAsync(Who.AgentOfAnother, "/tiles/maintenances/0/0/0.pbf");

        Assert.Equal(HttpStatusCode.OK, staffLoans.StatusCode);
        Assert.Equal(HttpStatusCode.OK, staffTasks.StatusCode);
        Assert.Equal(HttpStatusCode.OK, graneLoans.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, piegrosLoans.StatusCode);
        Assert.Equal(HttpStatusCode.OK, keyLoans.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, graneTasks.StatusCode);
        Assert.Equal(HttpStatusCode.OK, piegrosTasks.StatusCode);
        Assert.NotEqual(await staffLoans.Content.ReadAsByteArrayAsync(), await graneLoans.Content.ReadAsByteArrayAsync());
        Assert.NotEqual(staffLoans.Headers.ETag, graneLoans.Headers.ETag);
        Assert.Equal(await graneLoans.Content.ReadAsByteArrayAsync(), await keyLoans.Content.ReadAsByteArrayAsync());
        Assert.Contains("private", graneLoans.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Item_pages_of_a_private_layer_are_cached_per_scope()
    {
        const string url = "/ogc/collections/prets/items?limit=50&sortby=premier_jour";
        using var staffResponse = await GetAsync(Who.Staff, url);
        using var graneResponse = await GetAsync(Who.AgentOfTheCommune, url);
        using var piegrosResponse = await GetAsync(Who.AgentOfAnother, url);
        var staff = Ids(await JsonAsync(staffResponse));
        var grane = Ids(await JsonAsync(graneResponse));
        var piegros = Ids(await JsonAsync(piegrosResponse));

        Assert.Contains(fixture.OtherLoan.Id, staff);
        Assert.Equal([(long)fixture.GraneLoan.Id], grane);
        Assert.Empty(piegros);
    }

    [Theory]
    [InlineData(Who.AgentOfTheCommune, null)]
    [InlineData(Who.AgentOfAnother, null)]
    [InlineData(Who.Staff, null)]
    [InlineData(Who.KeyInQuery, "cle=")]
    [InlineData(Who.KeyAsBearer, null)]
    public async Task Tilejson_of_a_private_layer_is_read_with_rights_and_its_tile_urls_carry_a_query_key(Who who, string? carried)
    {
        using var response = await GetAsync(who, "/tiles/prets.json");

        var tiles = (await JsonAsync(response)).GetProperty("tiles")[0].GetString()!;
        if (carried is null)
        {
            Assert.DoesNotContain("cle=", tiles, StringComparison.Ordinal);
        }
        else
        {
            Assert.EndsWith($"{{y}}.pbf?cle={fixture.GraneKey}", tiles, StringComparison.Ordinal);
            using var tile = await Site.CreateClient().GetAsync(tiles.Replace("{z}/{x}/{y}", "0/0/0", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        }
    }

    [Fact]
    public async Task Links_carry_the_key_given_in_the_query_so_a_client_can_follow_them()
    {
        using var landing = await GetAsync(Who.KeyInQuery, "/ogc");
        using var collections = await GetAsync(Who.KeyInQuery, "/ogc/collections");
        using var items = await GetAsync(Who.KeyInQuery, "/ogc/collections/communes/items?limit=5");

        foreach (var document in new[] { await JsonAsync(landing), await JsonAsync(collections), await JsonAsync(items) })
        {
            var hrefs = document.GetRawText();
            foreach (Match link in HrefPattern().Matches(hrefs))
            {
                Assert.Contains($"cle={fixture.GraneKey}", link.Groups[1].Value, StringComparison.Ordinal);
            }
        }

        var next = (await JsonAsync(items)).GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "next").GetProperty("href").GetString()!;
        using var following = await Site.CreateClient().GetAsync(next);
        Assert.Equal(HttpStatusCode.OK, following.StatusCode);
    }

    [Fact]
    public async Task Cookie_and_bearer_requests_get_links_without_any_key()
    {
        using var items = await GetAsync(Who.KeyAsBearer, "/ogc/collections/prets/items?limit=1");

        Assert.DoesNotContain("cle=", (await JsonAsync(items)).GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_definition_says_which_operations_need_a_key_and_how_to_send_it()
    {
        using var response = await GetAsync(Who.Anonymous, "/ogc/api");
        var api = await JsonAsync(response);

        var paths = api.GetProperty("paths");
        var loans = paths.GetProperty("/collections/prets/items").GetProperty("get");
        var communes = paths.GetProperty("/collections/communes/items").GetProperty("get");
        Assert.DoesNotContain(loans.GetProperty("security").EnumerateArray(), s => !s.EnumerateObject().Any());
        Assert.True(loans.GetProperty("responses").TryGetProperty("401", out _));
        Assert.Contains(communes.GetProperty("security").EnumerateArray(), s => !s.EnumerateObject().Any());
        var schemes = api.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("cle", schemes.GetProperty("cle").GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
    }

    // --- Keys: refused at once, stored hashed ---------------------------------------------------------

    [Fact]
    public async Task A_key_of_a_locked_out_user_is_refused_at_once_and_opens_again_when_unlocked()
    {
        var user = await Site.Database.ScalarAsync<string>("SELECT id FROM \"AspNetUsers\" WHERE user_name = 'technicien'");
        var technician = await fixture.As("technicien");
        var key = await GisAccessSite.CreateKeyAsync(technician, "Tablette");
        using var before = await Site.CreateClient().GetAsync($"/ogc/collections/maintenances/items?cle={key}");

        await Site.Database.ScalarAsync<int>($"WITH u AS (UPDATE \"AspNetUsers\" SET lockout_end = '3000-01-01' WHERE id = '{user}' RETURNING 1) SELECT count(*)::int FROM u");
        using var locked = await Site.CreateClient().GetAsync($"/ogc/collections/maintenances/items?cle={key}");
        await Site.Database.ScalarAsync<int>($"WITH u AS (UPDATE \"AspNetUsers\" SET lockout_end = NULL WHERE id = '{user}' RETURNING 1) SELECT count(*)::int FROM u");
        using var after = await Site.CreateClient().GetAsync($"/ogc/collections/maintenances/items?cle={key}");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        await AssertUnauthorizedAsync(locked);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Keys_are_stored_as_a_sha256_never_as_the_secret_and_record_their_last_use()
    {
        using var used = await GetAsync(Who.KeyInQuery, "/ogc/collections/prets/items");
        var stored = await Site.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM gis_access_keys WHERE secret_hash = sha256(convert_to('{fixture.GraneKey}', 'UTF8')) AND last_used_at IS NOT NULL");
        var plain = await Site.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM gis_access_keys WHERE position(convert_to('{fixture.GraneKey}', 'UTF8') IN secret_hash) > 0 OR name = '{fixture.GraneKey}' OR hint = '{fixture.GraneKey}'");

        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.Equal(1, stored);
        Assert.Equal(0, plain);
    }

    [Theory]
    [InlineData("cle=")]
    [InlineData("cle=vdk_notakey")]
    [InlineData("cle=%00")]
    public async Task An_unknown_or_malformed_key_is_a_french_401(string query)
    {
        using var response = await Site.CreateClient().GetAsync($"/ogc/collections/communes/items?{query}");

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task The_account_page_lists_keys_by_name_and_prefix_never_their_secret_and_refuses_a_blank_name()
    {
        var grane = await fixture.As(GisAccessSite.Grane);
        var page = await (await grane.GetAsync("/compte")).TextAsync();
        using var blank = await grane.SubmitAsync("/compte", new() { ["Form.Name"] = "   " }, "/compte?handler=Create");
        using var huge = await grane.SubmitAsync("/compte", new() { ["Form.Name"] = new string('x', 5000) }, "/compte?handler=Create");
        using var foreign = await (await fixture.As(GisAccessSite.Piegros)).SubmitAsync("/compte", new() { ["id"] = "1" }, "/compte?handler=Revoke");
        using var anonymous = await Site.CreateClient().GetAsync("/compte");

        Assert.Contains("QGIS du bureau", page, StringComparison.Ordinal);
        Assert.Contains(fixture.GraneKey[..10], page, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.GraneKey, page, StringComparison.Ordinal);
        Assert.DoesNotContain("Ancien poste", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Contains("Donnez un nom", await blank.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.True(HttpStatusCode.NotFound == foreign.StatusCode, await foreign.TextAsync());
        Assert.Equal("/connexion", anonymous.RequestMessage!.RequestUri!.AbsolutePath); // followed from the sign-in redirect
    }

    // --- GDAL, as QGIS reads the API --------------------------------------------------------------------

    [Fact]
    public async Task Ogrinfo_with_a_key_in_the_url_lists_and_reads_the_private_layers()
    {
        var result = await Gdal.RunAsync("ogrinfo", "-ro", "-al", "-q", $"OAPIF:{Site.OgcRoot}?cle={fixture.GraneKey}", "prets");

        Assert.True(result.ExitCode == 0, result.Errors);
        Assert.Contains($"OGRFeature(prets):{fixture.GraneLoan.Id}", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain($"OGRFeature(prets):{fixture.OtherLoan.Id}", result.Output, StringComparison.Ordinal);
        Assert.Contains("emprunteur (String) = Grane", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ogrinfo_with_a_key_follows_the_next_links_of_a_private_layer_page_by_page()
    {
        var staffKey = await GisAccessSite.CreateKeyAsync(await fixture.As(GisAccessSite.Staff), "ogr2ogr de l'atelier");

        // One feature a page: every further page is read by following a next link.
        var result = await Gdal.RunAsync("ogrinfo", "-ro", "-al", "-q", "-oo", "PAGE_SIZE=1", $"OAPIF:{Site.OgcRoot}?cle={staffKey}", "prets");

        Assert.True(result.ExitCode == 0, result.Errors);
        Assert.Contains($"OGRFeature(prets):{fixture.GraneLoan.Id}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"OGRFeature(prets):{fixture.OtherLoan.Id}", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ogrinfo_with_a_bearer_header_lists_the_private_layers()
    {
        var result = await Gdal.RunAsync("ogrinfo", "-ro", "--config", "GDAL_HTTP_HEADERS", $"Authorization: Bearer {fixture.GraneKey}", $"OAPIF:{Site.OgcRoot}");

        Assert.True(result.ExitCode == 0, result.Errors);
        Assert.Contains("prets (title: Prêts en cours et à venir) (Line String)", result.Output, StringComparison.Ordinal);
        Assert.Contains("maintenances", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ogrinfo_without_a_key_sees_only_the_public_layers()
    {
        var list = await Gdal.RunAsync("ogrinfo", "-ro", $"OAPIF:{Site.OgcRoot}");
        var read = await Gdal.RunAsync("ogrinfo", "-ro", "-al", "-q", $"OAPIF:{Site.OgcRoot}", "prets");

        Assert.True(list.ExitCode == 0, list.Errors);
        Assert.Contains("flux (title: Flux de prêts entre communes) (Line String)", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("prets", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("maintenances", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("OGRFeature(prets)", read.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ogrinfo_with_a_revoked_key_reads_nothing()
    {
        var result = await Gdal.RunAsync("ogrinfo", "-ro", "-al", "-q", $"OAPIF:{Site.OgcRoot}?cle={fixture.RevokedKey}", "prets");

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("OGRFeature(prets)", result.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex("\"href\":\"([^\"]+)\"")]
    private static partial Regex HrefPattern();
}
