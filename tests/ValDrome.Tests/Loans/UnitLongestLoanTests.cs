using NetTopologySuite.Geometries;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Loans;

namespace ValDrome.Tests.Loans;

/// <summary>Issue 11: a unit's own longest loan, when its owner set one, rules over its category's.</summary>
public sealed class UnitLongestLoanTests
{
    private static readonly DateOnly Today = new(2027, 3, 1);
    private static readonly RequestWindow Window = RequestWindow.From(Today, 18);

    private static EquipmentUnit Unit(int? maxLoanDays, int categoryMax = 30)
    {
        var category = new EquipmentCategory("remorque", "Remorque", "", categoryMax);
        var unit = new EquipmentUnit("T-01", "Remorque plateau", category, null, new Point(5.02, 44.75) { SRID = 4326 }, 10m, TransportNeed.None);
        unit.Describe(new UnitDescription("Remorque plateau", null, 10m, 0m, null, null, TransportNeed.None, maxLoanDays, false), category);
        return unit;
    }

    [Fact]
    public void A_request_longer_than_the_units_own_longest_loan_is_refused_in_french()
    {
        var first = Today.AddDays(7);

        var refusal = Assert.Throws<RuleException>(() => Loan.CheckPeriod(Unit(maxLoanDays: 3), first, first.AddDays(3), Window));

        Assert.Equal("« Remorque plateau » se prête au plus 3\u00a0jours ; vous en demandez 4.", refusal.Message);
        Assert.Equal("LastDay", refusal.Field);
        Loan.CheckPeriod(Unit(maxLoanDays: 3), first, first.AddDays(2), Window);
    }

    [Fact]
    public void A_units_longer_override_allows_more_than_its_category()
    {
        var first = Today.AddDays(7);

        Loan.CheckPeriod(Unit(maxLoanDays: 40, categoryMax: 30), first, first.AddDays(34), Window);
        Assert.Throws<RuleException>(() => Loan.CheckPeriod(Unit(maxLoanDays: null, categoryMax: 30), first, first.AddDays(34), Window));
    }
}
