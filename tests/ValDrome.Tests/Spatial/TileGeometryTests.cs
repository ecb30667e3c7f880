using System.Globalization;
using ValDrome.Geo.Spatial;

namespace ValDrome.Tests.Spatial;

public sealed class TileGeometryTests
{
    [Fact]
    public void Tile_containing_eurre_at_zoom_12_is_2104_1477()
    {
        var tile = WebMercatorTile.Containing(4.9912, 44.7606, 12);

        Assert.Equal((12, 2104, 1477), (tile.Z, tile.X, tile.Y));
        var bounds = tile.Bounds();
        Assert.InRange(4.9912, bounds.West, bounds.East);
        Assert.InRange(44.7606, bounds.South, bounds.North);
        Assert.Equal(360.0 / 4096, bounds.East - bounds.West, 9);
    }

    [Fact]
    public void Zoom_0_tile_covers_the_web_mercator_world_and_its_margin_is_clamped()
    {
        Assert.True(WebMercatorTile.TryCreate(0, 0, 0, out var world));

        var bounds = world.Bounds(margin: 0.5);
        Assert.Equal((-180.0, 180.0), (bounds.West, bounds.East));
        Assert.Equal(WebMercatorTile.MaxLatitude, bounds.North, 9);
        Assert.Equal(-WebMercatorTile.MaxLatitude, bounds.South, 9);
    }

    [Theory]
    [InlineData(-1, 0, 0)]
    [InlineData(23, 0, 0)]
    [InlineData(3, 8, 0)]
    [InlineData(3, 0, -1)]
    public void Tiles_outside_the_grid_do_not_exist(int z, int x, int y) =>
        Assert.False(WebMercatorTile.TryCreate(z, x, y, out _));

    [Fact]
    public void Box_across_the_antimeridian_splits_in_two()
    {
        var parts = new LonLatBox(170, -10, -170, 10).SplitAtAntimeridian();

        Assert.Equal([(170.0, 180.0), (-180.0, -170.0)], parts.Select(p => (p.West, p.East)));
    }

    [Fact]
    public void Geography_cover_adds_vertices_where_longitude_crosses_0_and_90_degrees()
    {
        var wkt = new LonLatBox(-100, 40, 10, 50).ToGeographyCoverWkt();

        var vertices = wkt["POLYGON((".Length..^2].Split(',')
            .Select(v => v.Split(' ').Select(n => double.Parse(n, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal([-100.0, -90, 0, 10, 10, 0, -90, -100, -100], vertices.Select(v => v[0]));
        Assert.Equal(vertices[0], vertices[^1]);
    }

    [Theory]
    [InlineData(-181, 0, 0, 1)]
    [InlineData(0, 1, 1, 0)]
    [InlineData(0, -91, 1, 0)]
    [InlineData(double.NaN, 0, 1, 1)]
    public void Invalid_boxes_are_refused(double west, double south, double east, double north) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LonLatBox(west, south, east, north));
}
