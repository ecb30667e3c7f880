using System.Text;
using ValDrome.Geo.Territory;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Territory;

public sealed class TerritoryFileTests
{
    internal static string Feature(string? insee, string name, string geometry, int population = 100) =>
        $$"""
        { "type": "Feature", "properties": { {{(insee is null ? "" : $"\"insee\": \"{insee}\", ")}}"nom": "{{name}}", "population": {{population}} }, "geometry": {{geometry}} }
        """;

    internal static string Collection(params string[] features) =>
        $$"""{ "type": "FeatureCollection", "features": [ {{string.Join(",", features)}} ] }""";

    internal const string Square = """{ "type": "Polygon", "coordinates": [[[5.0, 44.7], [5.01, 44.7], [5.01, 44.71], [5.0, 44.71], [5.0, 44.7]]] }""";

    private static Task<IReadOnlyList<TerritoryCommune>> Read(string json) =>
        TerritoryFile.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public async Task The_real_file_gives_36_communes_with_label_points_inside()
    {
        var communes = await TerritoryFile.ReadAsync(TestDatabase.TerritoryFile);

        Assert.Equal(36, communes.Count);
        Assert.Equal(36, communes.Select(c => c.Insee).Distinct().Count());
        Assert.All(communes, c => Assert.True(c.Boundary.Covers(c.LabelPoint), c.Name));
        Assert.Contains(communes, c => c is { Insee: "26125", Name: "Eurre", Population: 1431 });
    }

    [Fact]
    public async Task Bad_json_is_refused_with_its_line()
    {
        var error = await Assert.ThrowsAsync<TerritoryFileException>(() => Read("{\n \"type\": \"FeatureCollection\",\n \"features\": [ {]\n}"));

        Assert.Contains("ligne 3", error.Message);
    }

    [Fact]
    public async Task A_missing_insee_code_names_the_feature()
    {
        var error = await Assert.ThrowsAsync<TerritoryFileException>(() => Read(Collection(
            Feature("26001", "Une", Square), Feature(null, "Sans-Code", Square))));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("Entité n°2 (Sans-Code) : code INSEE absent (propriété « insee »).", problem);
    }

    [Fact]
    public async Task A_point_geometry_is_refused_naming_the_commune()
    {
        var error = await Assert.ThrowsAsync<TerritoryFileException>(() => Read(Collection(
            Feature("26001", "Pointue", """{ "type": "Point", "coordinates": [5.0, 44.7] }"""))));

        Assert.Contains("Entité n°1 (Pointue, 26001) : géométrie de type Point", Assert.Single(error.Problems));
    }

    [Fact]
    public async Task A_duplicate_insee_code_names_both_features()
    {
        var error = await Assert.ThrowsAsync<TerritoryFileException>(() => Read(Collection(
            Feature("26001", "Une", Square), Feature("26001", "Autre", Square))));

        Assert.Equal("Entité n°2 (Autre, 26001) : le code INSEE 26001 figure déjà dans Entité n°1 (Une, 26001).", Assert.Single(error.Problems));
    }

    [Fact]
    public async Task An_unclosed_ring_is_refused()
    {
        var open = """{ "type": "Polygon", "coordinates": [[[5.0, 44.7], [5.01, 44.7], [5.01, 44.71], [5.0, 44.71]]] }""";
        var error = await Assert.ThrowsAsync<TerritoryFileException>(() => Read(Collection(Feature("26001", "Ouverte", open))));

        Assert.Contains("anneau non fermé", Assert.Single(error.Problems));
    }

    [Fact]
    public async Task Every_problem_of_the_file_is_listed()
    {
        var error = await Assert.ThrowsAsync<TerritoryFileException>(() => Read(Collection(
            Feature(null, "A", Square), Feature("2600", "B", Square), Feature("26003", "C", Square, population: -4))));

        Assert.Equal(3, error.Problems.Count);
    }

    [Fact]
    public async Task A_self_intersecting_ring_is_repaired()
    {
        // A bow tie: the ring crosses itself at (5.005, 44.705).
        var bowTie = """{ "type": "Polygon", "coordinates": [[[5.0, 44.7], [5.01, 44.71], [5.01, 44.7], [5.0, 44.71], [5.0, 44.7]]] }""";
        var communes = await Read(Collection(Feature("26001", "Nœud", bowTie)));

        var commune = Assert.Single(communes);
        Assert.True(commune.WasRepaired);
        Assert.True(commune.Boundary.IsValid);
        Assert.Equal(2, commune.Boundary.NumGeometries);
        Assert.True(commune.Boundary.Covers(commune.LabelPoint));
    }
}
