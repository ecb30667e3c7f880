using System.Globalization;
using System.Text.Json;
using ValDrome.Geo.Encoding;

namespace ValDrome.Web.Ogc;

/// <summary>The JSON documents of OGC API – Features Part 1 and Part 2 (the HTML views show the same data).</summary>
internal static class OgcDocuments
{
    public const string Title = "ValDrome — données géographiques";

    public const string Description = "Les communes du Val de Drôme, le matériel partagé et les dépôts de la communauté de communes, "
        + "en OGC API – Features (GeoJSON, HTML) et en tuiles vectorielles.";

    public const string Attribution = "Limites : IGN ADMIN EXPRESS, INSEE, DGCL — Licence Ouverte 2.0";

    public static IReadOnlyList<string> ConformanceClasses { get; } =
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    ];

    public static void Landing(Utf8JsonWriter writer, IEnumerable<OgcLink> links)
    {
        writer.WriteStartObject();
        writer.WriteString("title", Title);
        writer.WriteString("description", Description);
        writer.WriteString("attribution", Attribution);
        OgcResponse.WriteLinks(writer, links);
        writer.WriteEndObject();
    }

    public static void Conformance(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("conformsTo");
        foreach (var uri in ConformanceClasses)
        {
            writer.WriteStringValue(uri);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void Collections(Utf8JsonWriter writer, IEnumerable<OgcLink> links, IEnumerable<CollectionInfo> collections)
    {
        writer.WriteStartObject();
        OgcResponse.WriteLinks(writer, links);
        WriteCrsList(writer);
        writer.WriteStartArray("collections");
        foreach (var collection in collections)
        {
            Collection(writer, collection);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void Collection(Utf8JsonWriter writer, CollectionInfo collection)
    {
        var layer = collection.Layer;
        writer.WriteStartObject();
        writer.WriteString("id", layer.Id);
        writer.WriteString("title", layer.Title);
        writer.WriteString("description", layer.Description);
        writer.WriteString("attribution", Attribution);
        OgcResponse.WriteLinks(writer, collection.Links);
        writer.WriteStartObject("extent");
        if (collection.Extent.Box is { } box)
        {
            writer.WriteStartObject("spatial");
            writer.WriteStartArray("bbox");
            writer.WriteStartArray();
            writer.WriteNumberValue(Math.Round(box.West, 6));
            writer.WriteNumberValue(Math.Round(box.South, 6));
            writer.WriteNumberValue(Math.Round(box.East, 6));
            writer.WriteNumberValue(Math.Round(box.North, 6));
            writer.WriteEndArray();
            writer.WriteEndArray();
            writer.WriteString("crs", OgcCrs.Crs84.Uri);
            writer.WriteEndObject();
        }

        if (layer.Time is not null)
        {
            writer.WriteStartObject("temporal");
            writer.WriteStartArray("interval");
            writer.WriteStartArray();
            WriteInstantOrNull(writer, collection.Extent.Start);
            WriteInstantOrNull(writer, collection.Extent.OpenEnd ? null : collection.Extent.End);
            writer.WriteEndArray();
            writer.WriteEndArray();
            writer.WriteString("trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian");
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteString("itemType", "feature");
        WriteCrsList(writer);
        writer.WriteString("storageCrs", OgcCrs.Crs84.Uri);
        writer.WriteEndObject();
    }

    public static void Items(Utf8JsonWriter writer, ItemsQuery query, FeaturePage page, IEnumerable<OgcLink> links, DateTimeOffset timeStamp)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteNumber("numberMatched", page.NumberMatched);
        writer.WriteNumber("numberReturned", page.Features.Count);
        writer.WriteString("timeStamp", TimeStamp(timeStamp));
        OgcResponse.WriteLinks(writer, links);
        writer.WriteStartArray("features");
        foreach (var feature in page.Features)
        {
            WriteFeature(writer, feature, query.Properties, links: null);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteFeature(Utf8JsonWriter writer, FeatureRow feature, IReadOnlyList<LayerProperty> properties, IEnumerable<OgcLink>? links)
    {
        if (links is null)
        {
            GeoJson.WriteFeature(writer, feature.Id, feature.GeometryJson, w => WriteProperties(w, feature, properties));
            return;
        }

        // A single feature also carries its links: the same parts, and the links before the end.
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteNumber("id", feature.Id);
        writer.WritePropertyName("geometry");
        if (feature.GeometryJson is null or [])
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(feature.GeometryJson, skipInputValidation: true);
        }

        writer.WriteStartObject("properties");
        WriteProperties(writer, feature, properties);
        writer.WriteEndObject();
        OgcResponse.WriteLinks(writer, links);
        writer.WriteEndObject();
    }

    /// <summary>The layer's queryables as a JSON Schema (2020-12) of an object.</summary>
    public static void Queryables(Utf8JsonWriter writer, FeatureLayer layer, string id)
    {
        writer.WriteStartObject();
        writer.WriteString("$schema", "https://json-schema.org/draft/2020-12/schema");
        writer.WriteString("$id", id);
        writer.WriteString("type", "object");
        writer.WriteString("title", layer.Title);
        writer.WriteString("description", $"Propriétés de « {layer.Id} » utilisables comme filtre : ?nom=valeur (égalité).");
        writer.WriteStartObject("properties");
        foreach (var property in layer.Queryables)
        {
            writer.WriteStartObject(property.Name);
            writer.WriteString("title", property.Title);
            WriteSchemaType(writer, property.Type);
            if (property.Values is { } values)
            {
                writer.WriteStartArray("enum");
                foreach (var value in values)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteBoolean("additionalProperties", false);
        writer.WriteEndObject();
    }

    public static void WriteSchemaType(Utf8JsonWriter writer, PropertyType type)
    {
        switch (type)
        {
            case PropertyType.Date:
                writer.WriteString("type", "string");
                writer.WriteString("format", "date");
                break;
            case PropertyType.DateTime:
                writer.WriteString("type", "string");
                writer.WriteString("format", "date-time");
                break;
            default:
                writer.WriteString("type", type switch
                {
                    PropertyType.WholeNumber => "integer",
                    PropertyType.Number => "number",
                    PropertyType.Boolean => "boolean",
                    _ => "string",
                });
                break;
        }
    }

    public static string TimeStamp(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case short s16:
                writer.WriteNumberValue(s16);
                break;
            case decimal d:
                writer.WriteNumberValue(d);
                break;
            case double d64:
                writer.WriteNumberValue(d64);
                break;
            case float f:
                writer.WriteNumberValue(f);
                break;
            case DateTime t:
                writer.WriteStringValue(TimeStamp(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))));
                break;
            case DateOnly day:
                writer.WriteStringValue(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void WriteProperties(Utf8JsonWriter writer, FeatureRow feature, IReadOnlyList<LayerProperty> properties)
    {
        for (var i = 0; i < properties.Count; i++)
        {
            writer.WritePropertyName(properties[i].Name);
            WriteValue(writer, feature.Values[i]);
        }
    }

    private static void WriteCrsList(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("crs");
        foreach (var crs in OgcCrs.Supported)
        {
            writer.WriteStringValue(crs.Uri);
        }

        writer.WriteEndArray();
    }

    private static void WriteInstantOrNull(Utf8JsonWriter writer, DateTime? instant)
    {
        if (instant is { } t)
        {
            writer.WriteStringValue(TimeStamp(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>A collection's description, for its JSON document and its HTML view.</summary>
public sealed record CollectionInfo(FeatureLayer Layer, LayerExtent Extent, IReadOnlyList<OgcLink> Links);
