using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.French;

/// <summary>French without slips and light answers, over HTTP.</summary>
public sealed partial class FrenchPagesTests(MarketSite site) : IClassFixture<MarketSite>
{
    [Fact]
    public async Task Communes_come_out_of_the_database_in_French_order()
    {
        await using var db = site.Database.CreateDb();

        var names = await db.Communes.OrderBy(c => c.Name).Select(c => c.Name).ToListAsync();
        var page = await (await site.App.Client().GetAsync("/communes")).TextAsync();

        Assert.Equal(names.Order(FrenchNames.Comparer), names);
        Assert.True(names.IndexOf("Bézaudun-sur-Bîne") < names.IndexOf("Bouvières"));
        Assert.True(names.IndexOf("La Répara-Auriples") < names.IndexOf("La Roche-sur-Grane"));
        Assert.True(page.IndexOf("Bézaudun-sur-Bîne", StringComparison.Ordinal) < page.IndexOf("Bouvières", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_jobs_page_says_its_schedules_and_states_in_French()
    {
        var admin = await site.As("admin");
        using var run = await admin.SubmitAsync("/admin/taches", new() { ["id"] = "rappels-de-retour" }, "/admin/taches?handler=Run");

        var page = await (await admin.GetAsync("/admin/taches")).TextAsync();

        Assert.Contains("tous les jours à 0 h 15", page);
        Assert.Contains("le 1er de chaque mois à 4 h", page);
        Assert.Contains("toutes les 5 minutes", page);
        Assert.DoesNotContain("* * *", page);
        Assert.Matches("En file|En cours|Réussie", page);
        Assert.DoesNotMatch("Enqueued|Processing|Succeeded|Failed", page);
    }

    [Fact]
    public async Task Bad_values_in_forms_get_French_messages_only()
    {
        var admin = await site.As("admin");
        await using var db = site.Database.CreateDb();
        var unit = await db.EquipmentUnits.Where(u => u.InventoryCode == "26006-MP-01").Select(u => u.Id).SingleAsync();

        using var plan = await admin.SubmitAsync("/maintenance", new()
        {
            ["Plan.UnitId"] = unit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Plan.Kind"] = "bidule",
            ["Plan.Label"] = new string('x', 201),
            ["Plan.Interval"] = "douze",
            ["Plan.DurationDays"] = "",
            ["Plan.LastDoneOn"] = "hier",
        }, "/maintenance?handler=Plan");
        using var request = await admin.GetAsync("/prets/demander?Form.Du=demain&Form.Au=31-02-2027&Form.Materiel=x");

        var planText = await plan.TextAsync();
        Assert.Equal(HttpStatusCode.BadRequest, plan.StatusCode);
        Assert.Contains("« intitulé » est limité à 200 caractères.", planText);
        foreach (var text in new[] { planText, await request.TextAsync() })
        {
            Assert.DoesNotMatch(English(), text);
        }
    }

    [Fact]
    public async Task A_message_is_shown_by_the_page_it_was_left_for_and_no_other()
    {
        site.App.SetToday(new DateOnly(2026, 12, 1));
        var admin = await site.As("admin");

        using var build = await admin.SubmitAsync("/decomptes", new() { ["Month"] = "2026-11" }, "/decomptes?handler=Build");
        var month = await (await admin.GetAsync(build.Headers.Location!.OriginalString)).TextAsync();
        var next = await (await admin.GetAsync("/prets")).TextAsync();
        using var run = await admin.SubmitAsync("/admin/taches", new() { ["id"] = "rappels-de-retour" }, "/admin/taches?handler=Run");
        var elsewhere = await (await admin.GetAsync("/prets")).TextAsync();
        var jobsLater = await (await admin.GetAsync("/admin/taches")).TextAsync();

        Assert.Equal("/decomptes/2026-11", build.Headers.Location!.OriginalString);
        Assert.Contains("Décomptes de novembre 2026 établis.", month);
        Assert.DoesNotContain("établis", next);
        Assert.DoesNotContain("lancée", elsewhere);
        Assert.DoesNotContain("lancée", jobsLater);
    }

    [Theory]
    [InlineData("/connexion")]
    [InlineData("/carte")]
    [InlineData("/communes")]
    public async Task A_page_with_no_message_to_show_sets_no_message_cookie(string url)
    {
        using var response = await site.App.Client().GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];
        Assert.DoesNotContain(cookies, c => c.StartsWith(".AspNetCore.Mvc.CookieTempDataProvider", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_jobs_dashboard_offers_the_sign_in_to_an_anonymous_visitor()
    {
        using var response = await site.App.Client().GetAsync("/jobs");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Connexion requise", WebUtility.HtmlDecode(html));
        Assert.Contains("href=\"/connexion?ReturnUrl=%2Fjobs\"", html);
    }

    [Fact]
    public async Task Pages_link_fingerprinted_assets_served_precompressed_and_cached_for_good()
    {
        var client = site.App.Client();
        // Not /carte: for a visitor without a session it carries the layout's styles in itself (ADR 31).
        var home = await (await client.GetAsync("/materiel")).Content.ReadAsStringAsync();

        var css = Assert.Single(FingerprintedCss().Matches(home)).Groups[1].Value;
        Assert.Matches(FingerprintedScript(), home);
        Assert.Contains("href=\"/favicon.", home);
        using var asset = new HttpRequestMessage(HttpMethod.Get, css);
        asset.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await client.SendAsync(asset);

        using var plain = await client.GetAsync(css);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        // Really compressed: a site run from its build once sent every file gzip-labelled but stored (ADR 31).
        var compressed = (await response.Content.ReadAsByteArrayAsync()).Length;
        var whole = (await plain.Content.ReadAsByteArrayAsync()).Length;
        Assert.True(compressed > 1000 && compressed * 2 < whole, $"site.css: {compressed} bytes gzip for {whole}");
        // Outside Development a build serves them as published: fingerprinted names cached for good, with an ETag.
        Assert.NotNull(response.Headers.ETag);
        Assert.False(string.IsNullOrEmpty(response.Headers.GetValues("Content-Security-Policy").Single()));
    }

    [Theory]
    [InlineData("/carte/communes.geojson")]
    [InlineData("/carte/materiel.geojson")]
    [InlineData("/carte")]
    [InlineData("/materiel")]
    public async Task Map_data_and_anonymous_pages_are_compressed(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");
        using var response = await site.App.Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("br", Assert.Single(response.Content.Headers.ContentEncoding));
    }

    [Fact]
    public async Task Signed_in_pages_are_not_compressed_but_map_data_is()
    {
        var agent = await site.As("mairie-26144");
        using var page = new HttpRequestMessage(HttpMethod.Get, "/prets");
        page.Headers.AcceptEncoding.ParseAdd("br, gzip");
        using var data = new HttpRequestMessage(HttpMethod.Get, "/carte/communes.geojson");
        data.Headers.AcceptEncoding.ParseAdd("br, gzip");

        using var pageResponse = await agent.SendAsync(page);
        using var dataResponse = await agent.SendAsync(data);

        Assert.Equal(HttpStatusCode.OK, pageResponse.StatusCode);
        Assert.Empty(pageResponse.Content.Headers.ContentEncoding);
        Assert.Equal("br", Assert.Single(dataResponse.Content.Headers.ContentEncoding));
    }

    [GeneratedRegex(@"\b(The (value|field)|is (required|invalid|not valid)|must be a|field is)\b")]
    private static partial Regex English();

    [GeneratedRegex("href=\"(/css/site\\.[a-z0-9]{6,}\\.css)\"")]
    private static partial Regex FingerprintedCss();

    [GeneratedRegex("src=\"/js/menu\\.[a-z0-9]{6,}\\.js\"")]
    private static partial Regex FingerprintedScript();
}
