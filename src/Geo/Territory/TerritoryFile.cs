using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using ValDrome.Geo.Spatial;

namespace ValDrome.Geo.Territory;

/// <summary>
/// Reads the territory GeoJSON (a FeatureCollection of communes, WGS84 lon/lat) into validated
/// <see cref="TerritoryCommune"/>s. Either every feature is good, or <see cref="TerritoryFileException"/>
/// lists every problem found: the caller writes nothing from a broken file.
/// </summary>
public static partial class TerritoryFile
{
    public static async Task<IReadOnlyList<TerritoryCommune>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        return await ReadAsync(stream, cancellationToken);
    }

    public static async Task<IReadOnlyList<TerritoryCommune>> ReadAsync(Stream json, CancellationToken cancellationToken = default)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(json, default, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new TerritoryFileException(
                $"JSON illisible à la ligne {e.LineNumber + 1}, colonne {e.BytePositionInLine + 1} : le fichier n'est pas un GeoJSON valide.", e);
        }

        using (document)
        {
            return Read(document.RootElement);
        }
    }

    private static List<TerritoryCommune> Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "FeatureCollection"
            || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            throw new TerritoryFileException("Le fichier doit être une FeatureCollection GeoJSON avec un tableau « features ».");
        }

        var problems = new List<string>();
        var communes = new List<TerritoryCommune>();
        var firstFeatureByInsee = new Dictionary<string, string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var feature in features.EnumerateArray())
        {
            index++;
            var reader = new FeatureReader(feature, index);
            var commune = reader.Read();
            problems.AddRange(reader.Problems);
            if (commune is null)
            {
                continue;
            }

            if (firstFeatureByInsee.TryGetValue(commune.Insee, out var first))
            {
                problems.Add($"{reader.Label} : le code INSEE {commune.Insee} figure déjà dans {first}.");
                continue;
            }

            firstFeatureByInsee.Add(commune.Insee, reader.Label);
            communes.Add(commune);
        }

        if (index == 0)
        {
            problems.Add("La FeatureCollection ne contient aucune commune.");
        }

        if (problems.Count > 0)
        {
            throw new TerritoryFileException(problems);
        }

        return communes;
    }

    [GeneratedRegex("^[0-9][0-9AB][0-9]{3}$")]
    private static partial Regex InseeCode();

    private sealed class FeatureReader(JsonElement feature, int index)
    {
        private string? _insee;
        private string? _name;

        public List<string> Problems { get; } = [];

        public string Label => (_name, _insee) switch
        {
            (not null, not null) => $"Entité n°{index} ({_name}, {_insee})",
            (null, not null) => $"Entité n°{index} ({_insee})",
            (not null, null) => $"Entité n°{index} ({_name})",
            _ => $"Entité n°{index}",
        };

        public TerritoryCommune? Read()
        {
            if (feature.ValueKind != JsonValueKind.Object || !IsString(feature, "type", "Feature"))
            {
                Fail("ce n'est pas une Feature GeoJSON.");
                return null;
            }

            if (!feature.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
            {
                Fail("propriétés absentes.");
                return null;
            }

            _name = OptionalString(properties, "nom");
            _insee = OptionalString(properties, "insee");
            if (string.IsNullOrWhiteSpace(_insee))
            {
                _insee = null;
                Fail("code INSEE absent (propriété « insee »).");
            }
            else if (!InseeCode().IsMatch(_insee))
            {
                Fail($"code INSEE « {_insee} » mal formé (cinq caractères attendus, par exemple 26125).");
            }

            if (string.IsNullOrWhiteSpace(_name))
            {
                Fail("nom de commune absent (propriété « nom »).");
            }

            var population = 0;
            if (!properties.TryGetProperty("population", out var pop) || pop.ValueKind != JsonValueKind.Number
                || !pop.TryGetInt32(out population) || population < 0)
            {
                Fail("population absente ou invalide (entier positif attendu).");
            }

            var boundary = ReadBoundary();
            if (Problems.Count > 0 || boundary is null)
            {
                return null;
            }

            var (polygons, repaired) = Repair(boundary);
            if (polygons is null)
            {
                Fail("la géométrie est invalide et n'a pas pu être réparée.");
                return null;
            }

            return new TerritoryCommune(
                _insee!,
                _name!.Trim(),
                population,
                polygons,
                LabelPoint(properties, polygons),
                OptionalDouble(properties, "area_km2"),
                OptionalBool(properties, "ccvd_current") ?? true,
                OptionalDate(properties, "left_ccvd_on"),
                repaired);
        }

        private Geometry? ReadBoundary()
        {
            if (!feature.TryGetProperty("geometry", out var geometry) || geometry.ValueKind != JsonValueKind.Object)
            {
                Fail("géométrie absente.");
                return null;
            }

            var kind = OptionalString(geometry, "type");
            if (!geometry.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
            {
                Fail($"géométrie {kind ?? "sans type"} sans coordonnées.");
                return null;
            }

            switch (kind)
            {
                case "Polygon":
                    return ReadPolygon(coordinates, 1);
                case "MultiPolygon":
                    var polygons = new List<Polygon>();
                    var part = 0;
                    foreach (var polygon in coordinates.EnumerateArray())
                    {
                        var read = ReadPolygon(polygon, ++part);
                        if (read is not null)
                        {
                            polygons.Add(read);
                        }
                    }

                    if (part == 0)
                    {
                        Fail("MultiPolygon vide.");
                    }

                    return Problems.Count == 0 ? Geometries.Factory.CreateMultiPolygon([.. polygons]) : null;
                default:
                    Fail($"géométrie de type {kind ?? "inconnu"} : une commune doit être un Polygon ou un MultiPolygon.");
                    return null;
            }
        }

        private Polygon? ReadPolygon(JsonElement rings, int part)
        {
            if (rings.ValueKind != JsonValueKind.Array || rings.GetArrayLength() == 0)
            {
                Fail($"polygone n°{part} sans anneau.");
                return null;
            }

            var linearRings = new List<LinearRing>();
            var ringIndex = 0;
            foreach (var ring in rings.EnumerateArray())
            {
                ringIndex++;
                var coordinates = ReadRing(ring, part, ringIndex);
                if (coordinates is not null)
                {
                    linearRings.Add(Geometries.Factory.CreateLinearRing(coordinates));
                }
            }

            return linearRings.Count == ringIndex
                ? Geometries.Factory.CreatePolygon(linearRings[0], [.. linearRings.Skip(1)])
                : null;
        }

        private Coordinate[]? ReadRing(JsonElement ring, int part, int ringIndex)
        {
            var where = $"polygone n°{part}, anneau n°{ringIndex}";
            if (ring.ValueKind != JsonValueKind.Array)
            {
                Fail($"{where} : tableau de positions attendu.");
                return null;
            }

            var coordinates = new List<Coordinate>(ring.GetArrayLength());
            foreach (var position in ring.EnumerateArray())
            {
                if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2
                    || position[0].ValueKind != JsonValueKind.Number || position[1].ValueKind != JsonValueKind.Number)
                {
                    Fail($"{where} : position n°{coordinates.Count + 1} invalide ([longitude, latitude] attendu).");
                    return null;
                }

                var lon = position[0].GetDouble();
                var lat = position[1].GetDouble();
                if (lon is < -180 or > 180 || lat is < -90 or > 90)
                {
                    Fail($"{where} : position n°{coordinates.Count + 1} hors des bornes WGS84 ({lon.ToString(CultureInfo.InvariantCulture)}, {lat.ToString(CultureInfo.InvariantCulture)}).");
                    return null;
                }

                coordinates.Add(new Coordinate(lon, lat));
            }

            if (coordinates.Count < 4)
            {
                Fail($"{where} : au moins 4 positions sont nécessaires, {coordinates.Count} {(coordinates.Count >= 2 ? "trouvées" : "trouvée")}.");
                return null;
            }

            if (!coordinates[0].Equals2D(coordinates[^1]))
            {
                Fail($"{where} : anneau non fermé (la dernière position doit répéter la première).");
                return null;
            }

            return [.. coordinates];
        }

        private static (MultiPolygon? Polygons, bool Repaired) Repair(Geometry boundary)
        {
            if (boundary.IsValid)
            {
                return (AsMultiPolygon(boundary), false);
            }

            var fixedGeometry = GeometryFixer.Fix(boundary);
            return fixedGeometry.IsEmpty ? (null, true) : (AsMultiPolygon(fixedGeometry), true);
        }

        private static MultiPolygon? AsMultiPolygon(Geometry geometry)
        {
            var polygons = Enumerable.Range(0, geometry.NumGeometries)
                .Select(geometry.GetGeometryN)
                .OfType<Polygon>()
                .Where(p => !p.IsEmpty)
                .ToArray();
            return polygons.Length == 0 ? null : Geometries.Factory.CreateMultiPolygon(polygons);
        }

        private static Point LabelPoint(JsonElement properties, MultiPolygon boundary)
        {
            if (properties.TryGetProperty("label_point", out var label) && label.ValueKind == JsonValueKind.Array
                && label.GetArrayLength() == 2
                && label[0].ValueKind == JsonValueKind.Number && label[1].ValueKind == JsonValueKind.Number)
            {
                var lon = label[0].GetDouble();
                var lat = label[1].GetDouble();
                if (lon is >= -180 and <= 180 && lat is >= -90 and <= 90)
                {
                    var point = Geometries.Point(lon, lat);
                    if (boundary.Covers(point))
                    {
                        return point;
                    }
                }
            }

            // No usable label point: the interior point is guaranteed to lie inside, a centroid is not.
            var interior = boundary.InteriorPoint;
            return Geometries.Point(interior.X, interior.Y);
        }

        private void Fail(string problem) => Problems.Add($"{Label} : {problem}");

        private static bool IsString(JsonElement element, string name, string expected) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() == expected;

        private static string? OptionalString(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static double? OptionalDouble(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

        private static bool? OptionalBool(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? value.GetBoolean()
                : null;

        private static DateOnly? OptionalDate(JsonElement element, string name) =>
            OptionalString(element, name) is { } text
            && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : null;
    }
}
