using System.Globalization;

namespace ValDrome.Domain.Services;

/// <summary>The French notices of service moves, added to the unit of work of the move (ADR 7).</summary>
public static class ServiceNotices
{
    private static readonly CultureInfo French = FrenchCulture.Instance;

    /// <summary>An agent assigned or chosen: one notice to the commune, one to the agent.</summary>
    public static IReadOnlyList<ServiceNotice> Assigned(ServiceRequest request, ServiceAgent agent, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(agent);
        var when = When(request);
        var service = ServiceWords.Name(request.Service);
        var toCommune = $"{agent.Name} ({service}) viendra à {request.Commune.Name} {when}.";
        var toAgent = $"Vous êtes attendu(e) à {request.Commune.Name} {when}.";
        return
        [
            new ServiceNotice(request, ServiceNoticeKind.AgentComing, request.CommuneId, null, toCommune, at,
                $"{service} : {agent.Name} viendra {when}",
                $"""
                {toCommune}
                Objet : {request.Purpose}
                Coût estimé : {request.EstimatedCost.ToString("C", French)} (hors déplacement), selon votre convention.
                """),
            new ServiceNotice(request, ServiceNoticeKind.AgentBooked, null, agent.Id, toAgent, at,
                $"{service} : {request.Commune.Name} {when}",
                $"""
                {toAgent}
                Objet : {request.Purpose}
                Lieu : {(request.Place.Length > 0 ? request.Place : "la mairie")}
                Contact : {(request.Contact.Length > 0 ? request.Contact : "le secrétariat de mairie")}
                """),
        ];
    }

    public static ServiceNotice Disputed(ServiceRequest request, TimeEntry entry, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(entry);
        var text = $"{request.Commune.Name} conteste le temps du {entry.Booking.Day.ToString("dddd d MMMM", French)} "
            + $"({entry.Started:HH\\:mm}–{entry.Ended:HH\\:mm}) : {entry.DisputeReason}";
        return new ServiceNotice(request, ServiceNoticeKind.TimeDisputed, null, null, text, at,
            $"Temps contesté par {request.Commune.Name}", text);
    }

    /// <summary>
    /// Staff closed a day the request had slots on (<see cref="ServiceRequest.CloseDay"/>): the
    /// commune is told those slots are cancelled and why, and the agent assigned, if any, too.
    /// </summary>
    public static IReadOnlyList<ServiceNotice> DayClosed(ServiceRequest request, IReadOnlyList<AgentBooking> freed, string reason, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(freed);
        if (freed.Count == 0)
        {
            return [];
        }

        var day = freed[0].Day.ToString("dddd d MMMM yyyy", French);
        var hours = string.Join(" et ", freed.OrderBy(s => s.Starts).Select(s => $"de {Hour(s.Starts)} à {Hour(s.Ends)}"));
        var service = ServiceWords.Name(request.Service);
        var who = request.Agent is { } agent ? $" avec {agent.Name}" : "";
        var rest = request.Status == ServiceRequestStatus.Cancelled
            ? "Votre demande n'a plus de créneau : elle est annulée, et rien ne vous sera facturé pour ce jour."
            : "Les autres créneaux de votre demande restent prévus ; rien ne vous sera facturé pour ce jour.";
        var toCommune = $"Le {day}, les services de la communauté sont fermés ({reason}) : votre créneau « {service} »{who} {hours} est annulé.";
        List<ServiceNotice> notices =
        [
            new ServiceNotice(request, ServiceNoticeKind.DayClosed, request.CommuneId, null, toCommune, at,
                $"{service} : créneau du {day} annulé (fermeture)",
                $"""
                {toCommune}
                {rest}
                Pour un autre jour, faites une nouvelle demande.
                """),
        ];
        if (request.AgentId is { } agentId)
        {
            var toAgent = $"Le {day} est un jour de fermeture ({reason}) : votre créneau à {request.Commune.Name} {hours} est annulé.";
            notices.Add(new ServiceNotice(request, ServiceNoticeKind.DayClosed, null, agentId, toAgent, at,
                $"{service} : {request.Commune.Name}, créneau du {day} annulé", toAgent));
        }

        return notices;
    }

    /// <summary>
    /// The commune cancelled its request, whole or its slots to come (<see cref="ServiceRequest.Cancel"/>):
    /// the agent assigned, who would otherwise come, is told which slots are off. Nobody else needs
    /// telling: the commune made the move.
    /// </summary>
    public static IReadOnlyList<ServiceNotice> Cancelled(ServiceRequest request, IReadOnlyList<AgentBooking> freed, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(freed);
        if (freed.Count == 0 || request.AgentId is not { } agentId)
        {
            return [];
        }

        var first = freed.Min(s => s.Day).ToString("dddd d MMMM yyyy", French);
        var service = ServiceWords.Name(request.Service);
        var slots = FrenchCount.Of(freed.Count, "créneau", "créneaux");
        var text = request.Status == ServiceRequestStatus.Cancelled
            ? $"{request.Commune.Name} a annulé sa demande « {service} » : vos {slots} à partir du {first} n'ont plus lieu."
            : $"{request.Commune.Name} arrête sa demande « {service} » : vos {slots} à partir du {first} n'ont plus lieu ; ceux déjà faits restent.";
        return [new ServiceNotice(request, ServiceNoticeKind.Cancelled, null, agentId, text, at, $"{service} : {request.Commune.Name}, {slots} annulé{(freed.Count > 1 ? "s" : "")}", text)];
    }

    /// <summary>« le mardi 5 janvier de 8 h 00 à 12 h 00 », or the first and last day and the count.</summary>
    public static string When(ServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var slots = request.Slots.Where(s => s.IsActive).OrderBy(s => s.Day).ThenBy(s => s.Starts).ToList();
        if (slots.Count == 0)
        {
            return "";
        }

        var first = slots[0];
        return slots.All(s => s.Day == first.Day)
            ? $"le {first.Day.ToString("dddd d MMMM yyyy", French)} de {Hour(first.Starts)} à {Hour(slots[^1].Ends)}"
            : $"en {slots.Count} créneaux du {first.Day.ToString("dddd d MMMM yyyy", French)} au {slots[^1].Day.ToString("dddd d MMMM yyyy", French)}";
    }

    public static string Hour(TimeOnly time) => string.Create(CultureInfo.InvariantCulture, $"{time.Hour}\u00a0h\u00a0{time.Minute:00}");
}
