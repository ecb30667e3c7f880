using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Changes;
using ValDrome.Web.Operations;

namespace ValDrome.Web.Pages.Account;

/// <summary>Sessions read from the database are kept in memory this long at most (ADR 29); zero reads every request.</summary>
public sealed class SessionKeepingOptions
{
    public const string Section = "ValDrome:Sessions";

    public TimeSpan KeepFor { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Server-side sessions (ADR 12): the sign-in cookie carries a session id, the ticket lives in
/// <c>user_sessions</c>. The row is refused when the person's security stamp has changed since
/// sign-in, even if the row survived. A session read is kept in memory under the data version of
/// <c>user_sessions</c> and <c>AspNetUsers</c> (ADR 29): any change to either, on any node or by
/// psql, is notified to every node and drops what they kept, and nothing is kept while this node
/// does not hear the notifications.
/// </summary>
public sealed class DatabaseTicketStore(
    IServiceProvider services,
    IServiceScopeFactory scopes,
    IDataProtectionProvider protection,
    IOptions<IdentityOptions> identity,
    DataVersions versions,
    IOptions<SessionKeepingOptions> keeping)
    : ITicketStore, IDisposable
{
    /// <summary>The tables whose changes can end a session: its row, and the person's stamp or lockout.</summary>
    private static readonly string[] SessionTables = ["user_sessions", "AspNetUsers"];

    /// <summary>Seen-at is written at most this often, so reading a page is one read, not one write.</summary>
    private static readonly TimeSpan SeenResolution = TimeSpan.FromMinutes(5);

    /// <summary>Every signed-in request runs it: compiled once, so it goes straight to its one round trip (ADR 28).</summary>
    private static readonly Func<ValDromeDb, string, Task<SessionRow?>> FindSession = EF.CompileAsyncQuery(
        (ValDromeDb db, string key) => db.UserSessions.AsNoTracking().Where(s => s.Id == key)
            .Select(s => new SessionRow(s.Ticket, s.ExpiresAt, s.LastSeenAt, s.User!.SecurityStamp))
            .SingleOrDefault());

    private readonly IDataProtector _protector = protection.CreateProtector("ValDrome.UserSessions.v1");

    private DataChangeListener? _listener;

    /// <summary>Resolved once, on the first request: the hosted listener is made after this store.</summary>
    private DataChangeListener Listener => _listener ??= services.GetRequiredService<DataChangeListener>();

    private readonly MemoryCache _kept = new(new MemoryCacheOptions { SizeLimit = 100_000, CompactionPercentage = 0.25 });

    private sealed record SessionRow(byte[] Ticket, DateTimeOffset? ExpiresAt, DateTimeOffset LastSeenAt, string? SecurityStamp);

    /// <summary>A session as read, under the version of <see cref="SessionTables"/> read before the query.</summary>
    /// <remarks>The ticket serialised but not encrypted: each request gets its own copy, which the cookie handler may change when it renews it.</remarks>
    private sealed record KeptSession(byte[] Ticket, DateTimeOffset? ExpiresAt, DateTimeOffset LastSeenAt, long Version);

    // The cookie handler's clock (the tests move the site's clock by months, not the cookies').
    // Resolved late: the cookie options hold this store, so taking them in the constructor is a cycle.
    private TimeProvider Clock =>
        services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).TimeProvider
        ?? TimeProvider.System;

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    public Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken) =>
        StoreAsync(ticket, userAgent: null, cancellationToken);

    public Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken) =>
        StoreAsync(ticket, httpContext?.Request.Headers.UserAgent.ToString(), cancellationToken);

    private async Task<string> StoreAsync(AuthenticationTicket ticket, string? userAgent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var userId = UserId(ticket) ?? throw new InvalidOperationException("A session needs a signed-in user.");
        var now = Clock.GetUtcNow();
        var session = new UserSession
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            UserId = userId,
            Ticket = Protect(ticket),
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = ticket.Properties.ExpiresUtc,
            UserAgent = string.IsNullOrEmpty(userAgent) ? null : userAgent[..Math.Min(userAgent.Length, UserSession.UserAgentLength)],
        };

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ValDromeDb>();
        // Abandoned sessions of this person go when they sign in again.
        await db.UserSessions.Where(s => s.UserId == userId && s.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        _kept.Remove(key);
        var bytes = Protect(ticket);
        var now = Clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ValDromeDb>();
        // Only an existing row: renewing must never bring an ended session back.
        await db.UserSessions.Where(s => s.Id == key).ExecuteUpdateAsync(
            set => set.SetProperty(s => s.Ticket, bytes).SetProperty(s => s.LastSeenAt, now).SetProperty(s => s.ExpiresAt, ticket.Properties.ExpiresUtc),
            cancellationToken);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        var keepFor = keeping.Value.KeepFor;
        // Kept sessions are trusted only while this node hears every change: a lost listener would miss the end of one.
        var keep = keepFor > TimeSpan.Zero && Listener.Listening;
        var version = versions.Of(SessionTables);
        var now = Clock.GetUtcNow();
        if (keep && _kept.TryGetValue(key, out KeptSession? kept) && kept is not null && kept.Version == version
            && !(kept.ExpiresAt < now) && now - kept.LastSeenAt <= SeenResolution)
        {
            return TicketSerializer.Default.Deserialize(kept.Ticket);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ValDromeDb>();
        var row = await FindSession(db, key);
        if (row is null)
        {
            _kept.Remove(key);
            return null;
        }

        var ticket = Unprotect(row.Ticket);
        var stamp = ticket?.Principal.FindFirst(identity.Value.ClaimsIdentity.SecurityStampClaimType)?.Value;
        if (ticket is null || row.ExpiresAt < now || !string.Equals(stamp, row.SecurityStamp, StringComparison.Ordinal))
        {
            _kept.Remove(key);
            await db.UserSessions.Where(s => s.Id == key).ExecuteDeleteAsync(cancellationToken);
            return null;
        }

        var lastSeen = row.LastSeenAt;
        if (now - lastSeen > SeenResolution)
        {
            await db.UserSessions.Where(s => s.Id == key).ExecuteUpdateAsync(set => set.SetProperty(s => s.LastSeenAt, now), cancellationToken);
            lastSeen = now;
        }

        if (keep)
        {
            using var entry = _kept.CreateEntry(key);
            entry.Value = new KeptSession(TicketSerializer.Default.Serialize(ticket), row.ExpiresAt, lastSeen, version);
            entry.Size = 1;
            entry.AbsoluteExpirationRelativeToNow = keepFor;
        }

        return ticket;
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        _kept.Remove(key);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ValDromeDb>();
        await db.UserSessions.Where(s => s.Id == key).ExecuteDeleteAsync(cancellationToken);
    }

    private static string? UserId(AuthenticationTicket ticket) =>
        ticket.Principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;

    private byte[] Protect(AuthenticationTicket ticket) => _protector.Protect(TicketSerializer.Default.Serialize(ticket));

    private AuthenticationTicket? Unprotect(byte[] bytes)
    {
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(bytes));
        }
        catch (CryptographicException)
        {
            // Keys rotated away or lost: the session is simply over.
            return null;
        }
    }

    public void Dispose() => _kept.Dispose();
}
