using Microsoft.EntityFrameworkCore;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Spatial;

[Collection(SharedReadOnlySeededSite.Name)]
public sealed class DistanceTests(ReadOnlySeededSite site)
{
    [Fact]
    public void Vincenty_matches_a_published_geodesic()
    {
        // Flinders Peak to Buninyong, the classic check of Vincenty's paper: 54,972.271 m.
        var metres = Vincenty.DistanceMetres(144.424867889, -37.951033417, 143.926495528, -37.652821139);
        Assert.Equal(54_972.271, metres, 0.01);
    }

    [Fact]
    public async Task Distance_between_Allex_and_Eurre_is_geodesic_metres()
    {
        await using var db = site.Database.CreateDb();
        var points = await db.Communes
            .Where(c => c.Insee == "26006" || c.Insee == "26125")
            .ToDictionaryAsync(c => c.Insee, c => c.ReferencePoint);
        var allex = points["26006"];
        var eurre = points["26125"];

        // Runs in PostGIS: ST_Distance on geography, i.e. on the spheroid.
        var postgis = await db.Communes
            .Where(c => c.Insee == "26006")
            .Select(c => c.ReferencePoint.Distance(db.Communes.Single(e => e.Insee == "26125").ReferencePoint))
            .SingleAsync();

        var independent = Vincenty.DistanceMetres(allex.X, allex.Y, eurre.X, eurre.Y);
        Assert.InRange(independent, 4_000, 6_000);
        Assert.Equal(independent, postgis, independent * 0.005);
        // Both are ellipsoidal: in practice they agree to well under a metre.
        Assert.Equal(independent, postgis, 1.0);
    }
}
