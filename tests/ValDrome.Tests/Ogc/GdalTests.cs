using System.Globalization;
using System.Text.RegularExpressions;
using ValDrome.Geo.Spatial;

namespace ValDrome.Tests.Ogc;

/// <summary>
/// A real client reads the API: GDAL's OAPIF and MVT drivers (Debian gdal-bin, as QGIS uses
/// them), run as child processes against the site on a Kestrel port.
/// </summary>
[Collection(SharedGisSite.Name)]
public sealed partial class GdalTests(GisSite site) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("valdrome-gdal-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Oapif => "OAPIF:" + site.OgcRoot;

    [Fact]
    public async Task Ogrinfo_lists_the_three_collections()
    {
        var result = await Gdal.RunAsync("ogrinfo", "-ro", Oapif);

        Assert.True(result.ExitCode == 0, result.Errors);
        Assert.Contains("1: communes (title: Communes) (Multi Polygon)", result.Output);
        Assert.Contains("2: equipements (title: Matériel) (Point)", result.Output);
        Assert.Contains("3: depots (title: Dépôts) (Point)", result.Output);
    }

    [Fact]
    public async Task Ogrinfo_summary_of_communes_reports_36_features_and_their_fields()
    {
        var result = await Gdal.RunAsync("ogrinfo", "-ro", "-so", "-al", Oapif, "communes");

        Assert.True(result.ExitCode == 0, result.Errors);
        Assert.Contains("Feature Count: 36", result.Output);
        Assert.Contains("insee: String", result.Output);
        Assert.Contains("population: Integer", result.Output);
        Assert.Contains("ID[\"EPSG\",4326]", result.Output);
    }

    [Fact]
    public async Task Ogr2ogr_copies_every_collection_to_a_geopackage_page_by_page()
    {
        var geopackage = Path.Combine(_directory, "valdrome.gpkg");

        // Seven a page: every collection but depots takes several requests, following next links.
        var copy = await Gdal.RunAsync("ogr2ogr", "-f", "GPKG", geopackage, Oapif, "-oo", "PAGE_SIZE=7");

        Assert.True(copy.ExitCode == 0, copy.Errors);
        foreach (var (layer, table) in new[] { ("communes", "communes"), ("equipements", "equipment_units"), ("depots", "depots") })
        {
            var summary = await Gdal.RunAsync("ogrinfo", "-ro", "-so", geopackage, layer);
            Assert.True(summary.ExitCode == 0, summary.Errors);
            var expected = await site.Database.ScalarAsync<long>($"SELECT count(*) FROM {table}");
            Assert.Equal(expected, FeatureCount(summary.Output));
        }
    }

    [Theory]
    [InlineData("communes", "communes", "boundary", "4.9", "44.7", "5.0", "44.8")]
    [InlineData("equipements", "equipment_units", "home_location::geometry", "4.9", "44.7", "5.0", "44.8")]
    [InlineData("equipements", "equipment_units", "home_location::geometry", "4.75", "44.55", "5.3", "44.78")]
    public async Task Ogrinfo_spat_returns_exactly_what_postgis_says_intersects(
        string layer, string table, string geometry, string west, string south, string east, string north)
    {
        var result = await Gdal.RunAsync("ogrinfo", "-ro", "-al", "-q", "-spat", west, south, east, north, Oapif, layer);

        Assert.True(result.ExitCode == 0, result.Errors);
        var expected = await site.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM {table} WHERE ST_Intersects({geometry}, ST_MakeEnvelope({west}, {south}, {east}, {north}, 4326))");
        Assert.True(expected > 0);
        Assert.Equal(expected, FeatureLine().Count(result.Output));
    }

    [Fact]
    public async Task Ogrinfo_reads_a_vector_tile_with_its_layer_and_fields()
    {
        var tile = WebMercatorTile.Containing(4.9912, 44.7606, 12);
        var url = new Uri(site.BaseAddress, $"/tiles/communes/{tile.Z}/{tile.X}/{tile.Y}.pbf").ToString();

        var result = await Gdal.RunAsync("ogrinfo", "-ro", "-al", "MVT:" + url);

        Assert.True(result.ExitCode == 0, result.Errors);
        Assert.Contains("Layer name: communes", result.Output);
        Assert.Contains("insee: String", result.Output);
        Assert.Contains("nom: String", result.Output);
        Assert.Contains("population: Integer", result.Output);
        Assert.Contains("nom (String) = Eurre", result.Output);
        var expected = await site.Database.ScalarAsync<long>(string.Create(CultureInfo.InvariantCulture,
            $"SELECT count(*) FROM communes WHERE ST_Intersects(ST_Transform(boundary, 3857), ST_TileEnvelope({tile.Z}, {tile.X}, {tile.Y}, margin => 64.0 / 4096))"));
        Assert.Equal(expected, FeatureCount(result.Output));
    }

    [Fact]
    public async Task Ogrinfo_reads_the_units_tile_around_the_depot()
    {
        var tile = WebMercatorTile.Containing(4.9912, 44.7606, 14);
        var url = new Uri(site.BaseAddress, $"/tiles/equipements/{tile.Z}/{tile.X}/{tile.Y}.pbf").ToString();

        var result = await Gdal.RunAsync("ogrinfo", "-ro", "-al", "MVT:" + url);

        Assert.True(result.ExitCode == 0, result.Errors);
        Assert.Contains("Layer name: equipements", result.Output);
        Assert.Contains("Geometry: Point", result.Output);
        Assert.Contains("categorie (String) = Mini-pelle", result.Output);
        Assert.Contains("tarif_journalier (Real) = 120", result.Output);
        var community = await site.Database.ScalarAsync<long>("SELECT count(*) FROM equipment_units WHERE owner_commune_id IS NULL");
        Assert.True(FeatureCount(result.Output) >= community);
    }

    private static long FeatureCount(string output) =>
        long.Parse(CountLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Feature Count: (\d+)")]
    private static partial Regex CountLine();

    [GeneratedRegex(@"^OGRFeature\(", RegexOptions.Multiline)]
    private static partial Regex FeatureLine();
}
