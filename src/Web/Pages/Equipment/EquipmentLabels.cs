using ValDrome.Domain.Equipment;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>French words for the catalogue's values, shared by the catalogue and the map.</summary>
public static class EquipmentLabels
{
    public const string CommunityOwner = "Communauté de communes";

    public static string Status(UnitStatus status) => status switch
    {
        UnitStatus.InService => "En service",
        UnitStatus.InMaintenance => "En maintenance",
        UnitStatus.Retired => "Retiré du catalogue",
        _ => status.ToString(),
    };

    public static string Transport(TransportNeed transport) => transport switch
    {
        TransportNeed.None => "Retrait par l'emprunteur (véhicule léger)",
        TransportNeed.Van => "Livraison en fourgon",
        TransportNeed.TruckAndTrailer => "Camion et remorque porte-engin",
        _ => transport.ToString(),
    };
}
