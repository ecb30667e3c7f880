using ValDrome.Geo.Spatial;
using ValDrome.Geo.Tours;
using ValDrome.Tests.Spatial;

namespace ValDrome.Tests.Tours;

public sealed class GeodesicTests
{
    [Fact]
    public void Flinders_Peak_to_Buninyong_matches_the_published_geodesic()
    {
        Assert.Equal(54_972.271, Geodesic.DistanceMetres(144.424867889, -37.951033417, 143.926495528, -37.652821139), 0.001);
    }

    [Fact]
    public void Val_de_Drome_distances_agree_with_the_tests_own_Vincenty()
    {
        // Eurre depot to Crest, to Saillans, to Allex.
        (double Lon, double Lat)[] points = [(4.9912, 44.7606), (5.0227, 44.7283), (5.1953, 44.6972), (4.9123, 44.7554)];
        foreach (var (lon, lat) in points.Skip(1))
        {
            var ours = Geodesic.DistanceMetres(points[0].Lon, points[0].Lat, lon, lat);
            Assert.Equal(Vincenty.DistanceMetres(points[0].Lon, points[0].Lat, lon, lat), ours, 0.001);
            Assert.InRange(ours, 1_000, 20_000);
        }
    }

    [Fact]
    public void A_degree_of_longitude_on_the_equator_is_the_ellipsoid_arc()
    {
        // On the equator the geodesic is the equatorial arc: a × 1° in radians.
        Assert.Equal(6_378_137.0 * Math.PI / 180, Geodesic.DistanceMetres(0, 0, 1, 0), 0.001);
        Assert.Equal(0, Geodesic.DistanceMetres(4.99, 44.76, 4.99, 44.76));
    }

    [Fact]
    public void Nearly_antipodal_points_still_get_a_distance()
    {
        var metres = Geodesic.DistanceMetres(0, 0, 179.7, 0.5);

        Assert.InRange(metres, 19_900_000, 20_040_000);
    }

    [Fact]
    public void The_geodesic_travel_matrix_applies_the_detour_and_the_speed()
    {
        var matrix = new GeodesicTravelMatrix([(4.9912, 44.7606), (5.0227, 44.7283)], detourFactor: 1.3, kilometresPerHour: 50);
        var geodesic = Geodesic.DistanceMetres(4.9912, 44.7606, 5.0227, 44.7283);

        Assert.Equal(1.3 * geodesic, matrix.Metres(0, 1), 9);
        Assert.Equal(matrix.Metres(1, 0), matrix.Metres(0, 1));
        Assert.Equal(1.3 * geodesic / (50 / 3.6), matrix.Seconds(0, 1), 9);
        Assert.Equal(0, matrix.Metres(1, 1));
    }
}
