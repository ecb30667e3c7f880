using System.Net.Sockets;
using Npgsql;
using ValDrome.Domain.Changes;

namespace ValDrome.Web.Operations;

/// <summary>Settings of replica reads (section <c>ValDrome:Replica</c>; the replica itself is <c>ConnectionStrings:ValDromeReplica</c>).</summary>
public sealed class ReplicaOptions
{
    public const string Section = "ValDrome:Replica";

    /// <summary>The most a read sent to the replica may lag behind the primary.</summary>
    public double MaxLagSeconds { get; set; } = 5;

    /// <summary>How often the replica's position is compared with the primary's.</summary>
    public double CheckSeconds { get; set; } = 1;
}

/// <summary>
/// Connections for the reads that tolerate a little lag (the GIS layer's items and tiles, ADR 22):
/// the replica when one is set, answers, and has replayed everything this node has heard of (the
/// last data change, the primary's WAL position at a check less than <see cref="ReplicaOptions.MaxLagSeconds"/>
/// old); the primary otherwise. Callers never wait for a check: they read the last one.
/// </summary>
public sealed partial class ReplicaReads : IAsyncDisposable
{
    private readonly DataVersions _versions;
    private readonly ReplicaOptions _options;
    private readonly ILogger<ReplicaReads> _logger;
    private readonly Lock _samplesLock = new();
    private readonly Queue<(long Ticks, ulong Lsn)> _samples = new();
    private long _caughtUpAsOf = long.MinValue;
    private long _replicaReads;
    private long _fallbacks;
    private volatile bool _replicaUp;

    public ReplicaReads(
        [FromKeyedServices(Ogc.OgcEndpoints.DataSourceKey)] NpgsqlDataSource primary,
        IConfiguration configuration,
        DataVersions versions,
        Microsoft.Extensions.Options.IOptions<ReplicaOptions> options,
        ILogger<ReplicaReads> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        _versions = versions;
        _options = options.Value;
        _logger = logger;
        Primary = primary;
        var replica = configuration.GetConnectionString("ValDromeReplica");
        if (!string.IsNullOrWhiteSpace(replica))
        {
            // Short timeouts: a replica that does not answer at once is skipped, not waited for.
            Replica = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(replica) { Timeout = 2, CommandTimeout = 10 }.ConnectionString);
        }
    }

    public NpgsqlDataSource Primary { get; }

    public NpgsqlDataSource? Replica { get; }

    /// <summary>Reads served by the replica so far (and a metric).</summary>
    public long ReplicaReadCount => Interlocked.Read(ref _replicaReads);

    /// <summary>Reads that would have gone to the replica but went to the primary because it failed.</summary>
    public long FallbackCount => Interlocked.Read(ref _fallbacks);

    /// <summary>Seconds since the replica was last known to hold everything the primary had; null when it never was or is down.</summary>
    public double? LagSeconds
    {
        get
        {
            var caughtUp = Interlocked.Read(ref _caughtUpAsOf);
            return Replica is null ? 0 : !_replicaUp || caughtUp == long.MinValue ? null : (Environment.TickCount64 - caughtUp) / 1000.0;
        }
    }

    /// <summary>True when reads go to the replica now.</summary>
    public bool ReplicaUsable
    {
        get
        {
            var caughtUp = Interlocked.Read(ref _caughtUpAsOf);
            return Replica is not null && _replicaUp
                && caughtUp > _versions.LastBumpTicks
                && Environment.TickCount64 - caughtUp <= _options.MaxLagSeconds * 1000;
        }
    }

    public async ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        if (Replica is not null && ReplicaUsable)
        {
            try
            {
                var connection = await Replica.OpenConnectionAsync(cancellationToken);
                Interlocked.Increment(ref _replicaReads);
                ReplicaFallback.MarkUsed();
                return connection;
            }
            catch (Exception e) when (IsConnectionFailure(e) && !cancellationToken.IsCancellationRequested)
            {
                MarkDown(e);
            }
        }

        return await Primary.OpenConnectionAsync(cancellationToken);
    }

    internal static bool IsConnectionFailure(Exception e) =>
        e is NpgsqlException { IsTransient: true } or SocketException or IOException or TimeoutException
        || e is PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08006" or "08003" or "08001" }
        || (e.InnerException is { } inner && IsConnectionFailure(inner));

    internal void MarkDown(Exception e)
    {
        Interlocked.Increment(ref _fallbacks);
        if (_replicaUp)
        {
            _replicaUp = false;
            Replica?.Clear();
            LogReplicaDown(_logger, e.Message);
        }
    }

    /// <summary>One comparison: the primary's WAL position first, then how far the replica has replayed.</summary>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (Replica is null)
        {
            return;
        }

        var started = Environment.TickCount64;
        ulong primaryLsn;
        try
        {
            await using var primary = await Primary.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select pg_current_wal_lsn()::text", primary);
            primaryLsn = ParseLsn((string)(await command.ExecuteScalarAsync(cancellationToken))!);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            return;
        }

        try
        {
            await using var replica = await Replica.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select pg_is_in_recovery(), coalesce(pg_last_wal_replay_lsn()::text, '0/0')", replica);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var inRecovery = reader.GetBoolean(0);
            var replayed = ParseLsn(reader.GetString(1));
            if (!_replicaUp)
            {
                LogReplicaUp(_logger);
            }

            _replicaUp = true;
            lock (_samplesLock)
            {
                _samples.Enqueue((started, primaryLsn));
                long caughtUp = long.MinValue;
                // A server that is not in recovery is the primary itself (a stand-in): it holds everything.
                while (_samples.Count > 0 && (!inRecovery || _samples.Peek().Lsn <= replayed))
                {
                    caughtUp = _samples.Dequeue().Ticks;
                }

                while (_samples.Count > 64)
                {
                    _samples.Dequeue();
                }

                if (caughtUp != long.MinValue)
                {
                    Interlocked.Exchange(ref _caughtUpAsOf, caughtUp);
                }
            }
        }
        catch (Exception e) when (IsConnectionFailure(e) || e is PostgresException)
        {
            MarkDown(e);
        }
    }

    private static ulong ParseLsn(string lsn)
    {
        var slash = lsn.IndexOf('/', StringComparison.Ordinal);
        return (Convert.ToUInt64(lsn[..slash], 16) << 32) | Convert.ToUInt64(lsn[(slash + 1)..], 16);
    }

    public async ValueTask DisposeAsync()
    {
        // The primary's pool belongs to the GIS layer's registration, which disposes it.
        if (Replica is not null)
        {
            await Replica.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica unavailable, reading from the primary: {Reason}")]
    private static partial void LogReplicaDown(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica available")]
    private static partial void LogReplicaUp(ILogger logger);
}

/// <summary>Compares the replica with the primary every <see cref="ReplicaOptions.CheckSeconds"/>.</summary>
internal sealed class ReplicaWatch(ReplicaReads reads, Microsoft.Extensions.Options.IOptions<ReplicaOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (reads.Replica is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.1, options.Value.CheckSeconds)));
        do
        {
            await reads.CheckAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>
/// A GET whose replica connection broke before anything was sent (the replica stopped mid-query)
/// is run once more, on the primary: the person never sees the replica go.
/// </summary>
internal static class ReplicaFallback
{
    private static readonly AsyncLocal<StrongBox?> Current = new();

    public static void MarkUsed()
    {
        if (Current.Value is { } box)
        {
            box.Used = true;
        }
    }

    public static IApplicationBuilder UseReplicaFallback(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var reads = context.RequestServices.GetRequiredService<ReplicaReads>();
        if (reads.Replica is null || !HttpMethods.IsGet(context.Request.Method))
        {
            await next(context);
            return;
        }

        var box = new StrongBox();
        Current.Value = box;
        try
        {
            await next(context);
        }
        catch (Exception e) when (box.Used && !context.Response.HasStarted && ReplicaReads.IsConnectionFailure(e) && !context.RequestAborted.IsCancellationRequested)
        {
            reads.MarkDown(e);
            Current.Value = null;
            context.Response.Clear();
            await next(context);
        }
    });

    internal sealed class StrongBox
    {
        public bool Used { get; set; }
    }
}
