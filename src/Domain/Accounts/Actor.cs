namespace ValDrome.Domain.Accounts;

/// <summary>Who is acting, as the rules need to know it: built from the signed-in user's claims.</summary>
public sealed record Actor(string UserId, string Name, int? CommuneId, IReadOnlySet<string> Roles)
{
    /// <summary>ValDrome itself (automatic approvals, jobs).</summary>
    public static Actor System { get; } = new("system", "ValDrome", null, new HashSet<string>());

    public bool IsAgent => Roles.Contains(Accounts.Roles.Agent) && CommuneId is not null;

    public bool IsStaff => Roles.Contains(Accounts.Roles.Staff);

    public bool IsTechnician => Roles.Contains(Accounts.Roles.Technician);

    public bool IsAdmin => Roles.Contains(Accounts.Roles.Admin);

    /// <summary>An agent of this commune.</summary>
    public bool ActsFor(int communeId) => IsAgent && CommuneId == communeId;
}
