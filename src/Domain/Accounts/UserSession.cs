using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ValDrome.Domain.Accounts;

/// <summary>
/// A signed-in session kept on the server: the cookie carries only <see cref="Id"/>, so deleting
/// the row ends the session on every node at once (sign-out, password change, disabled account).
/// </summary>
public sealed class UserSession
{
    public required string Id { get; init; }

    public required string UserId { get; init; }

    /// <summary>The authentication ticket, serialised and encrypted with the site's data protection keys.</summary>
    public required byte[] Ticket { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public string? UserAgent { get; init; }

    public ValDromeUser? User { get; init; }

    public const int UserAgentLength = 300;
}

/// <summary>Ends sessions: what an admin page calls to sign a person out everywhere.</summary>
public static class UserSessions
{
    /// <summary>Deletes every session of <paramref name="userId"/>: their cookies are refused from the next request on.</summary>
    public static Task<int> EndAllAsync(ValDromeDb db, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.UserSessions.Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> builder)
    {
        builder.ToTable("user_sessions");
        builder.Property(s => s.Id).HasMaxLength(64);
        builder.Property(s => s.UserAgent).HasMaxLength(UserSession.UserAgentLength);
        builder.HasIndex(s => s.UserId);
        builder.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
