using System.Globalization;
using System.Text;
using Npgsql;
using ValDrome.Web.Ogc;

namespace ValDrome.Bench.Gis;

/// <summary>
/// MapServer's side of <c>gis-mapserver</c>, made from the site's own layer declarations
/// (<see cref="FeatureLayers"/>): a view per layer with the very FROM clause, id and property
/// expressions the site runs, and a mapfile publishing those views as OGC API – Features
/// collections of the same name. The view keeps the stored geometry (cast to geometry for
/// geography columns), as a MapServer deployment would read it: its bbox test is MapServer's own.
/// </summary>
public static class MapServerMapfile
{
    /// <summary>The layers compared: the two the site's map and GIS clients read most.</summary>
    public static IReadOnlyList<FeatureLayer> Layers { get; } = [FeatureLayers.Communes, FeatureLayers.Equipment];

    public static string ViewName(FeatureLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return "mapserver_" + layer.Id;
    }

    public static string CreateView(FeatureLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var columns = new StringBuilder().Append(CultureInfo.InvariantCulture, $"({layer.IdSql})::int8 AS id, {FeatureSql.GeometryOf(layer)} AS geom");
        foreach (var property in layer.Properties)
        {
            columns.Append(CultureInfo.InvariantCulture, $", {property.Sql} AS \"{property.Name}\"");
        }

        return $"CREATE VIEW {ViewName(layer)} AS SELECT {columns} FROM {layer.From}";
    }

    /// <summary>MapServer 8's configuration file: the mapfile under an alias, reached as <c>/mapserv/{alias}/ogcapi/…</c>.</summary>
    public static string Config(string alias, string mapfile, string? templates) => $$"""
        CONFIG
          ENV
            MS_MAP_PATTERN "^{{Path.GetDirectoryName(mapfile)}}/"
        {{(templates is null ? "" : $"    OGCAPI_HTML_TEMPLATE_DIRECTORY \"{templates}/\"")}}
          END
          MAPS
            {{alias}} "{{mapfile}}"
          END
        END
        """;

    public static string Map(NpgsqlConnectionStringBuilder database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var connection = $"host={database.Host} port={database.Port} dbname={database.Database} user={database.Username}"
            + (string.IsNullOrEmpty(database.Password) ? "" : $" password={database.Password}");
        var map = new StringBuilder($$"""
            MAP
              NAME "valdrome"
              EXTENT -180 -90 180 90
              PROJECTION "init=epsg:4326" END
              WEB
                METADATA
                  "oga_enable_request" "*"
                  "ows_enable_request" "*"
                  "ows_title" "ValDrome (MapServer)"
                  "ows_srs" "EPSG:4326"
                  "oga_geometry_precision" "6"
                END
              END

            """);
        foreach (var layer in Layers)
        {
            var type = layer.Geometry.Type.Contains("Polygon", StringComparison.Ordinal) ? "POLYGON"
                : layer.Geometry.Type.Contains("Line", StringComparison.Ordinal) ? "LINE" : "POINT";
            map.Append(CultureInfo.InvariantCulture, $$"""
                  LAYER
                    NAME "{{layer.Id}}"
                    TYPE {{type}}
                    STATUS ON
                    CONNECTIONTYPE POSTGIS
                    CONNECTION "{{connection}}"
                    # One connection per FastCGI process, kept between requests (as the site keeps its pool).
                    PROCESSING "CLOSE_CONNECTION=DEFER"
                    DATA "geom FROM {{ViewName(layer)}} USING UNIQUE id USING SRID=4326"
                    PROJECTION "init=epsg:4326" END
                    TEMPLATE "void"
                    METADATA
                      "ows_title" "{{layer.Id}}"
                      "gml_include_items" "all"
                      "gml_exclude_items" "id"
                      "gml_featureid" "id"
                      "gml_types" "auto"
                    END
                  END

                """);
        }

        return map.Append("END\n").ToString();
    }
}
