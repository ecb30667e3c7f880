using System.Net;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ValDrome.Domain.Loans;
using ValDrome.Tests.Support;
using Xunit.Abstractions;

namespace ValDrome.Tests.Pages;

/// <summary>
/// Walks every route the site maps, as read from its <see cref="EndpointDataSource"/> (a new page
/// or endpoint is walked without editing this test): Razor pages with each of their handlers,
/// minimal APIs, OGC, tiles, the feed, the exports. Each route parameter, query parameter and form
/// field gets each hostile value in turn (the others left out, route parameters set to something
/// that exists), then all of them at once; over GET and POST (with a valid antiforgery token, so
/// that handlers really run), as an anonymous visitor, an admin and a commune's agent. No answer
/// may be a 5xx, and no row may be written.
/// </summary>
public sealed partial class HostileInputWalkTests(MarketSite site, ITestOutputHelper output) : IClassFixture<MarketSite>
{
    /// <summary>What the walk sends. Raw values are put in the address or the form as they are (already percent-encoded).</summary>
    private static readonly HostileValue[] Values =
    [
        new("NUL", "a\0b"),
        new("2147483647", "2147483647"),
        new("-1", "-1"),
        new("1e308", "1e308"),
        new("0001-01-01", "0001-01-01"),
        new("9999-12-31", "9999-12-31"),
        new("5,000 characters", new string('é', 5000)),
        new("invalid UTF-8 %C3%28", "%C3%28", Raw: true),
        new("invalid UTF-8 %FF", "%FF", Raw: true),
        new("whole-world box", "-180,-90,180,90"),
    ];

    /// <summary>
    /// Query parameters that handlers read from the request themselves (OGC API and tiles read
    /// <c>Request.Query</c>), so that reflection cannot see them; sent to every minimal API.
    /// </summary>
    private static readonly string[] QueryReadByHand = ["f", "bbox", "bbox-crs", "crs", "limit", "offset", "datetime", "properties", "sortby", "categorie"];

    /// <summary>
    /// Handlers that may write when they accept the request (a redirect, or a page showing what was
    /// made) although they were sent a hostile value: the value was one they do not read, or one
    /// that is valid for them, and the rest of the request was a plain click.
    /// </summary>
    private static readonly HashSet<string> MayWriteOnSuccess =
    [
        // « Planifier » with no day plans today's tour: what the button does; Meter, Notes and Damage belong to other handlers.
        "POST /tournees?handler=Plan",
        // « Créer une nouvelle adresse » renews the commune's feed token: it reads no input.
        "POST /prets?handler=RenewFeed",
        // Any short text names a GIS key (« -1 », « 9999-12-31 »): the page shows the new secret (200).
        "POST /compte?handler=Create",
        // Any short line is a mairie's address (« -1 » too): its own agent and staff may type one.
        "POST /communes/{insee}?handler=Contacts",
        // Any text describes a fault (« -1 », « 9999-12-31 »): staff and admins may report on any unit, and the owner is told.
        "POST /materiel/{id:int}?handler=Fault",
    ];

    private static readonly Type[] Simple =
        [typeof(string), typeof(int), typeof(long), typeof(double), typeof(decimal), typeof(bool), typeof(DateOnly), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeOnly), typeof(Guid)];

    [Fact]
    public async Task No_route_answers_a_5xx_or_writes_a_row_whatever_it_is_sent()
    {
        var routes = await RoutesAsync();
        output.WriteLine($"{routes.Count} routes:");
        foreach (var route in routes)
        {
            output.WriteLine($"  {route}");
        }

        var week = site.Week();
        var closedLoan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", week, week, LoanStatus.Closed);
        var fingerprint = await FingerprintSqlAsync();
        var actors = new (string Name, HttpClient Client)[]
        {
            ("anonyme", site.App.Client()),
            ("admin", await site.App.SignedInAsync("admin")),
            ("mairie-26144", await site.App.SignedInAsync("mairie-26144")),
        };

        var failures = new List<string>();
        var requests = 0;
        var started = DateTime.UtcNow;
        foreach (var (name, client) in actors)
        {
            var token = await AntiforgeryTokenAsync(client);
            foreach (var route in routes)
            {
                // Signing out would leave the rest of the walk anonymous: it is walked by the anonymous visitor only.
                if (route.Method == "POST" && route.Pattern == "/deconnexion" && name != "anonyme")
                {
                    continue;
                }

                // The tables are read before and after each route's requests (not each request: the walk would take minutes).
                var before = await site.Database.ScalarAsync<string>(fingerprint);
                var accepted = false;
                foreach (var (target, value) in Cases(route))
                {
                    var (path, body) = Build(route, target, value, closedLoan.Id, token);
                    using var response = route.Method == "POST"
                        ? await client.PostAsync(path, new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"))
                        : await client.GetAsync(path);
                    requests++;
                    accepted |= (int)response.StatusCode is >= 200 and < 400;
                    var what = $"{name}: {route.Method} {Shorten(path)} ({target ?? "every parameter"} = {value.Name}) → {(int)response.StatusCode}";
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add(what);
                    }
                }

                var after = await site.Database.ScalarAsync<string>(fingerprint);
                if (before != after && !(accepted && MayWriteOnSuccess.Contains(route.ToString())))
                {
                    failures.Add($"{name}: {route}: rows written ({Changed(before, after)})");
                }
            }
        }

        output.WriteLine($"{requests} requests in {(DateTime.UtcNow - started).TotalSeconds:0} s");
        Assert.True(routes.Count >= 30, $"Only {routes.Count} routes found: the endpoint data source was not read whole.");
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n{string.Join('\n', failures.Take(60))}");
    }

    private const int ValuesPerParameter = 3;

    /// <summary>Each parameter with a few values in turn, then every parameter with the same value at once.</summary>
    private static IEnumerable<(string? Target, HostileValue Value)> Cases(Route route)
    {
        var parameters = route.Parameters.ToList();
        for (var p = 0; p < parameters.Count; p++)
        {
            // Three values for each parameter, three others for the next one: every value meets many parameters.
            for (var k = 0; k < ValuesPerParameter; k++)
            {
                var value = Values[(p * ValuesPerParameter + k) % Values.Length];
                if (!NotInPath(parameters[p], value))
                {
                    yield return (parameters[p].Name, value);
                }
            }
        }

        foreach (var value in Values)
        {
            yield return (null, value);
        }
    }

    private static (string Path, string Body) Build(Route route, string? target, HostileValue value, int closedLoanId, string token)
    {
        string Encoded(HostileValue v) => v.Raw ? v.Text : Uri.EscapeDataString(v.Text);
        var path = new StringBuilder();
        foreach (var segment in route.Pattern.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path.Append('/').Append(RouteParameter().Replace(segment, m =>
            {
                var name = m.Groups[1].Value;
                return (target is null || target == name) && !NotInPath(new Parameter(name, Source.Route), value)
                    ? Encoded(value)
                    : SafeRouteValue(route.Pattern, name, closedLoanId);
            }));
        }

        var query = new List<string>();
        var form = new List<string> { "__RequestVerificationToken=" + Uri.EscapeDataString(token) };
        if (route.Handler is { } handler)
        {
            query.Add("handler=" + handler);
        }

        foreach (var parameter in route.Parameters.Where(p => p.Source != Source.Route && (target is null || target == p.Name)))
        {
            var pair = Uri.EscapeDataString(parameter.Name) + "=" + Encoded(value);
            (parameter.Source == Source.Form && route.Method == "POST" ? form : query).Add(pair);
        }

        var url = (path.Length == 0 ? "/" : path.ToString()) + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        return (url, string.Join('&', form));
    }

    // Kestrel answers 400 itself to a NUL in the path, before the site; the test server throws instead.
    private static bool NotInPath(Parameter parameter, HostileValue value) =>
        parameter.Source == Source.Route && value.Text.Contains('\0', StringComparison.Ordinal);

    /// <summary>Route values that exist, for the parameters not under test: the handler gets as far as it can.</summary>
    private static string SafeRouteValue(string pattern, string name, int closedLoanId) => name switch
    {
        // A closed loan: every move on it is refused, so a hostile field cannot ride on a move that would succeed.
        "id" when pattern.StartsWith("/prets", StringComparison.Ordinal) => closedLoanId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "id" => "1",
        "insee" => "26144",
        "mois" => "2026-11",
        "annee" => "2027",
        "code" => "404",
        "collectionId" => "equipements",
        "featureId" => "1",
        "layer" => "equipements",
        "z" => "10",
        "x" => "526",
        "y" => "365",
        _ => "x",
    };

    /// <summary>Routes, methods, handlers and the names they bind, from the endpoint data source and the page models.</summary>
    private async Task<List<Route>> RoutesAsync()
    {
        var services = site.App.Services;
        var loader = services.GetRequiredService<PageLoader>();
        var routes = new List<Route>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var routeParameters = endpoint.RoutePattern.Parameters.Select(p => new Parameter(p.Name, Source.Route)).ToList();
            if (endpoint.Metadata.GetMetadata<ActionDescriptor>() is PageActionDescriptor page)
            {
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                foreach (var handler in compiled.HandlerMethods)
                {
                    var method = handler.HttpMethod.ToUpperInvariant();
                    var names = handler.Parameters.Where(p => IsBindable(p.ParameterType))
                        .Select(p => new Parameter(p.BindingInfo?.BinderModelName ?? p.Name, Source.Query))
                        .Concat(compiled.BoundProperties.OfType<PageBoundPropertyDescriptor>()
                            .Where(p => method == "POST" || p.BindingInfo?.RequestPredicate?.Invoke(new ActionContext { HttpContext = new DefaultHttpContext { Request = { Method = "GET" } } }) != false)
                            .SelectMany(p => FieldNames(p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType))
                            .Select(n => new Parameter(n, Source.Form)));
                    routes.Add(new Route(method, pattern, handler.Name, Merge(routeParameters, names)));
                }

                if (compiled.HandlerMethods.All(h => !h.HttpMethod.Equals("GET", StringComparison.OrdinalIgnoreCase)))
                {
                    routes.Add(new Route("GET", pattern, null, routeParameters));
                }

                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var declared = endpoint.Metadata.GetMetadata<MethodInfo>()?.GetParameters()
                .Where(p => IsBindable(p.ParameterType)).Select(p => new Parameter(p.Name!, Source.Query)) ?? [];
            var read = QueryReadByHand.Select(n => new Parameter(n, Source.Query));
            foreach (var method in methods)
            {
                routes.Add(new Route(method, pattern, null, Merge(routeParameters, declared.Concat(read))));
            }
        }

        // Hangfire's dashboard is a middleware, not endpoints: its pages and its statistics are added by hand.
        routes.Add(new Route("GET", "/jobs", null, []));
        routes.Add(new Route("GET", "/jobs/stats", null, [new Parameter("metrics[]", Source.Query)]));
        routes.Add(new Route("POST", "/jobs/stats", null, [new Parameter("metrics[]", Source.Form)]));
        return [.. routes.DistinctBy(r => r.ToString()).OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).ThenBy(r => r.Handler, StringComparer.Ordinal)];
    }

    private static List<Parameter> Merge(List<Parameter> route, IEnumerable<Parameter> others) =>
        [.. route, .. others.Where(o => route.All(r => !r.Name.Equals(o.Name, StringComparison.OrdinalIgnoreCase))).DistinctBy(o => o.Name)];

    private static bool IsBindable(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return Simple.Contains(underlying) || underlying.IsEnum;
    }

    /// <summary>A simple property is one field; a form class is one field per property (<c>Form.Du</c>).</summary>
    private static IEnumerable<string> FieldNames(string name, Type type) =>
        IsBindable(type)
            ? [name]
            : type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && IsBindable(p.PropertyType)).Select(p => $"{name}.{p.Name}");

    private static async Task<string> AntiforgeryTokenAsync(HttpClient client)
    {
        var html = await (await client.GetAsync("/connexion")).Content.ReadAsStringAsync();
        return WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value);
    }

    /// <summary>One query whose answer changes when any row of any table is inserted, updated or deleted: row count and newest xmin of each.</summary>
    private async Task<string> FingerprintSqlAsync()
    {
        await using var connection = new NpgsqlConnection(site.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT table_schema, table_name FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema IN ('public', 'hangfire')
              AND table_name NOT IN ('spatial_ref_sys')
            ORDER BY 1, 2
            """, connection);
        var parts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var table = $"\"{reader.GetString(0)}\".\"{reader.GetString(1)}\"";
            // A session's « last seen » is refreshed every few minutes whatever the route (ADR 12): on
            // that table a new or removed row counts, a touched one does not.
            var newest = reader.GetString(1) == "user_sessions" ? "0" : "coalesce(max(xmin::text::bigint), 0)";
            parts.Add($"(SELECT '{reader.GetString(1)}:' || count(*) || ':' || {newest} FROM {table})");
        }

        return "SELECT " + string.Join(" || ' ' || ", parts);
    }

    private static string Changed(string before, string after) =>
        string.Join(", ", after.Split(' ').Except(before.Split(' ')));

    private static string Shorten(string path) => path.Length > 160 ? path[..160] + "…" : path;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex(@"\{\**([A-Za-z]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    private enum Source
    {
        Route,
        Query,
        Form,
    }

    private sealed record Parameter(string Name, Source Source);

    private sealed record HostileValue(string Name, string Text, bool Raw = false);

    private sealed record Route(string Method, string Pattern, string? Handler, List<Parameter> Parameters)
    {
        public override string ToString() => $"{Method} {Pattern}{(Handler is null ? "" : "?handler=" + Handler)}";
    }
}
