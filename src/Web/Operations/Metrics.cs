using System.Diagnostics.Metrics;
using System.Net;
using Hangfire;
using Npgsql;
using OpenTelemetry.Metrics;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;

namespace ValDrome.Web.Operations;

/// <summary>
/// OpenTelemetry metrics in Prometheus format at <c>/metrics</c>: ASP.NET Core, Kestrel, Npgsql,
/// the runtime, and ValDrome's own. Open to loopback (a local Prometheus or the operator's curl) and
/// to admins; anyone else gets the site's 404, as if there were nothing there.
/// </summary>
public static class Metrics
{
    public const string Path = "/metrics";

    internal static IServiceCollection AddValDromeMetrics(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseGauges>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(
                "Microsoft.AspNetCore.Hosting",
                "Microsoft.AspNetCore.Server.Kestrel",
                "Microsoft.AspNetCore.Diagnostics",
                "Microsoft.AspNetCore.RateLimiting",
                "System.Runtime",
                "Npgsql",
                ValDromeMeter.Name)
            .AddPrometheusExporter());
        return services;
    }

    internal static WebApplication UseValDromeMetrics(this WebApplication app)
    {
        // The gauges read the database at scrape time; made now so their instruments exist from the start.
        app.Services.GetRequiredService<DatabaseGauges>();
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch => branch.Use((context, next) =>
        {
            if (IsAllowed(context))
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }));
        app.MapPrometheusScrapingEndpoint(Path);
        return app;
    }

    /// <summary>Loopback is the address after the trusted proxy's X-Forwarded-For: a remote client behind nginx is not loopback.</summary>
    internal static bool IsAllowed(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
        || context.User.IsInRole(Roles.Admin);

    /// <summary>Counts that live in the database, read once per scrape (at most once a second).</summary>
    private sealed class DatabaseGauges : IDisposable
    {
        private readonly Meter _meter;
        private readonly ReplicaReads _reads;
        private readonly JobStorage _storage;
        private readonly Lock _lock = new();
        private long _readAt = long.MinValue;
        private (long Requests, long Decided, long Waiting, long Enqueued)? _last;

        public DatabaseGauges(IMeterFactory meters, ReplicaReads reads, JobStorage storage)
        {
            _reads = reads;
            _storage = storage;
            _meter = meters.Create(ValDromeMeter.Name);
            _meter.CreateObservableCounter("valdrome.loans.requested", () => Read(s => s.Requests), "{request}", "Loan requests made");
            _meter.CreateObservableCounter("valdrome.loans.decided", () => Read(s => s.Decided), "{decision}", "Requests approved or refused by their owner");
            _meter.CreateObservableGauge("valdrome.notices.waiting", () => Read(s => s.Waiting), "{notice}", "Notices whose mail is queued or was refused");
            _meter.CreateObservableGauge("valdrome.jobs.enqueued", () => Read(s => s.Enqueued), "{job}", "Hangfire jobs waiting in the default queue");
            _meter.CreateObservableGauge("valdrome.replica.lag", () => _reads.LagSeconds is { } lag ? [new Measurement<double>(lag)] : Array.Empty<Measurement<double>>(), "s", "Seconds since the replica last held everything the primary had");
            _meter.CreateObservableCounter("valdrome.replica.reads", () => _reads.ReplicaReadCount, "{read}", "GIS reads served by the replica");
        }

        private IEnumerable<Measurement<long>> Read(Func<(long Requests, long Decided, long Waiting, long Enqueued), long> pick)
        {
            lock (_lock)
            {
                if (_last is null || Environment.TickCount64 - _readAt > 1000)
                {
                    _readAt = Environment.TickCount64;
                    _last = Query();
                }

                return _last is { } last ? [new Measurement<long>(pick(last))] : [];
            }
        }

        private (long, long, long, long)? Query()
        {
            try
            {
                using var connection = _reads.Primary.OpenConnection();
                using var command = new NpgsqlCommand(
                    """
                    select (select count(*) from loans),
                           (select count(*) from loan_events where "from" = 'Requested' and "to" in ('Approved', 'Refused')),
                           (select count(*) from notices where mail in ('Queued', 'Failed'))
                    """, connection);
                using var reader = command.ExecuteReader();
                reader.Read();
                return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), _storage.GetMonitoringApi().EnqueuedCount("default"));
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                // No numbers rather than a failed scrape: the readiness check tells that the database is gone.
                return null;
            }
        }

        public void Dispose() => _meter.Dispose();
    }
}
