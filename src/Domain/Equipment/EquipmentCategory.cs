namespace ValDrome.Domain.Equipment;

/// <summary>A kind of equipment a commune asks for ("une mini-pelle", "des barrières").</summary>
public sealed class EquipmentCategory
{
    private EquipmentCategory()
    {
    }

    public EquipmentCategory(string code, string name, string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Code = code;
        Name = name;
        Description = description;
    }

    public int Id { get; private set; }

    /// <summary>Stable slug used in URLs and filters (for example <c>mini-pelle</c>).</summary>
    public string Code { get; private set; } = "";

    /// <summary>French name shown to users.</summary>
    public string Name { get; private set; } = "";

    public string Description { get; private set; } = "";
}
