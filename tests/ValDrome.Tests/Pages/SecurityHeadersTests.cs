using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ValDrome.Domain.Seed;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Pages;

[Collection(SharedReadOnlySeededSite.Name)]
public sealed partial class SecurityHeadersTests(ReadOnlySeededSite site)
{
    private static void AssertHardened(HttpResponseMessage response, string url)
    {
        string Header(string name) =>
            response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
            : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues)
            : throw new Xunit.Sdk.XunitException($"{url}: no {name} header ({(int)response.StatusCode})");

        var csp = Header("Content-Security-Policy");
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header("X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header("Referrer-Policy"));
        Assert.Contains("geolocation=()", Header("Permissions-Policy"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", HttpStatusCode.OK)]
    [InlineData("/css/site.css", HttpStatusCode.OK)]
    [InlineData("/js/map.js", HttpStatusCode.OK)]
    [InlineData("/lib/leaflet/leaflet.js", HttpStatusCode.OK)]
    [InlineData("/ogc/collections/communes/items?limit=1", HttpStatusCode.OK)]
    [InlineData("/ogc/collections?f=html", HttpStatusCode.OK)]
    [InlineData("/ogc/collections/nulle-part", HttpStatusCode.NotFound)]
    [InlineData("/tiles/communes.json", HttpStatusCode.OK)]
    [InlineData("/tiles/communes/8/132/92.pbf", HttpStatusCode.NoContent)]
    [InlineData("/carte/communes.geojson", HttpStatusCode.OK)]
    [InlineData("/page-qui-n-existe-pas", HttpStatusCode.NotFound)]
    [InlineData("/prets", HttpStatusCode.Redirect)]
    public async Task Every_kind_of_response_carries_the_security_headers(string url, HttpStatusCode expected)
    {
        using var response = await site.App.Client().GetAsync(url);

        Assert.Equal(expected, response.StatusCode);
        AssertHardened(response, url);
    }

    [Fact]
    public async Task An_error_page_after_an_exception_carries_the_security_headers()
    {
        // In production the exception handler clears the response's headers: they must come back on its page.
        await using var production = site.App.WithWebHostBuilder(b => b.UseEnvironment("Production").UseSetting("ValDrome:PublicUrl", "https://valdrome.example").ConfigureTestServices(services =>
            services.Configure<MvcOptions>(options => options.Filters.Add(new FailingPage()))));
        using var response = await production.CreateClient().GetAsync("/materiel?panne=1");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Erreur du service", await response.TextAsync(), StringComparison.Ordinal);
        AssertHardened(response, "/materiel?panne=1");
    }

    /// <summary>A bug on any page asked with ?panne (not on the error page itself).</summary>
    private sealed class FailingPage : IResourceFilter
    {
        public void OnResourceExecuting(ResourceExecutingContext context)
        {
            if (context.HttpContext.Request.Query.ContainsKey("panne") && !context.HttpContext.Request.Path.StartsWithSegments("/erreur"))
            {
                throw new InvalidOperationException("A bug for the test.");
            }
        }

        public void OnResourceExecuted(ResourceExecutedContext context)
        {
        }
    }

    [Fact]
    public async Task The_jobs_dashboard_has_a_policy_of_its_own_and_still_refuses_framing()
    {
        var admin = await site.App.SignedInAsync(DevelopmentAccounts.Admin);
        using var response = await admin.GetAsync("/jobs");

        var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task No_page_of_the_site_has_an_inline_script_its_policy_does_not_name_or_an_event_handler()
    {
        var admin = await site.App.SignedInAsync(DevelopmentAccounts.Admin);
        var agent = await site.App.SignedInAsync(DevelopmentAccounts.AgentOf("26144"));
        var pages = new List<string>();
        foreach (var client in new[] { site.App.Client(), agent, admin })
        {
            pages.AddRange(await CrawlAsync(client, ["/", "/connexion", "/prets", "/prets/demander", "/tournees", "/maintenance", "/decomptes",
                "/admin/taches", "/ogc?f=html", "/ogc/api?f=html", "/ogc/collections?f=html", "/ogc/collections/communes/items?f=html&limit=2",
                "/ogc/collections/equipements/items?f=html&limit=2", "/ogc/collections/depots?f=html", "/page-qui-n-existe-pas"]));
        }

        Assert.True(pages.Count > 40, $"only {pages.Count} pages read");
        Assert.Contains(pages, p => p.StartsWith("/materiel/", StringComparison.Ordinal));
        Assert.Contains(pages, p => p.StartsWith("/prets/", StringComparison.Ordinal));
    }

    /// <summary>Follows the site's own links (at most 60 pages per visitor) and checks every HTML page read.</summary>
    private static async Task<List<string>> CrawlAsync(HttpClient client, string[] start)
    {
        var seen = new HashSet<string>(start, StringComparer.Ordinal);
        var queue = new Queue<string>(start);
        var read = new List<string>();
        while (queue.Count > 0 && read.Count < 60)
        {
            var url = queue.Dequeue();
            using var response = await client.GetAsync(url);
            if (response.Content.Headers.ContentType?.MediaType != "text/html")
            {
                continue;
            }

            var html = await response.Content.ReadAsStringAsync();
            var policy = response.Headers.TryGetValues("Content-Security-Policy", out var values) ? string.Join(' ', values) : "";
            read.Add(url);
            foreach (Match script in Script().Matches(html))
            {
                var attributes = script.Groups[1].Value;
                if (attributes.Contains("src=", StringComparison.Ordinal) || attributes.Contains("type=\"application/json\"", StringComparison.Ordinal))
                {
                    continue;
                }

                // Only a text the page's own policy names by its hash (the map page's, ADR 31).
                var from = script.Index + script.Length;
                var text = html[from..html.IndexOf("</script>", from, StringComparison.Ordinal)];
                var hash = $"'sha256-{Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))}'";
                Assert.True(policy.Contains(hash, StringComparison.Ordinal), $"{url}: inline script <script{attributes}> that its policy does not name");
            }

            Assert.False(EventHandler().IsMatch(html), $"{url}: inline event handler {EventHandler().Match(html).Value}");
            Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
            foreach (Match link in Link().Matches(html))
            {
                var href = WebUtility.HtmlDecode(link.Groups[1].Value);
                if (href.StartsWith('/') && !href.StartsWith("//", StringComparison.Ordinal) && !href.StartsWith("/jobs", StringComparison.Ordinal)
                    && !href.StartsWith("/deconnexion", StringComparison.Ordinal) && seen.Add(href))
                {
                    queue.Enqueue(href);
                }
            }
        }

        return read;
    }

    [Fact]
    public async Task Forwarded_headers_are_trusted_from_the_configured_proxies_only()
    {
        await using var configured = site.App.WithWebHostBuilder(b => b
            .UseSetting("ValDrome:ReverseProxy:KnownProxies:0", "10.0.0.2")
            .UseSetting("ValDrome:ReverseProxy:KnownNetworks:0", "192.168.10.0/24"));
        var options = configured.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        var defaults = site.App.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        Assert.Equal(ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, options.ForwardedHeaders);
        Assert.Contains(IPAddress.Parse("10.0.0.2"), options.KnownProxies);
        Assert.Contains(System.Net.IPNetwork.Parse("192.168.10.0/24"), options.KnownIPNetworks);
        Assert.DoesNotContain(IPAddress.Parse("10.0.0.2"), defaults.KnownProxies);
        Assert.All(defaults.KnownProxies, p => Assert.True(IPAddress.IsLoopback(p)));
    }

    [Fact]
    public async Task In_production_cookies_are_secure_hsts_is_sent_and_foreign_hosts_are_refused()
    {
        await using var production = site.App.WithWebHostBuilder(b => b.UseEnvironment("Production").UseSetting("ValDrome:PublicUrl", "https://valdrome.example").UseSetting("AllowedHosts", "valdrome.example"));
        using var client = production.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://valdrome.example"),
            AllowAutoRedirect = false,
        });

        using var page = await client.GetAsync("/connexion");
        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/");
        foreign.Headers.Host = "ailleurs.example";
        using var refused = await client.SendAsync(foreign);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("max-age=31536000", string.Join(",", page.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.All(page.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task Behind_the_local_proxy_the_forwarded_scheme_makes_cookies_secure()
    {
        await using var proxied = site.App.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<IStartupFilter>(new FromAddress(IPAddress.Loopback))));
        // No cookie jar: each answer sets its own antiforgery cookie.
        using var client = proxied.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        using var plain = await client.GetAsync("/connexion");
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/connexion");
        forwarded.Headers.Add("X-Forwarded-Proto", "https");
        forwarded.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var https = await client.SendAsync(forwarded);

        Assert.All(plain.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(https.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Gives every request the remote address of the proxy in front (the in-memory server has none).</summary>
    internal sealed class FromAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    [GeneratedRegex("<script\\b([^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex Script();

    [GeneratedRegex("<[a-z][^>]*\\son[a-z]+\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();

    [GeneratedRegex("href=\"([^\"#]+)\"")]
    private static partial Regex Link();
}
