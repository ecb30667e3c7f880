using System.Net.Sockets;
using Npgsql;
using ValDrome.Domain.Changes;

namespace ValDrome.Web.Operations;

/// <summary>
/// Keeps this node's data versions in step with every writer (ADR 5, ADR 22): the database's
/// triggers send <c>NOTIFY valdrome_data, '&lt;table&gt;'</c> at each commit, this LISTENs on a
/// connection of its own and bumps the table's version. While it is disconnected notifications are
/// lost, so every (re)connection drops all cached entries before relying on notifications again.
/// </summary>
internal sealed partial class DataChangeListener(DataVersions versions, IConfiguration configuration, ILogger<DataChangeListener> logger) : BackgroundService
{
    public const string Channel = "valdrome_data";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    /// <summary>True while LISTEN is in place (readiness and tests read it).</summary>
    public bool Listening { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("ValDrome"))
        {
            // A connection of its own, outside the pools; keepalives find a dead server while we wait.
            Pooling = false,
            KeepAlive = 10,
            ApplicationName = "valdrome-listener",
        }.ConnectionString;
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => versions.Bump([e.Payload]);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Whatever changed before LISTEN (or while disconnected) was not heard: forget it all.
                versions.BumpAll();
                Listening = true;
                retry = FirstRetry;
                LogListening(logger);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or IOException or TimeoutException or InvalidOperationException)
            {
                Listening = false;
                LogLost(logger, retry.TotalSeconds, e);
            }

            try
            {
                await Task.Delay(retry, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for data changes; cached tiles and pages dropped")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data-change listener lost its connection; retrying in {Seconds} s")]
    private static partial void LogLost(ILogger logger, double seconds, Exception exception);
}
