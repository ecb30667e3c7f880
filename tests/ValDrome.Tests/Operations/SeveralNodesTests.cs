using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using ValDrome.Domain.Seed;
using ValDrome.Geo.Spatial;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Operations;

/// <summary>What one node makes, another honours; what changes under one node, another sees at once (ADR 22).</summary>
public sealed partial class SeveralNodesTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    private static HttpClient Bare(ValDromeApp node) =>
        node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    private static string CookieOf(HttpResponseMessage response, string name)
    {
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(name, StringComparison.Ordinal));
        return cookie[..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    [Fact]
    public async Task A_session_made_on_one_node_is_accepted_by_the_other()
    {
        using var signIn = await nodes.A.Client().SubmitAsync("/connexion", new()
        {
            ["Form.UserName"] = DevelopmentAccounts.AgentOf("26006"),
            ["Form.Password"] = DevelopmentAccounts.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var session = CookieOf(signIn, "valdrome=");

        using var onB = new HttpRequestMessage(HttpMethod.Get, "/prets");
        onB.Headers.Add("Cookie", session);
        using var response = await Bare(nodes.B).SendAsync(onB);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The key that protected the cookie is the database's, not a file of one machine.
        Assert.True(await nodes.Database.ScalarAsync<long>("select count(*) from data_protection_keys") >= 1);
    }

    [Fact]
    public async Task A_session_ended_on_one_node_is_refused_by_the_other_that_kept_it()
    {
        await TwoNodes.ListeningAsync(nodes.B);
        var onA = nodes.A.Client();
        using var signIn = await onA.SubmitAsync("/connexion", new()
        {
            ["Form.UserName"] = DevelopmentAccounts.AgentOf("26098"),
            ["Form.Password"] = DevelopmentAccounts.Password,
        });
        var session = CookieOf(signIn, "valdrome=");
        Assert.Equal(HttpStatusCode.OK, await StatusOnBAsync(session));
        Assert.Equal(HttpStatusCode.OK, await StatusOnBAsync(session)); // kept by B now (ADR 29)

        using var signOut = await onA.SubmitAsync("/prets", [], "/deconnexion");
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        // B hears of the deleted row from the database, in the time a notification takes.
        var status = await StatusOnBAsync(session);
        for (var i = 0; i < 100 && status == HttpStatusCode.OK; i++)
        {
            await Task.Delay(50);
            status = await StatusOnBAsync(session);
        }

        Assert.Equal(HttpStatusCode.Redirect, status);
    }

    private async Task<HttpStatusCode> StatusOnBAsync(string session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/prets");
        request.Headers.Add("Cookie", session);
        using var response = await Bare(nodes.B).SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task An_antiforgery_token_from_one_node_is_accepted_by_the_other()
    {
        using var page = await Bare(nodes.A).GetAsync("/connexion");
        var antiforgery = CookieOf(page, ".AspNetCore.Antiforgery.");
        var token = WebUtility.HtmlDecode(Token().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value);

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.UserName"] = DevelopmentAccounts.AgentOf("26020"),
            ["Form.Password"] = DevelopmentAccounts.Password,
            ["__RequestVerificationToken"] = token,
        });
        using var post = new HttpRequestMessage(HttpMethod.Post, "/connexion") { Content = form };
        post.Headers.Add("Cookie", antiforgery);
        using var response = await Bare(nodes.B).SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/prets", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_write_by_psql_is_seen_in_the_other_nodes_tile_and_items_at_once()
    {
        await TwoNodes.ListeningAsync(nodes.B);
        var (lon, lat) = await UnitPlaceAsync("26144-BR-01");
        var tile = WebMercatorTile.Containing(lon, lat, 14);
        var tileUrl = $"/tiles/equipements/{tile.Z}/{tile.X}/{tile.Y}.pbf";
        const string itemsUrl = "/ogc/collections/equipements/items?proprietaire_insee=26144";
        using var b = nodes.B.CreateClient();
        var tileBefore = await (await b.GetAsync(tileUrl)).Content.ReadAsByteArrayAsync();
        var itemsBefore = await b.GetStringAsync(itemsUrl);
        Assert.Equal(tileBefore, await (await b.GetAsync(tileUrl)).Content.ReadAsByteArrayAsync());

        // Outside any node, as psql would: no EF, no interceptor.
        await using (var connection = new NpgsqlConnection(nodes.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var move = new NpgsqlCommand(
                "update equipment_units set name = name || ' (moved-ops)', home_location = (select location from depots limit 1) where inventory_code = '26144-BR-01'",
                connection);
            Assert.Equal(1, await move.ExecuteNonQueryAsync());
        }

        var seen = false;
        for (var i = 0; i < 60 && !seen; i++)
        {
            var tileNow = await (await b.GetAsync(tileUrl)).Content.ReadAsByteArrayAsync();
            var itemsNow = await b.GetStringAsync(itemsUrl);
            seen = !tileNow.AsSpan().SequenceEqual(tileBefore) && itemsNow != itemsBefore && itemsNow.Contains("(moved-ops)", StringComparison.Ordinal);
            if (!seen)
            {
                await Task.Delay(50);
            }
        }

        Assert.True(seen, "Node B still served the cached tile and items 3 s after the write.");
    }

    [Fact]
    public async Task A_write_by_psql_is_seen_in_the_other_nodes_public_pages_at_once()
    {
        await TwoNodes.ListeningAsync(nodes.B);
        using var visitor = Bare(nodes.B);
        var unitId = await nodes.Database.ScalarAsync<int>("select id from equipment_units where inventory_code = '26144-BN-01'");
        var page = $"/materiel/{unitId}";
        const string map = "/carte/materiel.geojson";
        Assert.DoesNotContain("(renamed-ops)", await visitor.GetStringAsync(page), StringComparison.Ordinal);
        var mapBefore = await visitor.GetStringAsync(map);
        Assert.Contains("Barnum 4", mapBefore, StringComparison.Ordinal);
        Assert.DoesNotContain("(renamed-ops)", mapBefore, StringComparison.Ordinal);
        using (var cached = await visitor.GetAsync(map))
        {
            Assert.NotNull(cached.Headers.Age);
            Assert.Equal(mapBefore, await cached.Content.ReadAsStringAsync());
        }

        await using (var connection = new NpgsqlConnection(nodes.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var rename = new NpgsqlCommand("update equipment_units set name = name || ' (renamed-ops)' where id = @id", connection);
            rename.Parameters.AddWithValue("id", unitId);
            Assert.Equal(1, await rename.ExecuteNonQueryAsync());
        }

        var seen = false;
        for (var i = 0; i < 60 && !seen; i++)
        {
            seen = (await visitor.GetStringAsync(page)).Contains("(renamed-ops)", StringComparison.Ordinal)
                && (await visitor.GetStringAsync(map)).Contains("(renamed-ops)", StringComparison.Ordinal);
            if (!seen)
            {
                await Task.Delay(50);
            }
        }

        Assert.True(seen, "Node B still served the cached unit page or map 3 s after the write.");
    }

    [Fact]
    public async Task Every_table_a_cache_or_a_kept_session_may_read_tells_every_node_of_its_changes()
    {
        var unwatched = await nodes.Database.ScalarAsync<string>("""
            select coalesce(string_agg(c.relname, ', ' order by c.relname), '')
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = current_schema() and c.relkind = 'r'
              and c.relname not in ('__EFMigrationsHistory', 'spatial_ref_sys', 'gis_access_keys', 'data_protection_keys')
              and (c.relname not like 'AspNet%' or c.relname = 'AspNetUsers')
              and not exists (select 1 from pg_trigger g where g.tgrelid = c.oid and g.tgname = 'valdrome_notify_change')
            """);

        // A migration that creates a table ends with `select valdrome_watch_all()`.
        Assert.Equal("", unwatched);
    }

    private async Task<(double Lon, double Lat)> UnitPlaceAsync(string inventoryCode)
    {
        await using var connection = new NpgsqlConnection(nodes.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select ST_X(home_location::geometry), ST_Y(home_location::geometry) from equipment_units where inventory_code = @code", connection);
        command.Parameters.AddWithValue("code", inventoryCode);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), inventoryCode);
        return (reader.GetDouble(0), reader.GetDouble(1));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
