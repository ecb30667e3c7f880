using ValDrome.Domain;
using ValDrome.Domain.Services;

namespace ValDrome.Tests.French;

public sealed class FrenchCountTests
{
    [Theory]
    [InlineData(0, "0\u00a0jour")]
    [InlineData(1, "1\u00a0jour")]
    [InlineData(1.5, "1,5\u00a0jour")]
    [InlineData(1.99, "1,99\u00a0jour")]
    [InlineData(2, "2\u00a0jours")]
    [InlineData(14, "14\u00a0jours")]
    [InlineData(-1, "-1\u00a0jour")]
    [InlineData(-3, "-3\u00a0jours")]
    public void The_noun_takes_the_plural_from_two_on_as_french_agrees_it(double count, string expected) =>
        Assert.Equal(expected, FrenchCount.Of((decimal)count, "jour"));

    [Fact]
    public void Half_days_and_hours_agree_with_their_count()
    {
        Assert.Equal("1\u00a0demi-journée", FrenchCount.Of(1, ServiceWords.Unit(BillingUnit.HalfDay), ServiceWords.Units(BillingUnit.HalfDay)));
        Assert.Equal("2\u00a0demi-journées", FrenchCount.Of(2, ServiceWords.Unit(BillingUnit.HalfDay), ServiceWords.Units(BillingUnit.HalfDay)));
        Assert.Equal("1,5\u00a0heure", FrenchCount.Of(1.5m, ServiceWords.Unit(BillingUnit.Hour), ServiceWords.Units(BillingUnit.Hour)));
        Assert.Equal("2,25\u00a0heures", FrenchCount.Of(2.25m, ServiceWords.Unit(BillingUnit.Hour), ServiceWords.Units(BillingUnit.Hour)));
    }

    [Fact]
    public void A_word_ending_in_s_x_or_z_stays_as_it_is_and_a_phrase_or_an_irregular_plural_is_given()
    {
        Assert.Equal("3\u00a0mois", FrenchCount.Of(3, "mois"));
        Assert.Equal("2\u00a0prix", FrenchCount.Of(2, "prix"));
        Assert.Equal("4\u00a0créneaux", FrenchCount.Of(4, "créneau", "créneaux"));
        Assert.Equal("1\u00a0créneau", FrenchCount.Of(1, "créneau", "créneaux"));
        Assert.Equal("2\u00a0visites de chantier", FrenchCount.Of(2, "visite de chantier", "visites de chantier"));
        Assert.Throws<ArgumentException>(() => FrenchCount.Of(2, "visite de chantier"));
        Assert.Equal("visite de chantier", FrenchCount.Noun(1, "visite de chantier"));
    }

    [Fact]
    public void A_large_count_is_grouped_as_french_writes_it_and_never_split_from_its_noun()
    {
        var text = FrenchCount.Of(1200, "agent");

        Assert.Equal("1\u202f200\u00a0agents", text);
        Assert.DoesNotContain(' ', text);
    }
}
