using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValDrome.Geo.Tours;

namespace ValDrome.Domain.Transport;

/// <summary>
/// The tours' travel matrix from PostGIS: geodesic distance on the spheroid × a detour factor,
/// driven at an average speed. The planner only sees <see cref="ITravelMatrix"/>: a pgRouting
/// matrix on a real road network can replace this one without touching it.
/// </summary>
public static class PostGisTravelMatrix
{
    public static async Task<ITravelMatrix> BuildAsync(
        ValDromeDb db, IReadOnlyList<(double Longitude, double Latitude)> points, double detourFactor, double speedKmh, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(detourFactor, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speedKmh);
        var n = points.Count;
        var metres = new double[n, n];
        var seconds = new double[n, n];
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            await using var command = new NpgsqlCommand("""
                WITH p AS (
                    SELECT i::int - 1 AS i, ST_SetSRID(ST_MakePoint(x, y), 4326)::geography AS g
                    FROM unnest(@xs, @ys) WITH ORDINALITY AS t(x, y, i))
                SELECT a.i, b.i, ST_Distance(a.g, b.g) FROM p a CROSS JOIN p b WHERE a.i < b.i
                """, connection);
            command.Parameters.AddWithValue("xs", points.Select(p => p.Longitude).ToArray());
            command.Parameters.AddWithValue("ys", points.Select(p => p.Latitude).ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var (i, j) = (reader.GetInt32(0), reader.GetInt32(1));
                var road = reader.GetDouble(2) * detourFactor;
                metres[i, j] = metres[j, i] = road;
                seconds[i, j] = seconds[j, i] = road / (speedKmh / 3.6);
            }
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }

        return new ArrayTravelMatrix(metres, seconds);
    }
}
