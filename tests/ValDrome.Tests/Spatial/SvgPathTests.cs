using NetTopologySuite.Geometries;
using ValDrome.Geo.Encoding;
using ValDrome.Geo.Spatial;

namespace ValDrome.Tests.Spatial;

public sealed class SvgPathTests
{
    private static Polygon Square(double lon, double lat, double side) =>
        Geometries.Factory.CreatePolygon(
            [new(lon, lat), new(lon + side, lat), new(lon + side, lat + side), new(lon, lat + side), new(lon, lat)]);

    [Fact]
    public void Positions_are_projected_as_leaflet_draws_them_in_twenty_metre_units_y_pointing_south()
    {
        // EPSG:3857 of Crest (5.0225° E, 44.7283° N), as PostGIS's ST_Transform gives it: 559,102.1 m east, 5,578,848.8 m north.
        var (x, y) = SvgPath.Project(5.0225, 44.7283);

        Assert.Equal(559_102.1 / 20, x, 0.01);
        Assert.Equal(-5_578_848.8 / 20, y, 0.01);
        Assert.Equal(0, SvgPath.Project(0, 0).X, 1e-9);
        Assert.Equal(0, SvgPath.Project(0, 0).Y, 1e-9);
        Assert.True(SvgPath.Project(5, 45).Y < SvgPath.Project(5, 44).Y, "north is up: a smaller y");
    }

    [Fact]
    public void A_ring_starts_absolute_then_steps_relative_and_closes_without_repeating_its_first_vertex()
    {
        var path = SvgPath.Polygonal(Square(5, 44.7, 0.01));

        var start = SvgPath.Project(5, 44.7);
        Assert.StartsWith($"M{Math.Round(start.X)} {Math.Round(start.Y)}l", path, StringComparison.Ordinal);
        Assert.EndsWith("z", path, StringComparison.Ordinal);
        var steps = path[(path.IndexOf('l', StringComparison.Ordinal) + 1)..^1].Split(' ').Select(long.Parse).ToArray();

        // Three sides written, the fourth drawn by « z »; they bring the pen back to its start.
        Assert.Equal(6, steps.Length);
        Assert.Equal(0, steps[0] + steps[2] + steps[4]);
        Assert.Equal(56, steps[0]);
        Assert.Equal(0, steps[1]);
        Assert.Equal(0, steps[2]);
        Assert.True(steps[3] < 0, "the second side goes north, up the page");
    }

    [Fact]
    public void Rounding_never_accumulates_along_a_long_ring()
    {
        // 400 vertices a third of a unit apart: rounded steps, summed, land where the last vertex is.
        var coordinates = Enumerable.Range(0, 400).Select(i => new Coordinate(5 + (i * 0.00006), 44.7)).ToList();
        coordinates.Add(new Coordinate(5.03, 44.72));
        coordinates.Add(coordinates[0]);
        var path = SvgPath.Polygonal(Geometries.Factory.CreatePolygon([.. coordinates]));

        var numbers = path[1..^1].Replace("l", " ", StringComparison.Ordinal).Split(' ').Select(long.Parse).ToArray();
        var x = numbers.Where((_, i) => i % 2 == 0).Sum();
        Assert.Equal((long)Math.Round(SvgPath.Project(5.03, 44.72).X), x);
    }

    [Fact]
    public void Vertices_closer_than_a_unit_are_one_step_and_a_ring_smaller_than_a_unit_is_a_bare_move()
    {
        var tiny = SvgPath.Polygonal(Square(5, 44.7, 0.00001));

        Assert.Matches(@"^M-?\d+ -?\d+z$", tiny);
    }

    [Fact]
    public void Every_polygon_of_a_multipolygon_and_its_holes_are_rings_of_the_one_path()
    {
        var withHole = Geometries.Factory.CreatePolygon(
            Geometries.Factory.CreateLinearRing([new(5, 44.7), new(5.1, 44.7), new(5.1, 44.8), new(5, 44.8), new(5, 44.7)]),
            [Geometries.Factory.CreateLinearRing([new(5.04, 44.74), new(5.04, 44.76), new(5.06, 44.76), new(5.06, 44.74), new(5.04, 44.74)])]);
        var both = Geometries.Factory.CreateMultiPolygon([withHole, Square(5.2, 44.7, 0.01)]);

        Assert.Equal(3, SvgPath.Polygonal(both).Count(c => c == 'M'));
        Assert.Throws<ArgumentException>(() => SvgPath.Polygonal(Geometries.Point(5, 44.7)));
    }
}
