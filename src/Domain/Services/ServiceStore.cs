using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ValDrome.Domain.Services;

public enum ServiceSaveOutcome
{
    Saved,

    /// <summary>The agent is already booked (or absent) on one of the slots: nothing was written.</summary>
    AgentTaken,

    /// <summary>The commune already asked for this service on one of the slots: nothing was written.</summary>
    CommuneTaken,

    /// <summary>Another move changed the request first (row version): nothing was written.</summary>
    Conflict,
}

/// <summary>Saving service moves, where the database may refuse an overlap or a stale row.</summary>
public static class ServiceStore
{
    /// <summary>Saves in one transaction; the refusals end with nothing written and the changes forgotten.</summary>
    public static async Task<ServiceSaveOutcome> TrySaveAsync(ValDromeDb db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return ServiceSaveOutcome.Saved;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return ServiceSaveOutcome.Conflict;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation } exclusion)
        {
            db.ChangeTracker.Clear();
            return exclusion.ConstraintName switch
            {
                AgentBookingConfiguration.NoAgentOverlap => ServiceSaveOutcome.AgentTaken,
                AgentBookingConfiguration.NoCommuneOverlap => ServiceSaveOutcome.CommuneTaken,
                _ => throw new InvalidOperationException($"Unexpected exclusion constraint {exclusion.ConstraintName}.", e),
            };
        }
    }

    /// <summary>
    /// The first of the slots on which the agent is booked by another request or absent: the test
    /// of the exclusion constraint, run first to name the day (and again after a lost race).
    /// </summary>
    public static Task<DateOnly?> FirstAgentOverlapAsync(ValDromeDb db, int agentId, int requestId, IReadOnlyCollection<ServiceSlot> slots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(slots);
        var (days, starts, ends) = Columns(slots);
        return db.Database.SqlQuery<DateOnly?>($"""
            SELECT min(s.day) AS "Value"
            FROM unnest({days}::date[], {starts}::time[], {ends}::time[]) AS s(day, starts, ends)
            WHERE EXISTS (
                SELECT 1 FROM agent_bookings b
                WHERE b.agent_id = {agentId} AND b.is_active AND b.request_id IS DISTINCT FROM {requestId}
                  AND b.period && tsrange(s.day + s.starts, s.day + s.ends, '[)'))
            """).SingleAsync(cancellationToken);
    }

    /// <summary>The first of the slots on which the commune already holds an active request of the service.</summary>
    public static Task<DateOnly?> FirstCommuneOverlapAsync(ValDromeDb db, int communeId, ServiceKind service, IReadOnlyCollection<ServiceSlot> slots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(slots);
        var (days, starts, ends) = Columns(slots);
        var name = service.ToString();
        return db.Database.SqlQuery<DateOnly?>($"""
            SELECT min(s.day) AS "Value"
            FROM unnest({days}::date[], {starts}::time[], {ends}::time[]) AS s(day, starts, ends)
            WHERE EXISTS (
                SELECT 1 FROM agent_bookings b
                WHERE b.commune_id = {communeId} AND b.service = {name} AND b.is_active
                  AND b.period && tsrange(s.day + s.starts, s.day + s.ends, '[)'))
            """).SingleAsync(cancellationToken);
    }

    /// <summary>A request with its slots, agent and commune, tracked for a change.</summary>
    public static Task<ServiceRequest?> LoadForChangeAsync(ValDromeDb db, int id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.ServiceRequests
            .Include(r => r.Slots).ThenInclude(s => s.Time)
            .Include(r => r.Commune)
            .Include(r => r.Agent)
            .AsSplitQuery()
            .SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
    }

    private static (DateOnly[] Days, TimeOnly[] Starts, TimeOnly[] Ends) Columns(IReadOnlyCollection<ServiceSlot> slots) =>
        (slots.Select(s => s.Day).ToArray(), slots.Select(s => s.Start).ToArray(), slots.Select(s => s.End).ToArray());
}
