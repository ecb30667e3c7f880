using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Npgsql;
using ValDrome.Domain.Changes;
using ValDrome.Geo.Encoding;
using ValDrome.Web.Ogc.Views;

namespace ValDrome.Web.Ogc;

/// <summary>
/// OGC API – Features under <c>/ogc</c> (Part 1 Core with GeoJSON, HTML and OpenAPI 3.0; Part 2
/// CRS by reference). Every resource answers JSON or HTML (<c>f</c>, then Accept), carries a
/// strong ETag and CORS headers, and refuses bad input with a French RFC 9457 problem.
/// </summary>
public static class OgcEndpoints
{
    public const string Prefix = "/ogc";

    private static readonly string[] FormatOnly = ["f"];
    private static readonly string[] FeatureParameters = ["f", "crs", "properties"];

    /// <summary>The key of the GIS layer's <see cref="NpgsqlDataSource"/> (a pool of its own, same database).</summary>
    public const string DataSourceKey = "gis";

    public static IServiceCollection AddGisLayer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration.GetConnectionString("ValDrome")
            ?? throw new InvalidOperationException("No database: set ConnectionStrings__ValDrome.");
        services.Configure<GisOptions>(configuration.GetSection("ValDrome:Gis"));
        services.AddKeyedSingleton(DataSourceKey, (provider, _) =>
        {
            var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<GisOptions>>().Value;
            var gis = new NpgsqlConnectionStringBuilder(connectionString);
            if (options.Connections > 0)
            {
                gis.MaxPoolSize = options.Connections;
            }

            if (options.AutoPrepare > 0)
            {
                gis.MaxAutoPrepare = options.AutoPrepare;
            }

            return NpgsqlDataSource.Create(gis.ConnectionString);
        });
        // The territory layer's SQL carries the glance settings (ADR 26), known once the options are.
        services.AddSingleton(provider => new FeatureLayerRegistry(
            FeatureLayers.Published(provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Domain.Glance.GlanceOptions>>().Value)));
        services.AddSingleton<GisCache>();

        // Used by the GIS endpoints alongside the sign-in cookie (GisAccess.AuthenticateKeyAsync), never by the pages.
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, GisKeyAuthentication>(
            GisKeyAuthentication.SchemeName, configureOptions: null);
        return services;
    }

    public static IEndpointRouteBuilder MapOgcApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix).AddEndpointFilter(Guard);
        group.MapGet("", Landing);
        group.MapGet("/conformance", Conformance);
        group.MapGet("/api", Api);
        group.MapGet("/collections", Collections);
        group.MapGet("/collections/{collectionId}", Collection);
        group.MapGet("/collections/{collectionId}/queryables", Queryables);
        group.MapGet("/collections/{collectionId}/items", Items);
        group.MapGet("/collections/{collectionId}/items/{featureId}", Item);
        group.MapMethods("/{**path}", [HttpMethods.Options], Preflight);
        group.MapGet("/{**path}", NoSuchResource);
        return endpoints;
    }

    /// <summary>CORS on every answer; refusals become problems (JSON) or pages (HTML).</summary>
    internal static async ValueTask<object?> Guard(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        OgcResponse.AllowAnyOrigin(http.Response);
        try
        {
            await GisAccess.AuthenticateKeyAsync(http);
            return await next(invocation);
        }
        catch (OgcRequestException refusal) when (!http.Response.HasStarted)
        {
            if (refusal.Status == StatusCodes.Status401Unauthorized)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer realm=\"ValDrome\"";
            }

            var html = false;
            try
            {
                html = OgcParameters.Format(http.Request) == OgcFormat.Html;
            }
            catch (OgcRequestException)
            {
            }

            if (html && refusal.Status == StatusCodes.Status404NotFound)
            {
                // An empty 404: the status code pages show the site's French "Page introuvable".
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Results.Empty;
            }

            if (html)
            {
                var page = await OgcHtml.RenderAsync<ProblemView>(http, new()
                {
                    [nameof(ProblemView.Status)] = refusal.Status,
                    [nameof(ProblemView.Title)] = refusal.Title,
                    [nameof(ProblemView.Detail)] = refusal.Message,
                });
                await OgcResponse.SendAsync(http, OgcResponse.Prepare(page, OgcResponse.Html + "; charset=utf-8"), refusal.Status);
                return Results.Empty;
            }

            await OgcResponse.SendProblemAsync(http, refusal.Status, refusal.Title, refusal.Message);
            return Results.Empty;
        }
    }

    /// <summary>Any other address under the prefix: a 404 in the API's own terms (not a 405 from the preflight route).</summary>
    internal static IResult NoSuchResource(HttpContext http) =>
        throw OgcRequestException.NotFound($"L'adresse « {http.Request.Path} » ne correspond à aucune ressource.");

    internal static IResult Preflight(HttpContext http)
    {
        http.Response.Headers.AccessControlAllowMethods = "GET, OPTIONS";
        http.Response.Headers.AccessControlAllowHeaders = http.Request.Headers.AccessControlRequestHeaders.Count > 0
            ? http.Request.Headers.AccessControlRequestHeaders
            : new StringValues("Accept, If-None-Match");
        http.Response.Headers.AccessControlMaxAge = "86400";
        return Results.NoContent();
    }

    private static async Task Landing(HttpContext http, FeatureLayerRegistry registry)
    {
        OgcParameters.RequireOnly(http.Request.Query, FormatOnly);
        var format = OgcParameters.Format(http.Request);
        var urls = new OgcUrls(http.Request);
        List<OgcLink> links = urls.Keyed(
        [
            new(urls.Root + "?f=json", format == OgcFormat.Json ? "self" : "alternate", OgcResponse.Json, "Cette page en JSON"),
            new(urls.Root + "?f=html", format == OgcFormat.Html ? "self" : "alternate", OgcResponse.Html, "Cette page en HTML"),
            new(urls.Root + "/api", "service-desc", OgcResponse.OpenApi, "Définition de l'API (OpenAPI 3.0)"),
            new(urls.Root + "/api?f=html", "service-doc", OgcResponse.Html, "Documentation de l'API"),
            new(urls.Root + "/conformance", "conformance", OgcResponse.Json, "Classes de conformité"),
            new(urls.Root + "/conformance", "http://www.opengis.net/def/rel/ogc/1.0/conformance", OgcResponse.Json, "Classes de conformité"),
            new(urls.Root + "/collections", "data", OgcResponse.Json, "Collections"),
            new(urls.Root + "/collections", "http://www.opengis.net/def/rel/ogc/1.0/data", OgcResponse.Json, "Collections"),
        ]);
        await SendAsync(http, format, writer => OgcDocuments.Landing(writer, links), OgcResponse.Json,
            () => OgcHtml.RenderAsync<LandingView>(http, new()
            {
                [nameof(LandingView.Root)] = urls.Root,
                [nameof(LandingView.Layers)] = registry.Layers.Where(l => GisAccess.CanRead(GisAccess.Scope(http), l)).ToList(),
                [nameof(LandingView.SiteRoot)] = urls.Site,
            }));
    }

    private static async Task Conformance(HttpContext http)
    {
        OgcParameters.RequireOnly(http.Request.Query, FormatOnly);
        var format = OgcParameters.Format(http.Request);
        await SendAsync(http, format, OgcDocuments.Conformance, OgcResponse.Json,
            () => OgcHtml.RenderAsync<ConformanceView>(http, new()
            {
                [nameof(ConformanceView.Root)] = new OgcUrls(http.Request).Root,
            }));
    }

    private static async Task Api(HttpContext http, FeatureLayerRegistry registry)
    {
        OgcParameters.RequireOnly(http.Request.Query, FormatOnly);
        var format = OgcParameters.Format(http.Request);
        var urls = new OgcUrls(http.Request);
        await SendAsync(http, format, writer => OgcOpenApi.Write(writer, urls.Root, registry.Layers), OgcResponse.OpenApi,
            () => OgcHtml.RenderAsync<ApiView>(http, new()
            {
                [nameof(ApiView.Root)] = urls.Root,
                [nameof(ApiView.Operations)] = OgcOpenApi.Operations(registry.Layers),
            }));
    }

    private static async Task Collections(HttpContext http, FeatureLayerRegistry registry, Operations.ReplicaReads dataSource, CancellationToken cancellationToken)
    {
        OgcParameters.RequireOnly(http.Request.Query, FormatOnly);
        var format = OgcParameters.Format(http.Request);
        var urls = new OgcUrls(http.Request);

        // Private layers are listed only to those who may read them (ADR 0011).
        var scope = GisAccess.Scope(http);
        var layers = registry.Layers.Where(l => GisAccess.CanRead(scope, l)).ToList();
        http.Response.OnStarting(() =>
        {
            if (scope.SignedIn)
            {
                http.Response.Headers.CacheControl = "private, no-cache";
            }

            http.Response.Headers.Append("Vary", "Cookie, Authorization");
            return Task.CompletedTask;
        });

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var extents = await FeatureQueries.ReadExtentsAsync(connection, layers, cancellationToken, scope);
        var collections = layers.Select((layer, i) => new CollectionInfo(layer, extents[i], CollectionLinks(urls, layer, format))).ToList();
        List<OgcLink> links = urls.Keyed(
        [
            new(urls.Root + "/collections?f=json", format == OgcFormat.Json ? "self" : "alternate", OgcResponse.Json, "Les collections en JSON"),
            new(urls.Root + "/collections?f=html", format == OgcFormat.Html ? "self" : "alternate", OgcResponse.Html, "Les collections en HTML"),
        ]);
        await SendAsync(http, format, writer => OgcDocuments.Collections(writer, links, collections), OgcResponse.Json,
            () => OgcHtml.RenderAsync<CollectionsView>(http, new()
            {
                [nameof(CollectionsView.Root)] = urls.Root,
                [nameof(CollectionsView.Collections)] = collections,
            }));
    }

    private static async Task Collection(
        HttpContext http, string collectionId, FeatureLayerRegistry registry, Operations.ReplicaReads dataSource, CancellationToken cancellationToken)
    {
        var layer = FindLayer(registry, collectionId);
        var scope = GisAccess.Require(http, layer);
        OgcParameters.RequireOnly(http.Request.Query, FormatOnly);
        var format = OgcParameters.Format(http.Request);
        var urls = new OgcUrls(http.Request);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var extent = (await FeatureQueries.ReadExtentsAsync(connection, [layer], cancellationToken, scope))[0];
        var collection = new CollectionInfo(layer, extent, CollectionLinks(urls, layer, format));
        await SendAsync(http, format, writer => OgcDocuments.Collection(writer, collection), OgcResponse.Json,
            () => OgcHtml.RenderAsync<CollectionView>(http, new()
            {
                [nameof(CollectionView.Root)] = urls.Root,
                [nameof(CollectionView.Collection)] = collection,
            }));
    }

    private static async Task Queryables(HttpContext http, string collectionId, FeatureLayerRegistry registry)
    {
        var layer = FindLayer(registry, collectionId);
        GisAccess.Require(http, layer);
        OgcParameters.RequireOnly(http.Request.Query, FormatOnly);
        var format = OgcParameters.Format(http.Request);
        var urls = new OgcUrls(http.Request);
        await SendAsync(http, format, writer => OgcDocuments.Queryables(writer, layer, $"{urls.Root}/collections/{layer.Id}/queryables"), OgcResponse.JsonSchema,
            () => OgcHtml.RenderAsync<QueryablesView>(http, new()
            {
                [nameof(QueryablesView.Root)] = urls.Root,
                [nameof(QueryablesView.Layer)] = layer,
            }));
    }

    private static async Task Items(
        HttpContext http,
        string collectionId,
        FeatureLayerRegistry registry,
        Operations.ReplicaReads dataSource,
        GisCache cache,
        DataVersions versions,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var layer = FindLayer(registry, collectionId);
        var scope = GisAccess.Require(http, layer);
        var query = ItemsQuery.Parse(layer, http.Request.Query);
        var format = OgcParameters.Format(http.Request);
        var urls = new OgcUrls(http.Request);

        // The version is read before the query: a page filled while a change commits is cached under the old version.
        // The scope is part of the key: a page of a private layer never reaches another scope (ADR 0011).
        var key = $"items|{scope.CacheKey}|{format}|{versions.Of(layer.Tables)}|{urls.Site}{http.Request.Path}{http.Request.QueryString}";
        if (!cache.TryGet(key, out var body))
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var page = await FeatureQueries.ReadItemsAsync(connection, query, cancellationToken, scope);
            var timeStamp = clock.GetUtcNow();
            var links = ItemsLinks(urls, http.Request, layer, query, page, format);
            var headers = new Dictionary<string, string>
            {
                ["Link"] = OgcResponse.LinkHeader(links.Where(l => l.Rel is "self" or "alternate" or "next" or "prev")),
            };
            if (format == OgcFormat.Json)
            {
                headers["Content-Crs"] = query.Crs.ContentCrsHeader;
                body = OgcResponse.Prepare(
                    OgcResponse.WriteJson(writer => OgcDocuments.Items(writer, query, page, links, timeStamp)),
                    OgcResponse.GeoJson, headers: headers);
            }
            else
            {
                var html = await OgcHtml.RenderAsync<ItemsView>(http, new()
                {
                    [nameof(ItemsView.Root)] = urls.Root,
                    [nameof(ItemsView.Query)] = query,
                    [nameof(ItemsView.Page)] = page,
                    [nameof(ItemsView.Links)] = links,
                    [nameof(ItemsView.TimeStamp)] = timeStamp,
                    [nameof(ItemsView.MapGeoJson)] = query.Crs == OgcCrs.Crs84 ? FeatureCollectionText(page.Features) : null,
                });
                body = OgcResponse.Prepare(html, OgcResponse.Html + "; charset=utf-8", headers: headers);
            }

            cache.Set(key, body);
        }

        http.Response.Headers.Vary = "Accept";
        await OgcResponse.SendAsync(http, body);
    }

    private static async Task Item(
        HttpContext http, string collectionId, string featureId, FeatureLayerRegistry registry, Operations.ReplicaReads dataSource, CancellationToken cancellationToken)
    {
        var layer = FindLayer(registry, collectionId);
        var scope = GisAccess.Require(http, layer);
        OgcParameters.RequireOnly(http.Request.Query, FeatureParameters);
        var format = OgcParameters.Format(http.Request);
        var crs = OgcParameters.Crs(http.Request.Query, "crs");
        var properties = ItemsQuery.ParseProperties(layer, OgcParameters.Single(http.Request.Query, "properties"));

        // Feature ids are integers: anything else names no feature.
        if (!long.TryParse(featureId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            throw OgcRequestException.NotFound($"« {featureId} » n'est pas un identifiant d'objet de « {layer.Id} » (un nombre entier).");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var feature = await FeatureQueries.ReadItemAsync(connection, layer, id, properties, crs, scope, cancellationToken)
            ?? throw OgcRequestException.NotFound($"La collection « {layer.Id} » n'a pas d'objet n° {id}.");
        var urls = new OgcUrls(http.Request);
        var path = $"/collections/{layer.Id}/items/{id}";
        List<OgcLink> links =
        [
            new(urls.With(http.Request, path, ("f", "json")), format == OgcFormat.Json ? "self" : "alternate", OgcResponse.GeoJson, "Cet objet en GeoJSON"),
            new(urls.With(http.Request, path, ("f", "html")), format == OgcFormat.Html ? "self" : "alternate", OgcResponse.Html, "Cet objet en HTML"),
            new(urls.Keyed($"{urls.Root}/collections/{layer.Id}?f=json"), "collection", OgcResponse.Json, layer.Title),
        ];
        http.Response.Headers.Link = OgcResponse.LinkHeader(links.Where(l => l.Rel is "self" or "alternate"));
        if (format == OgcFormat.Json)
        {
            http.Response.Headers["Content-Crs"] = crs.ContentCrsHeader;
        }

        await SendAsync(http, format, writer => OgcDocuments.WriteFeature(writer, feature, properties, links), OgcResponse.GeoJson,
            () => OgcHtml.RenderAsync<ItemView>(http, new()
            {
                [nameof(ItemView.Root)] = urls.Root,
                [nameof(ItemView.Layer)] = layer,
                [nameof(ItemView.Feature)] = feature,
                [nameof(ItemView.Properties)] = properties,
                [nameof(ItemView.Links)] = links,
                [nameof(ItemView.MapGeoJson)] = crs == OgcCrs.Crs84 ? FeatureCollectionText([feature]) : null,
            }));
    }

    private static FeatureLayer FindLayer(FeatureLayerRegistry registry, string collectionId) =>
        registry.Find(collectionId) ?? throw OgcRequestException.NotFound(
            $"Il n'y a pas de collection « {collectionId} ». Collections : {string.Join(", ", registry.Layers.Select(l => l.Id))}.");

    private static async Task SendAsync(HttpContext http, OgcFormat format, Action<Utf8JsonWriter> json, string jsonType, Func<Task<byte[]>> html)
    {
        http.Response.Headers.Vary = "Accept";
        var body = format == OgcFormat.Json
            ? OgcResponse.Prepare(OgcResponse.WriteJson(json), jsonType)
            : OgcResponse.Prepare(await html(), OgcResponse.Html + "; charset=utf-8");
        await OgcResponse.SendAsync(http, body);
    }

    private static List<OgcLink> CollectionLinks(OgcUrls urls, FeatureLayer layer, OgcFormat format)
    {
        var path = $"{urls.Root}/collections/{layer.Id}";
        return urls.Keyed(
        [
            new(path + "?f=json", format == OgcFormat.Json ? "self" : "alternate", OgcResponse.Json, $"{layer.Title} (JSON)"),
            new(path + "?f=html", format == OgcFormat.Html ? "self" : "alternate", OgcResponse.Html, $"{layer.Title} (HTML)"),
            new(path + "/items?f=json", "items", OgcResponse.GeoJson, $"{layer.Title} : les objets en GeoJSON"),
            new(path + "/items?f=html", "items", OgcResponse.Html, $"{layer.Title} : les objets en HTML"),
            new(path + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", OgcResponse.JsonSchema, "Propriétés filtrables"),
        ]);
    }

    private static List<OgcLink> ItemsLinks(OgcUrls urls, HttpRequest request, FeatureLayer layer, ItemsQuery query, FeaturePage page, OgcFormat format)
    {
        var path = $"/collections/{layer.Id}/items";
        var (type, f) = format == OgcFormat.Json ? (OgcResponse.GeoJson, "json") : (OgcResponse.Html, "html");
        var links = new List<OgcLink>
        {
            new(urls.With(request, path, ("f", "json")), format == OgcFormat.Json ? "self" : "alternate", OgcResponse.GeoJson, "Cette page en GeoJSON"),
            new(urls.With(request, path, ("f", "html")), format == OgcFormat.Html ? "self" : "alternate", OgcResponse.Html, "Cette page en HTML"),
        };
        if (query.Offset + page.Features.Count < page.NumberMatched)
        {
            links.Add(new(urls.With(request, path, ("f", f), ("offset", (query.Offset + query.Limit).ToString(System.Globalization.CultureInfo.InvariantCulture))),
                "next", type, "Page suivante"));
        }

        if (query.Offset > 0)
        {
            var previous = Math.Max(0, query.Offset - query.Limit);
            links.Add(new(urls.With(request, path, ("f", f), ("offset", previous == 0 ? null : previous.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                "prev", type, "Page précédente"));
        }

        links.Add(new(urls.Keyed($"{urls.Root}/collections/{layer.Id}?f=json"), "collection", OgcResponse.Json, layer.Title));
        return links;
    }

    private static string FeatureCollectionText(IEnumerable<FeatureRow> features)
    {
        var bytes = OgcResponse.WriteJson(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WriteStartArray("features");
            foreach (var feature in features)
            {
                GeoJson.WriteFeature(writer, feature.Id, feature.GeometryJson, _ => { });
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        return System.Text.Encoding.UTF8.GetString(bytes);
    }
}

/// <summary>Absolute URLs of the API, on the host the client used.</summary>
internal sealed class OgcUrls(HttpRequest request)
{
    public string Site { get; } = $"{request.Scheme}://{request.Host}{request.PathBase}";

    public string Root => Site + OgcEndpoints.Prefix;

    /// <summary>The access key of a request that came with it in the query string: links carry it on, so GDAL and QGIS can follow them.</summary>
    public string? Key { get; } = GisAccess.KeyInQuery(request.HttpContext);

    public string Keyed(string href) =>
        Key is null || href.Contains($"?{GisKeyAuthentication.QueryParameter}=", StringComparison.Ordinal)
            || href.Contains($"&{GisKeyAuthentication.QueryParameter}=", StringComparison.Ordinal)
            ? href
            : href + (href.Contains('?', StringComparison.Ordinal) ? '&' : '?') + GisKeyAuthentication.QueryParameter + "=" + Uri.EscapeDataString(Key);

    public List<OgcLink> Keyed(IEnumerable<OgcLink> links) => [.. links.Select(l => l with { Href = Keyed(l.Href) })];

    /// <summary>The current query with some parameters replaced (a null value removes one).</summary>
    public string With(HttpRequest current, string path, params (string Key, string? Value)[] changes)
    {
        var parameters = current.Query
            .Where(p => !changes.Any(c => c.Key == p.Key))
            .Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString()))
            .Concat(changes.Where(c => c.Value is not null).Select(c => KeyValuePair.Create(c.Key, c.Value)));
        return Root + path + QueryString.Create(parameters).ToUriComponent();
    }
}
