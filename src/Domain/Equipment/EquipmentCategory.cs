namespace ValDrome.Domain.Equipment;

/// <summary>A kind of equipment a commune asks for ("une mini-pelle", "des barrières").</summary>
public sealed class EquipmentCategory
{
    private EquipmentCategory()
    {
    }

    public EquipmentCategory(string code, string name, string description, int maxLoanDays = 30, int transportMarginDays = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLoanDays, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(transportMarginDays);
        Code = code;
        Name = name;
        Description = description;
        MaxLoanDays = maxLoanDays;
        TransportMarginDays = transportMarginDays;
    }

    public int Id { get; private set; }

    /// <summary>Stable slug used in URLs and filters (for example <c>mini-pelle</c>).</summary>
    public string Code { get; private set; } = "";

    /// <summary>French name shown to users.</summary>
    public string Name { get; private set; } = "";

    public string Description { get; private set; } = "";

    /// <summary>The longest loan of this kind, in days (extensions included).</summary>
    public int MaxLoanDays { get; private set; } = 30;

    /// <summary>
    /// Days kept free before and after each loan of this kind for transport (delivery the day
    /// before, pick-up the day after); a unit may override it.
    /// </summary>
    public int TransportMarginDays { get; private set; }

    /// <summary>Renames the category (its code, used in addresses, stays) and sets its longest loan.</summary>
    public void Rename(string name, string? description, int maxLoanDays)
    {
        Check(name, description, maxLoanDays);
        Name = name.Trim();
        Description = description?.Trim() ?? "";
        MaxLoanDays = maxLoanDays;
    }

    /// <summary>Refuses, in French and naming the form field, what a category cannot be.</summary>
    public static void Check(string name, string? description, int maxLoanDays)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new RuleException("Donnez un nom à la catégorie (par exemple « Mini-pelle »).", "Name");
        }

        if (name.Trim().Length > 80)
        {
            throw new RuleException("Le nom d'une catégorie est limité à 80 caractères.", "Name");
        }

        if (description?.Trim().Length > 500)
        {
            throw new RuleException("La description d'une catégorie est limitée à 500 caractères.", "Description");
        }

        if (maxLoanDays is < 1 or > 365)
        {
            throw new RuleException("La durée de prêt la plus longue va de 1 à 365 jours.", "MaxLoanDays");
        }
    }
}
