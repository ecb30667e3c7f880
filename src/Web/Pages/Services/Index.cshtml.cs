using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Services;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Services;

/// <summary>
/// « Services aux communes »: a commune's requests (who comes, when, at what estimated cost);
/// for staff, admins and a coordinator, the requests waiting for an agent and those to come;
/// for an agent's account, the agent's slots to come.
/// </summary>
public sealed class IndexModel(ValDromeDb db, TimeProvider time) : PageModel
{
    public sealed record RequestRow(int Id, string Commune, ServiceKind Service, ServiceRequestStatus Status, string? Agent,
        DateOnly FirstDay, DateOnly LastDay, int Slots, bool IsUrgent, decimal EstimatedCost);

    public IReadOnlyList<RequestRow> Waiting { get; private set; } = [];

    public IReadOnlyList<RequestRow> Coming { get; private set; } = [];

    public bool IsCommuneAgent { get; private set; }

    public bool MayAssign { get; private set; }

    public bool Keeps { get; private set; }

    public string? LinkedAgentName { get; private set; }

    public string? CommuneName { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var today = time.Today();
        var linked = await ServiceRights.LinkedAgentAsync(db, actor, cancellationToken);
        IsCommuneAgent = actor.IsAgent;
        Keeps = ServiceRights.Keeps(actor);
        MayAssign = Keeps || linked is { IsCoordinator: true };
        LinkedAgentName = linked?.Name;
        CommuneName = actor.CommuneId is { } id ? await db.Communes.Where(c => c.Id == id).Select(c => c.Name).SingleAsync(cancellationToken) : null;

        var requests = db.ServiceRequests.AsQueryable();
        if (!Keeps)
        {
            var communeId = actor.IsAgent ? actor.CommuneId : -1;
            var agentId = linked?.Id ?? -1;
            var coordinated = linked is { IsCoordinator: true } ? linked.Service : (ServiceKind?)null;
            requests = requests.Where(r => r.CommuneId == communeId || r.AgentId == agentId || r.Service == coordinated);
        }

        var rows = await requests
            .Where(r => r.Status != ServiceRequestStatus.Cancelled && r.Slots.Any(s => s.IsActive && s.Day >= today))
            .OrderBy(r => r.Slots.Where(s => s.IsActive).Min(s => s.Day)).ThenBy(r => r.Id)
            .Take(200)
            .Select(r => new
            {
                r.Id, Commune = r.Commune.Name, r.Service, r.Status, Agent = r.Agent != null ? r.Agent.Name : null,
                FirstDay = r.Slots.Where(s => s.IsActive).Min(s => s.Day), LastDay = r.Slots.Where(s => s.IsActive).Max(s => s.Day),
                r.IsUrgent, r.Unit, r.Rate, r.MinimumUnits, r.RatePerKm,
                Slots = r.Slots.Where(s => s.IsActive).Select(s => new { s.Starts, s.Ends }).ToList(),
            })
            .ToListAsync(cancellationToken);
        var all = rows.Select(r => new RequestRow(r.Id, r.Commune, r.Service, r.Status, r.Agent, r.FirstDay, r.LastDay, r.Slots.Count, r.IsUrgent,
            r.Slots.Sum(s => new ServiceCharge(r.Unit, r.Rate, r.MinimumUnits, r.RatePerKm).Amount(s.Starts, s.Ends)))).ToList();
        Waiting = [.. all.Where(r => r.Status == ServiceRequestStatus.Requested)];
        Coming = [.. all.Where(r => r.Status == ServiceRequestStatus.Assigned)];
    }
}
