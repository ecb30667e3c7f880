using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace ValDrome.Domain.Services;

/// <summary>An agent free for the asked hours, with the geodesic distance from their home base.</summary>
public sealed record AvailableAgent(int AgentId, string Name, string HomeCommune, double DistanceMetres);

/// <summary>
/// « Notre secrétaire est absente demain »: the agents of a service free on a day, nearest to a
/// commune first. Runs in PostGIS as a KNN walk of the (service, home) GiST index, each
/// candidate's bookings probed through the exclusion constraint's own index, stopping at the
/// limit: the roster is never loaded (ADR 24, asserted with EXPLAIN in the tests).
/// </summary>
public static class NearestAgents
{
    /// <summary>
    /// $1 commune, $2 service, $3 the weekday's bit, $4 and $5 the start and end (timestamps),
    /// $6 the limit. The free test is the constraint's: no active booking of the agent overlaps.
    /// </summary>
    public const string Text = """
        SELECT n.* FROM (
            SELECT a.id, a.name,
                   (SELECT c.name FROM communes c WHERE c.id = a.home_commune_id) AS home_commune,
                   ST_Distance(a.home_location, o.point) AS distance_metres
            FROM (SELECT (SELECT c.reference_point FROM communes c WHERE c.id = $1) AS point) o
            JOIN service_agents a ON a.service = $2
            WHERE a.is_active
              AND (a.working_days & $3) <> 0
              AND NOT EXISTS (
                  SELECT 1 FROM agent_bookings b
                  WHERE b.agent_id = a.id AND b.is_active AND b.period && tsrange($4, $5, '[)'))
            ORDER BY a.home_location <-> o.point
            LIMIT $6) n
        ORDER BY n.distance_metres, n.id
        """;

    public static NpgsqlCommand CreateCommand(NpgsqlConnection connection, int communeId, ServiceKind service, ServiceSlot slot, int limit, string prefix = "")
    {
        var command = new NpgsqlCommand(prefix + Text, connection);
        object[] values = [communeId, service.ToString(), ServiceDays.Bit(slot.Day.DayOfWeek),
            slot.Day.ToDateTime(slot.Start), slot.Day.ToDateTime(slot.End), limit];
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        command.Parameters[3].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Timestamp;
        command.Parameters[4].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Timestamp;
        return command;
    }

    public static async Task<IReadOnlyList<AvailableAgent>> FindAsync(
        ValDromeDb db, int communeId, ServiceKind service, ServiceSlot slot, int limit = 5, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = CreateCommand((NpgsqlConnection)db.Database.GetDbConnection(), communeId, service, slot, limit);
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var agents = new List<AvailableAgent>();
            while (await reader.ReadAsync(cancellationToken))
            {
                agents.Add(new AvailableAgent(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3)));
            }

            return agents;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
