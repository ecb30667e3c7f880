using System.Globalization;
using ValDrome.Domain.Equipment;

namespace ValDrome.Domain.Notices;

/// <summary>The French notice of a fault report, to the unit's owner, saved with the report (ADR 7); the sender adds the link to the unit.</summary>
public static class FaultNotices
{
    private static readonly CultureInfo French = FrenchCulture.Instance;

    public static Notice Reported(FaultReport report, EquipmentUnit unit, string reporterSide, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(unit);
        var when = at.ToParis().ToString("dddd d MMMM yyyy 'à' HH'h'mm", French);
        var text = $"Panne signalée sur « {unit.Name} » par {report.ReporterName} ({reporterSide}).";
        return new Notice(report, unit.OwnerCommuneId, text, at,
            $"Panne signalée : {unit.Name}",
            $"""
            {report.ReporterName} ({reporterSide}) a signalé une panne sur « {unit.Name} » ({unit.InventoryCode}) le {when} :

            {report.Description}

            Sur la page du matériel, vous pouvez le mettre hors service et ouvrir une intervention de réparation.
            """);
    }
}
