using Microsoft.Net.Http.Headers;

namespace ValDrome.Web.Ogc;

public enum OgcFormat
{
    Json,
    Html,
}

/// <summary>Parameters every resource shares: the format (<c>f</c>, then Accept) and the closed list of names.</summary>
internal static class OgcParameters
{
    /// <summary>Refuses any parameter the API definition does not list for this resource, and repeated ones.</summary>
    public static void RequireOnly(IQueryCollection query, IEnumerable<string> allowed)
    {
        // The access key may come on any URL (GIS clients repeat it everywhere, ADR 0011).
        var names = allowed.Append(GisKeyAuthentication.QueryParameter).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, values) in query)
        {
            if (!names.Contains(key))
            {
                throw OgcRequestException.BadRequest(
                    $"Le paramètre « {key} » n'est pas pris en charge ici. Paramètres acceptés : {string.Join(", ", names)}.");
            }

            if (values.Count > 1)
            {
                throw OgcRequestException.BadRequest($"Le paramètre « {key} » est donné plusieurs fois.");
            }

            // PostgreSQL text cannot hold NUL, and no value of ours contains a control character.
            if (values.ToString().Any(char.IsControl))
            {
                throw OgcRequestException.BadRequest($"La valeur de « {key} » contient un caractère de contrôle.");
            }
        }
    }

    public static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] ?? "" : null;

    public static OgcCrs Crs(IQueryCollection query, string name)
    {
        var uri = Single(query, name);
        if (uri is null)
        {
            return OgcCrs.Crs84;
        }

        return OgcCrs.Find(uri.Trim()) ?? throw OgcRequestException.BadRequest(
            $"« {name} » : le système de coordonnées « {uri} » n'est pas proposé. Systèmes proposés : {string.Join(", ", OgcCrs.Supported.Select(c => c.Uri))}.");
    }

    /// <summary><c>f=json|html</c> first; else the Accept header, JSON unless HTML is preferred (<c>*/*</c> and no header give JSON).</summary>
    public static OgcFormat Format(HttpRequest request)
    {
        if (Single(request.Query, "f") is { } f)
        {
            return f switch
            {
                "json" => OgcFormat.Json,
                "html" => OgcFormat.Html,
                _ => throw OgcRequestException.BadRequest($"« f » accepte « json » ou « html » (reçu « {f} »)."),
            };
        }

        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accept) || accept.Count == 0)
        {
            return OgcFormat.Json;
        }

        double html = 0, json = 0;
        foreach (var media in accept)
        {
            var quality = media.Quality ?? 1;
            var (type, subType) = (media.Type.Value, media.SubType.Value);
            if (string.Equals(type, "text", StringComparison.OrdinalIgnoreCase)
                && (subType is "*" || string.Equals(subType, "html", StringComparison.OrdinalIgnoreCase)))
            {
                html = Math.Max(html, quality);
            }
            else if (string.Equals(type, "application", StringComparison.OrdinalIgnoreCase)
                && (subType is "*" || subType?.EndsWith("json", StringComparison.OrdinalIgnoreCase) == true))
            {
                json = Math.Max(json, quality);
            }
        }

        return html > json ? OgcFormat.Html : OgcFormat.Json;
    }
}
