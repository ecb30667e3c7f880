using ValDrome.Domain;
using ValDrome.Geo.Territory;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.French;

public sealed class FrenchNamesTests
{
    /// <summary>Every commune of data/communes.geojson, after « de » and after « à ».</summary>
    public static TheoryData<string, string, string> Communes => new()
    {
        { "Allex", "d'Allex", "à Allex" },
        { "Ambonil", "d'Ambonil", "à Ambonil" },
        { "Autichamp", "d'Autichamp", "à Autichamp" },
        { "Beaufort-sur-Gervanne", "de Beaufort-sur-Gervanne", "à Beaufort-sur-Gervanne" },
        { "Bourdeaux", "de Bourdeaux", "à Bourdeaux" },
        { "Bouvières", "de Bouvières", "à Bouvières" },
        { "Bézaudun-sur-Bîne", "de Bézaudun-sur-Bîne", "à Bézaudun-sur-Bîne" },
        { "Chabrillan", "de Chabrillan", "à Chabrillan" },
        { "Cliousclat", "de Cliousclat", "à Cliousclat" },
        { "Cobonne", "de Cobonne", "à Cobonne" },
        { "Crupies", "de Crupies", "à Crupies" },
        { "Divajeu", "de Divajeu", "à Divajeu" },
        { "Eurre", "d'Eurre", "à Eurre" },
        { "Eygluy-Escoulin", "d'Eygluy-Escoulin", "à Eygluy-Escoulin" },
        { "Francillon-sur-Roubion", "de Francillon-sur-Roubion", "à Francillon-sur-Roubion" },
        { "Félines-sur-Rimandoule", "de Félines-sur-Rimandoule", "à Félines-sur-Rimandoule" },
        { "Gigors-et-Lozeron", "de Gigors-et-Lozeron", "à Gigors-et-Lozeron" },
        { "Grane", "de Grane", "à Grane" },
        { "La Roche-sur-Grane", "de La Roche-sur-Grane", "à La Roche-sur-Grane" },
        { "La Répara-Auriples", "de La Répara-Auriples", "à La Répara-Auriples" },
        { "Le Poët-Célard", "du Poët-Célard", "au Poët-Célard" },
        { "Les Tonils", "des Tonils", "aux Tonils" },
        { "Livron-sur-Drôme", "de Livron-sur-Drôme", "à Livron-sur-Drôme" },
        { "Loriol-sur-Drôme", "de Loriol-sur-Drôme", "à Loriol-sur-Drôme" },
        { "Mirmande", "de Mirmande", "à Mirmande" },
        { "Montclar-sur-Gervanne", "de Montclar-sur-Gervanne", "à Montclar-sur-Gervanne" },
        { "Montoison", "de Montoison", "à Montoison" },
        { "Mornans", "de Mornans", "à Mornans" },
        { "Omblèze", "d'Omblèze", "à Omblèze" },
        { "Plan-de-Baix", "de Plan-de-Baix", "à Plan-de-Baix" },
        { "Puy-Saint-Martin", "de Puy-Saint-Martin", "à Puy-Saint-Martin" },
        { "Saou", "de Saou", "à Saou" },
        { "Soyans", "de Soyans", "à Soyans" },
        { "Suze", "de Suze", "à Suze" },
        { "Truinas", "de Truinas", "à Truinas" },
        { "Vaunaveys-la-Rochette", "de Vaunaveys-la-Rochette", "à Vaunaveys-la-Rochette" },
    };

    [Theory]
    [MemberData(nameof(Communes))]
    public void A_commune_name_elides_and_contracts_after_de_and_a(string name, string of, string at)
    {
        Assert.Equal(of, FrenchNames.Of(name));
        Assert.Equal(at, FrenchNames.At(name));
    }

    [Fact]
    public async Task The_table_covers_every_commune_of_the_territory_file()
    {
        var communes = await TerritoryFile.ReadAsync(TestDatabase.TerritoryFile);

        Assert.Equal(36, communes.Count);
        Assert.Equal(communes.Select(c => c.Name).Order(StringComparer.Ordinal), Communes.Select(row => (string)row[0]).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("le dépôt", "du dépôt", "au dépôt")]
    [InlineData("la mini-pelle", "de la mini-pelle", "à la mini-pelle")]
    [InlineData("les barrières", "des barrières", "aux barrières")]
    [InlineData("l'atelier", "de l'atelier", "à l'atelier")]
    [InlineData("enceinte", "d'enceinte", "à enceinte")]
    [InlineData("Écosite", "d'Écosite", "à Écosite")]
    [InlineData("Hauterives", "d'Hauterives", "à Hauterives")]
    [InlineData("hangar", "de hangar", "à hangar")]
    [InlineData("avril 2026", "d'avril 2026", "à avril 2026")]
    [InlineData("novembre 2026", "de novembre 2026", "à novembre 2026")]
    [InlineData("Lens", "de Lens", "à Lens")]
    public void Common_nouns_and_months_follow_the_same_rules(string phrase, string of, string at)
    {
        Assert.Equal(of, FrenchNames.Of(phrase));
        Assert.Equal(at, FrenchNames.At(phrase));
    }

    [Fact]
    public void French_order_puts_accented_letters_with_their_base_letter()
    {
        string[] names = ["Bouvières", "La Roche-sur-Grane", "Bézaudun-sur-Bîne", "La Répara-Auriples", "Eygluy-Escoulin", "Eurre", "Félines-sur-Rimandoule", "Francillon-sur-Roubion"];

        Assert.Equal(
            ["Bézaudun-sur-Bîne", "Bouvières", "Eurre", "Eygluy-Escoulin", "Félines-sur-Rimandoule", "Francillon-sur-Roubion", "La Répara-Auriples", "La Roche-sur-Grane"],
            names.Order(FrenchNames.Comparer));
    }
}
