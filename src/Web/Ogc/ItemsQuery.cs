using System.Globalization;
using System.Text.RegularExpressions;
using ValDrome.Geo.Spatial;

namespace ValDrome.Web.Ogc;

/// <summary>A bbox as the client gave it: four numbers in the axis order of <paramref name="Crs"/>.</summary>
public sealed record BboxFilter(double X1, double Y1, double X2, double Y2, OgcCrs Crs)
{
    /// <summary>The lon/lat box of a geographic bbox (EPSG:4326 gives latitude first).</summary>
    public LonLatBox ToLonLatBox() => Crs.LatitudeFirst ? new LonLatBox(Y1, X1, Y2, X2) : new LonLatBox(X1, Y1, X2, Y2);
}

/// <summary>An instant or an interval, both ends inclusive; a null end is open.</summary>
public sealed record TimeFilter(DateTimeOffset? Start, DateTimeOffset? End);

public sealed record SortKey(LayerProperty Property, bool Descending);

public sealed record PropertyFilter(LayerProperty Property, object Value);

/// <summary>A validated <c>/items</c> request: every value checked, nothing left as text.</summary>
public sealed partial record ItemsQuery(
    FeatureLayer Layer,
    int Limit,
    int Offset,
    BboxFilter? Bbox,
    TimeFilter? Time,
    IReadOnlyList<PropertyFilter> Filters,
    IReadOnlyList<SortKey> SortBy,
    IReadOnlyList<LayerProperty> Properties,
    OgcCrs Crs)
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 1000;

    /// <summary>The parameters every <c>/items</c> request may carry, besides the layer's queryables.</summary>
    public static IReadOnlyList<string> StandardParameters { get; } =
        ["f", "limit", "offset", "bbox", "bbox-crs", "datetime", "properties", "sortby", "crs"];

    public static ItemsQuery Parse(FeatureLayer layer, IQueryCollection query)
    {
        var allowed = StandardParameters.Concat(layer.Queryables.Select(p => p.Name));
        OgcParameters.RequireOnly(query, allowed);
        var crs = OgcParameters.Crs(query, "crs");
        var bboxCrs = OgcParameters.Crs(query, "bbox-crs");
        return new ItemsQuery(
            layer,
            ParseLimit(OgcParameters.Single(query, "limit")),
            ParseOffset(OgcParameters.Single(query, "offset")),
            ParseBbox(OgcParameters.Single(query, "bbox"), bboxCrs),
            ParseDatetime(OgcParameters.Single(query, "datetime")),
            [.. layer.Queryables.Select(p => (Property: p, Text: OgcParameters.Single(query, p.Name)))
                .Where(f => f.Text is not null)
                .Select(f => new PropertyFilter(f.Property, ParseValue(f.Property, f.Text!)))],
            ParseSortBy(layer, OgcParameters.Single(query, "sortby")),
            ParseProperties(layer, query.ContainsKey("properties") ? OgcParameters.Single(query, "properties") ?? "" : null),
            crs);
    }

    private static int ParseLimit(string? text)
    {
        if (text is null)
        {
            return DefaultLimit;
        }

        // Digits only: a value above the maximum is clamped (Part 1 permission), however long it is.
        if (!Digits().IsMatch(text))
        {
            throw OgcRequestException.BadRequest($"« limit » doit être un nombre entier entre 1 et {MaxLimit} (reçu « {text} »).");
        }

        var trimmed = text.TrimStart('0');
        if (trimmed.Length == 0)
        {
            throw OgcRequestException.BadRequest($"« limit » doit valoir au moins 1 (reçu « {text} »).");
        }

        return trimmed.Length > 6 ? MaxLimit : Math.Min(MaxLimit, int.Parse(trimmed, CultureInfo.InvariantCulture));
    }

    private static int ParseOffset(string? text)
    {
        if (text is null)
        {
            return 0;
        }

        if (!Digits().IsMatch(text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            throw OgcRequestException.BadRequest($"« offset » doit être un nombre entier positif ou nul (reçu « {text} »).");
        }

        return offset;
    }

    private static BboxFilter? ParseBbox(string? text, OgcCrs crs)
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(',');
        var numbers = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
            {
                throw OgcRequestException.BadRequest($"« bbox » attend des nombres séparés par des virgules (« {parts[i]} » n'en est pas un).");
            }
        }

        // Six numbers add a vertical axis: our data is 2D, so the heights select nothing away.
        var (x1, y1, x2, y2) = numbers.Length switch
        {
            4 => (numbers[0], numbers[1], numbers[2], numbers[3]),
            6 => (numbers[0], numbers[1], numbers[3], numbers[4]),
            _ => throw OgcRequestException.BadRequest($"« bbox » attend 4 ou 6 nombres (reçu {numbers.Length})."),
        };
        if (numbers.Length == 6 && numbers[2] > numbers[5])
        {
            throw OgcRequestException.BadRequest("« bbox » : la hauteur minimale dépasse la hauteur maximale.");
        }

        var bbox = new BboxFilter(x1, y1, x2, y2, crs);
        if (crs.IsGeographic)
        {
            var (west, south, east, north) = crs.LatitudeFirst ? (y1, x1, y2, x2) : (x1, y1, x2, y2);
            if (!LonLatBox.IsLongitude(west) || !LonLatBox.IsLongitude(east) || !LonLatBox.IsLatitude(south) || !LonLatBox.IsLatitude(north))
            {
                throw OgcRequestException.BadRequest("« bbox » : les longitudes doivent être comprises entre -180 et 180 et les latitudes entre -90 et 90"
                    + (crs.LatitudeFirst ? " (EPSG:4326 : latitude d'abord)." : "."));
            }

            if (south > north)
            {
                throw OgcRequestException.BadRequest("« bbox » : la latitude du coin sud-ouest dépasse celle du coin nord-est.");
            }
        }
        else
        {
            var domain = OgcCrs.Lambert93Domain;
            if (x1 > x2 || y1 > y2)
            {
                throw OgcRequestException.BadRequest("« bbox » : le premier coin doit être au sud-ouest du second.");
            }

            if (x1 < domain.MinX || x2 > domain.MaxX || y1 < domain.MinY || y2 > domain.MaxY)
            {
                throw OgcRequestException.BadRequest("« bbox » sort du domaine de validité de Lambert-93 (la France métropolitaine).");
            }
        }

        return bbox;
    }

    /// <summary>RFC 3339 date-times (and, leniently, dates: the whole UTC day); "..", or nothing, for an open end.</summary>
    internal static TimeFilter? ParseDatetime(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split('/');
        switch (parts.Length)
        {
            case 1:
                var (from, to) = Moment(parts[0]) ?? throw BadDatetime(text);
                return new TimeFilter(from, to);
            case 2:
                var start = parts[0] is "" or ".." ? default((DateTimeOffset From, DateTimeOffset To)?) : Moment(parts[0]) ?? throw BadDatetime(text);
                var end = parts[1] is "" or ".." ? default((DateTimeOffset From, DateTimeOffset To)?) : Moment(parts[1]) ?? throw BadDatetime(text);
                if (start is { } s && end is { } e && s.From > e.To)
                {
                    throw OgcRequestException.BadRequest($"« datetime » : le début de l'intervalle « {text} » est après sa fin.");
                }

                return new TimeFilter(start?.From, end?.To);
            default:
                throw BadDatetime(text);
        }

        static OgcRequestException BadDatetime(string text) => OgcRequestException.BadRequest(
            $"« datetime » attend un instant RFC 3339 (2026-06-21T10:00:00Z) ou un intervalle (début/fin, « .. » pour une borne ouverte) ; reçu « {text} ».");
    }

    private static (DateTimeOffset From, DateTimeOffset To)? Moment(string text)
    {
        if (DateTimeRegex().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return (InRange(instant, text), instant);
        }

        if (DateRegex().IsMatch(text)
            && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            InRange(new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), text);
            var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return (from, from.AddDays(1).AddTicks(-1));
        }

        return null;
    }

    /// <summary>The first and last instants a <c>datetime</c> may name: far wider than any data, narrow enough for every calendar on the way.</summary>
    internal static readonly DateTimeOffset EarliestInstant = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal static readonly DateTimeOffset LatestInstant = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Year 9999 overflows .NET's calendar on the last day and PostgreSQL's dates become infinity:
    // a bound well inside both turns such values into a clear refusal.
    private static DateTimeOffset InRange(DateTimeOffset instant, string text) =>
        instant >= EarliestInstant && instant < LatestInstant
            ? instant
            : throw OgcRequestException.BadRequest(
                $"« datetime » : « {text} » est hors de la plage acceptée (du 1er janvier 1900 au 31 décembre 2199).");

    private static object ParseValue(LayerProperty property, string text)
    {
        object? value = property.Type switch
        {
            PropertyType.Text => text,
            PropertyType.WholeNumber => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null,
            PropertyType.Number => decimal.TryParse(text, NumberStyles.Number & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var d) ? d : null,
            PropertyType.Boolean => text switch { "true" => true, "false" => false, _ => null },
            PropertyType.Date => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null,
            PropertyType.DateTime => DateTimeRegex().IsMatch(text)
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var t) ? t.UtcDateTime : null,
            _ => null,
        };
        return value ?? throw OgcRequestException.BadRequest(
            $"« {property.Name} » attend {Describe(property.Type)} (reçu « {text} »).");
    }

    internal static string Describe(PropertyType type) => type switch
    {
        PropertyType.WholeNumber => "un nombre entier",
        PropertyType.Number => "un nombre (point décimal)",
        PropertyType.Boolean => "« true » ou « false »",
        PropertyType.Date => "une date AAAA-MM-JJ",
        PropertyType.DateTime => "un instant RFC 3339",
        _ => "un texte",
    };

    private static List<SortKey> ParseSortBy(FeatureLayer layer, string? text)
    {
        if (text is null)
        {
            return [];
        }

        var keys = new List<SortKey>();
        foreach (var item in text.Split(','))
        {
            // An unencoded "+" arrives as a space.
            var descending = item.StartsWith('-');
            var name = item.TrimStart(' ', '+', '-').TrimEnd();
            var property = layer.FindProperty(name) ?? throw OgcRequestException.BadRequest(
                $"« sortby » : « {name} » n'est pas une propriété de « {layer.Id} » ({string.Join(", ", layer.Properties.Select(p => p.Name))}).");
            keys.Add(new SortKey(property, descending));
        }

        return keys;
    }

    internal static IReadOnlyList<LayerProperty> ParseProperties(FeatureLayer layer, string? text)
    {
        if (text is null)
        {
            return layer.Properties;
        }

        if (text.Length == 0)
        {
            return [];
        }

        var selected = new List<LayerProperty>();
        foreach (var name in text.Split(',').Select(n => n.Trim()))
        {
            var property = layer.FindProperty(name) ?? throw OgcRequestException.BadRequest(
                $"« properties » : « {name} » n'est pas une propriété de « {layer.Id} » ({string.Join(", ", layer.Properties.Select(p => p.Name))}).");
            if (!selected.Contains(property))
            {
                selected.Add(property);
            }
        }

        // Keep the declared order, whatever the order asked.
        return [.. layer.Properties.Where(selected.Contains)];
    }

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimeRegex();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DateRegex();
}
