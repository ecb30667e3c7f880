using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValDrome.Domain.Calendar;

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

    /// <summary>One of the slots falls on a day staff closed meanwhile: nothing was written.</summary>
    DayClosed,

    /// <summary>
    /// The agent assigned was changed (taken out of activity, edited, or assigned elsewhere) since
    /// they were read: nothing was written.
    /// </summary>
    AgentChanged,
}

/// <summary>Saving service moves, where the database may refuse an overlap or a stale row.</summary>
public static class ServiceStore
{
    /// <summary>
    /// Saves in one transaction; the refusals end with nothing written and the changes forgotten.
    /// Every agent given a slot is written too, under the version they were read at (<see cref="HoldAssignedAgentsAsync"/>).
    /// </summary>
    public static async Task<ServiceSaveOutcome> TrySaveAsync(ValDromeDb db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await HoldAssignedAgentsAsync(db, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return ServiceSaveOutcome.Saved;
        }
        catch (DbUpdateConcurrencyException e)
        {
            db.ChangeTracker.Clear();
            return e.Entries.Any(entry => entry.Entity is ServiceAgent) ? ServiceSaveOutcome.AgentChanged : ServiceSaveOutcome.Conflict;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: ClosureDay.SlotOnClosedDay })
        {
            db.ChangeTracker.Clear();
            return ServiceSaveOutcome.DayClosed;
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
    /// An assignment rests on the agent as read (in activity, of the service, working that day),
    /// but writes only bookings: taking the agent out of activity at the same moment would not
    /// see it (ADR 24). So the agent's row is written too, unchanged, under its row version
    /// (<c>xmin</c>, ADR 14): of an assignment and a change of the agent made at once, the second
    /// to commit matches no row and writes nothing.
    /// </summary>
    private static async Task HoldAssignedAgentsAsync(ValDromeDb db, CancellationToken cancellationToken)
    {
        db.ChangeTracker.DetectChanges();
        var assigned = db.ChangeTracker.Entries<AgentBooking>()
            .Where(e => e.Entity is { IsActive: true, AgentId: not null, IsAbsence: false }
                && (e.State == EntityState.Added || (e.State == EntityState.Modified && e.Property(b => b.AgentId).IsModified)))
            .Select(e => e.Entity.AgentId!.Value)
            .Distinct()
            .ToList();
        foreach (var agentId in assigned)
        {
            // Normally the page loaded the agent to check it; FindAsync reads it now otherwise.
            var agent = await db.ServiceAgents.FindAsync([agentId], cancellationToken);
            if (agent is not null && db.Entry(agent).State == EntityState.Unchanged)
            {
                db.Entry(agent).Property(a => a.IsActive).IsModified = true;
            }
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
