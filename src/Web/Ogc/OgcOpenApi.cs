using System.Text.Json;
using System.Text.Json.Nodes;

namespace ValDrome.Web.Ogc;

public sealed record ApiParameter(string Name, string Description, JsonObject Schema, bool InPath = false, bool Explode = true);

public sealed record ApiOperation(
    string Path, string OperationId, string Summary, string Description, IReadOnlyList<ApiParameter> Parameters, string MediaType, string SchemaRef);

/// <summary>
/// The OpenAPI 3.0 definition (service-desc), written by hand from the operations below; each
/// layer gets its own paths, so the definition names exactly the parameters each one accepts
/// (a parameter it does not name is refused with 400).
/// </summary>
internal static class OgcOpenApi
{
    private const string ErrorRef = "#/components/responses/Error";

    public static IReadOnlyList<ApiOperation> Operations(IReadOnlyList<FeatureLayer> layers)
    {
        var operations = new List<ApiOperation>
        {
            new("/", "getLandingPage", "Page d'accueil", "Liens vers la définition de l'API, les classes de conformité et les collections.",
                [Format()], OgcResponse.Json, "landingPage"),
            new("/conformance", "getConformanceDeclaration", "Classes de conformité", "Les classes de conformité OGC que l'API respecte.",
                [Format()], OgcResponse.Json, "confClasses"),
            new("/api", "getApiDefinition", "Définition de l'API", "Ce document (OpenAPI 3.0), ou sa présentation en HTML.",
                [Format()], OgcResponse.OpenApi, "openapi"),
            new("/collections", "getCollections", "Collections", "Les collections publiées, leur emprise et leurs systèmes de coordonnées.",
                [Format()], OgcResponse.Json, "collections"),
        };
        foreach (var layer in layers)
        {
            var id = layer.Id;
            operations.Add(new($"/collections/{id}", $"describe_{id}", $"Collection « {id} »", layer.Description,
                [Format()], OgcResponse.Json, "collection"));
            operations.Add(new($"/collections/{id}/queryables", $"queryables_{id}", $"Propriétés filtrables de « {id} »",
                "Schéma JSON des propriétés utilisables comme filtre d'égalité.", [Format()], OgcResponse.JsonSchema, "queryables"));
            operations.Add(new($"/collections/{id}/items", $"items_{id}", $"Objets de « {id} »",
                $"{layer.Description} Pagination par « limit » et « offset » (liens next/prev).",
                [Format(), Limit(), Offset(), Bbox(), Crs("bbox-crs", "Système de coordonnées de « bbox » (CRS84 par défaut)."),
                    Datetime(layer), Properties(layer), SortBy(layer), Crs("crs", "Système de coordonnées des géométries (CRS84 par défaut)."),
                    .. layer.Queryables.Select(Queryable)],
                OgcResponse.GeoJson, "featureCollectionGeoJSON"));
            operations.Add(new($"/collections/{id}/items/{{featureId}}", $"item_{id}", $"Un objet de « {id} »", "Un objet par son identifiant (entier).",
                [new("featureId", "Identifiant de l'objet.", new JsonObject { ["type"] = "integer", ["minimum"] = 1 }, InPath: true),
                    Format(), Properties(layer), Crs("crs", "Système de coordonnées de la géométrie (CRS84 par défaut).")],
                OgcResponse.GeoJson, "featureGeoJSON"));
        }

        return operations;
    }

    public static void Write(Utf8JsonWriter writer, string root, IReadOnlyList<FeatureLayer> layers)
    {
        var paths = new JsonObject();
        foreach (var operation in Operations(layers))
        {
            var parameters = new JsonArray();
            foreach (var parameter in operation.Parameters)
            {
                var node = new JsonObject
                {
                    ["name"] = parameter.Name,
                    ["in"] = parameter.InPath ? "path" : "query",
                    ["description"] = parameter.Description,
                    ["required"] = parameter.InPath,
                    ["schema"] = parameter.Schema.DeepClone(),
                };
                if (!parameter.InPath)
                {
                    node["style"] = "form";
                    node["explode"] = parameter.Explode;
                }

                parameters.Add(node);
            }

            var mediaTypes = new JsonObject
            {
                [operation.MediaType] = new JsonObject { ["schema"] = Ref($"#/components/schemas/{operation.SchemaRef}") },
                [OgcResponse.Html] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } },
            };
            var responses = new JsonObject
            {
                ["200"] = new JsonObject { ["description"] = "Succès.", ["content"] = mediaTypes },
                ["304"] = new JsonObject { ["description"] = "Non modifié depuis l'ETag donné par If-None-Match." },
                ["400"] = Ref(ErrorRef),
            };
            if (operation.Path.StartsWith("/collections/", StringComparison.Ordinal))
            {
                responses["404"] = Ref(ErrorRef);
            }

            // Private layers need a sign-in or a personal key (ADR 0011); the others take one, optionally.
            var isPrivate = layers.Any(l => l.Private is not null
                && (operation.Path == $"/collections/{l.Id}" || operation.Path.StartsWith($"/collections/{l.Id}/", StringComparison.Ordinal)));
            if (isPrivate)
            {
                responses["401"] = Ref(ErrorRef);
                responses["403"] = Ref(ErrorRef);
            }

            var security = isPrivate ? new JsonArray() : new JsonArray(new JsonObject());
            security.Add(new JsonObject { ["cle"] = new JsonArray() });
            security.Add(new JsonObject { ["bearer"] = new JsonArray() });
            responses["500"] = Ref(ErrorRef);
            paths[operation.Path] = new JsonObject
            {
                ["get"] = new JsonObject
                {
                    ["security"] = security,
                    ["tags"] = new JsonArray(operation.Path.StartsWith("/collections/", StringComparison.Ordinal) ? "Données" : "Service"),
                    ["summary"] = operation.Summary,
                    ["description"] = operation.Description,
                    ["operationId"] = operation.OperationId,
                    ["parameters"] = parameters,
                    ["responses"] = responses,
                },
            };
        }

        var document = new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = OgcDocuments.Title,
                ["description"] = OgcDocuments.Description + " " + OgcDocuments.Attribution + ".",
                ["version"] = "1.0.0",
                ["contact"] = new JsonObject { ["name"] = "Communauté de communes du Val de Drôme" },
                ["license"] = new JsonObject { ["name"] = "Licence Ouverte 2.0", ["url"] = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" },
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = root, ["description"] = "Ce serveur" }),
            ["tags"] = new JsonArray(
                new JsonObject { ["name"] = "Service", ["description"] = "Description du service" },
                new JsonObject { ["name"] = "Données", ["description"] = "Collections et objets" }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = Schemas(),
                ["securitySchemes"] = new JsonObject
                {
                    ["cle"] = new JsonObject
                    {
                        ["type"] = "apiKey",
                        ["in"] = "query",
                        ["name"] = GisKeyAuthentication.QueryParameter,
                        ["description"] = "Clé d'accès personnelle, créée sur la page « Mon compte » (/compte) ; les liens des réponses la reprennent.",
                    },
                    ["bearer"] = new JsonObject
                    {
                        ["type"] = "http",
                        ["scheme"] = "bearer",
                        ["description"] = "La même clé d'accès personnelle, dans l'en-tête Authorization: Bearer.",
                    },
                },
                ["responses"] = new JsonObject
                {
                    ["Error"] = new JsonObject
                    {
                        ["description"] = "Erreur (RFC 9457), titre et détail en français.",
                        ["content"] = new JsonObject { [OgcResponse.Problem] = new JsonObject { ["schema"] = Ref("#/components/schemas/problem") } },
                    },
                },
            },
        };
        document.WriteTo(writer);
    }

    private static JsonObject Schemas()
    {
        var link = new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("href", "rel"),
            ["properties"] = new JsonObject
            {
                ["href"] = Type("string"),
                ["rel"] = Type("string"),
                ["type"] = Type("string"),
                ["title"] = Type("string"),
            },
        };
        var links = new JsonObject { ["type"] = "array", ["items"] = Ref("#/components/schemas/link") };
        return new JsonObject
        {
            ["link"] = link,
            ["landingPage"] = Object(["links"], ("title", Type("string")), ("description", Type("string")), ("links", links.DeepClone())),
            ["confClasses"] = Object(["conformsTo"], ("conformsTo", new JsonObject { ["type"] = "array", ["items"] = Type("string") })),
            ["openapi"] = new JsonObject { ["type"] = "object" },
            ["collection"] = Object(["id", "links"],
                ("id", Type("string")), ("title", Type("string")), ("description", Type("string")), ("links", links.DeepClone()),
                ("extent", new JsonObject { ["type"] = "object" }), ("itemType", Type("string")),
                ("crs", new JsonObject { ["type"] = "array", ["items"] = Type("string") }), ("storageCrs", Type("string"))),
            ["collections"] = Object(["links", "collections"],
                ("links", links.DeepClone()),
                ("crs", new JsonObject { ["type"] = "array", ["items"] = Type("string") }),
                ("collections", new JsonObject { ["type"] = "array", ["items"] = Ref("#/components/schemas/collection") })),
            ["featureGeoJSON"] = Object(["type", "geometry", "properties"],
                ("type", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("Feature") }),
                ("id", Type("integer")),
                ("geometry", new JsonObject { ["type"] = "object", ["nullable"] = true }),
                ("properties", new JsonObject { ["type"] = "object", ["nullable"] = true }),
                ("links", links.DeepClone())),
            ["featureCollectionGeoJSON"] = Object(["type", "features"],
                ("type", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("FeatureCollection") }),
                ("features", new JsonObject { ["type"] = "array", ["items"] = Ref("#/components/schemas/featureGeoJSON") }),
                ("links", links.DeepClone()),
                ("timeStamp", new JsonObject { ["type"] = "string", ["format"] = "date-time" }),
                ("numberMatched", new JsonObject { ["type"] = "integer", ["minimum"] = 0 }),
                ("numberReturned", new JsonObject { ["type"] = "integer", ["minimum"] = 0 })),
            ["queryables"] = new JsonObject { ["type"] = "object" },
            ["problem"] = Object(["title", "status"],
                ("type", Type("string")), ("title", Type("string")), ("status", Type("integer")), ("detail", Type("string")), ("instance", Type("string"))),
        };
    }

    private static ApiParameter Format() => new("f", "Format de la réponse : json ou html (sinon l'en-tête Accept ; JSON par défaut).",
        new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("json", "html") });

    private static ApiParameter Limit() => new("limit",
        $"Nombre maximal d'objets par page (1 à {ItemsQuery.MaxLimit}, {ItemsQuery.DefaultLimit} par défaut ; au-delà du maximum, le maximum).",
        new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = ItemsQuery.MaxLimit, ["default"] = ItemsQuery.DefaultLimit },
        Explode: false);

    private static ApiParameter Offset() => new("offset", "Nombre d'objets à sauter (pagination ; suivre plutôt les liens next/prev).",
        new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["default"] = 0 }, Explode: false);

    private static ApiParameter Bbox() => new("bbox",
        "Emprise : 4 nombres (ouest, sud, est, nord en CRS84) ou 6 avec les hauteurs ; l'ordre des axes suit « bbox-crs ». Seuls les objets qui la touchent sont renvoyés.",
        new JsonObject
        {
            ["type"] = "array",
            ["minItems"] = 4,
            ["maxItems"] = 6,
            ["items"] = new JsonObject { ["type"] = "number" },
        },
        Explode: false);

    private static ApiParameter Crs(string name, string description) => new(name, description,
        new JsonObject
        {
            ["type"] = "string",
            ["format"] = "uri",
            ["enum"] = new JsonArray([.. OgcCrs.Supported.Select(c => (JsonNode)c.Uri)]),
            ["default"] = OgcCrs.Crs84.Uri,
        },
        Explode: false);

    private static ApiParameter Datetime(FeatureLayer layer) => new("datetime",
        "Instant (RFC 3339) ou intervalle début/fin, « .. » pour une borne ouverte. "
            + (layer.Time is null ? "Cette collection n'a pas de dimension temporelle : le filtre est accepté et ne retire aucun objet." : "Garde les objets dont la période le rencontre."),
        new JsonObject { ["type"] = "string" }, Explode: false);

    private static ApiParameter Properties(FeatureLayer layer) => new("properties",
        "Propriétés à renvoyer, séparées par des virgules (toutes par défaut ; vide : aucune).",
        new JsonObject
        {
            ["type"] = "array",
            ["items"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. layer.Properties.Select(p => (JsonNode)p.Name)]) },
        },
        Explode: false);

    private static ApiParameter SortBy(FeatureLayer layer) => new("sortby",
        "Tri : propriétés séparées par des virgules, préfixées par « + » (croissant, par défaut) ou « - » (décroissant).",
        new JsonObject
        {
            ["type"] = "array",
            ["items"] = new JsonObject
            {
                ["type"] = "string",
                ["pattern"] = $"^[+-]?({string.Join("|", layer.Properties.Select(p => p.Name))})$",
            },
        },
        Explode: false);

    private static ApiParameter Queryable(LayerProperty property)
    {
        var schema = new JsonObject();
        using (var buffer = new MemoryStream())
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                OgcDocuments.WriteSchemaType(writer, property.Type);
                writer.WriteEndObject();
            }

            schema = JsonNode.Parse(buffer.ToArray())!.AsObject();
        }

        if (property.Values is { } values)
        {
            schema["enum"] = new JsonArray([.. values.Select(v => (JsonNode)v)]);
        }

        return new ApiParameter(property.Name, $"{property.Title} : ne garde que les objets dont la valeur est égale.", schema, Explode: false);
    }

    private static JsonObject Ref(string target) => new() { ["$ref"] = target };

    private static JsonObject Type(string type) => new() { ["type"] = type };

    private static JsonObject Object(string[] required, params (string Name, JsonNode Schema)[] properties)
    {
        var node = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            node[name] = schema;
        }

        return new JsonObject { ["type"] = "object", ["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]), ["properties"] = node };
    }
}
