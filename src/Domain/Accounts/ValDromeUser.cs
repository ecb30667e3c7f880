using Microsoft.AspNetCore.Identity;
using ValDrome.Domain.Communes;

namespace ValDrome.Domain.Accounts;

/// <summary>A person who signs in: a commune's agent (bound to one commune), staff, technician or admin.</summary>
public sealed class ValDromeUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>The commune an agent acts for; null for the community's own people.</summary>
    public int? CommuneId { get; set; }

    public Commune? Commune { get; set; }

    /// <summary>The last time this person signed in successfully (password, and the code when they have a second factor).</summary>
    public DateTimeOffset? LastSignInAt { get; set; }
}
