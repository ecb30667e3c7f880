namespace ValDrome.Domain.Accounts;

/// <summary>The four roles. An agent acts only for their own commune.</summary>
public static class Roles
{
    public const string Agent = "agent";
    public const string Staff = "staff";
    public const string Technician = "technician";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Agent, Staff, Technician, Admin];
}
