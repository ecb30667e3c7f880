namespace ValDrome.Web.Ogc;

/// <summary>The JSON type of a property (JSON Schema <c>type</c>/<c>format</c> in the queryables).</summary>
public enum PropertyType
{
    Text,
    WholeNumber,
    Number,
    Boolean,
    Date,
    DateTime,
}

/// <summary>How the geometry column is stored (ADR 0002): points are geography, boundaries geometry, all SRID 4326.</summary>
public enum GeometryStorage
{
    Geometry,
    Geography,
}

/// <summary>A property of the layer's features: its published name, the SQL expression that computes it.</summary>
/// <param name="Queryable">Offered as <c>?name=value</c> filter and listed in the queryables.</param>
/// <param name="Values">The closed list of values, when there is one (documented in the queryables).</param>
public sealed record LayerProperty(
    string Name,
    string Sql,
    PropertyType Type,
    string Title,
    bool Queryable = false,
    IReadOnlyList<string>? Values = null);

/// <param name="Sql">The column (or expression), SRID 4326.</param>
/// <param name="Type">The GeoJSON geometry type of every feature.</param>
public sealed record LayerGeometry(string Sql, GeometryStorage Storage, string Type);

/// <summary>
/// The feature's time, which <c>datetime</c> filters on: an instant (<paramref name="EndSql"/> null) or
/// an interval [start, end] whose end may be NULL (still going on).
/// </summary>
public sealed record LayerTime(string StartSql, string? EndSql);

/// <summary>
/// The layer is read by signed-in people only (ADR 0011): staff, technician and admin see every
/// row, a commune's agent the rows <paramref name="CommuneCondition"/> keeps for its commune
/// (<c>{0}</c> stands for the commune id's parameter).
/// </summary>
public sealed record LayerPrivacy(string CommuneCondition);

/// <summary>The layer is also served as Mapbox vector tiles, with these properties.</summary>
public sealed record LayerTiles(int MinZoom, int MaxZoom, IReadOnlyList<string> Properties);

/// <summary>
/// One layer of the GIS API, declared once (see <see cref="FeatureLayers"/>): the OGC API collection,
/// its queryables and OpenAPI paths, and its vector tiles all derive from this declaration.
/// SQL fragments are trusted code, never user input; request values always travel as parameters.
/// </summary>
/// <param name="From">FROM clause: the table and its joins.</param>
/// <param name="IdSql">The integer feature id.</param>
/// <param name="Tables">Every table the layer reads: their data versions invalidate cached tiles and pages.</param>
public sealed record FeatureLayer(
    string Id,
    string Title,
    string Description,
    string From,
    string IdSql,
    LayerGeometry Geometry,
    IReadOnlyList<LayerProperty> Properties,
    IReadOnlyList<string> Tables,
    LayerTime? Time = null,
    LayerTiles? Tiles = null,
    LayerPrivacy? Private = null)
{
    public LayerProperty? FindProperty(string name) => Properties.FirstOrDefault(p => p.Name == name);

    public IEnumerable<LayerProperty> Queryables => Properties.Where(p => p.Queryable);
}
