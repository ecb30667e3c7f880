using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ValDrome.Web.Operations;

/// <summary>
/// <c>/sante/vivant</c>: the process answers (for a supervisor that restarts it). <c>/sante/pret</c>:
/// it can serve (for the proxy and monitoring): the database answers, Hangfire's storage is there,
/// and the replica, when one is set, is close enough (else « Degraded », still 200: reads fall back
/// to the primary). Public, so they say only Healthy, Degraded or Unhealthy; details go to the logs.
/// </summary>
public static class Health
{
    public const string LivePath = "/sante/vivant";
    public const string ReadyPath = "/sante/pret";
    private const string Ready = "pret";

    internal static IServiceCollection AddValDromeHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", HealthStatus.Unhealthy, [Ready], TimeSpan.FromSeconds(3))
            .AddCheck<JobStorageCheck>("hangfire", HealthStatus.Unhealthy, [Ready], TimeSpan.FromSeconds(3))
            .AddCheck<ReplicaCheck>("replica", HealthStatus.Degraded, [Ready], TimeSpan.FromSeconds(3));
        return services;
    }

    internal static IEndpointRouteBuilder MapValDromeHealth(this IEndpointRouteBuilder endpoints)
    {
        // Probes read: any other method is a 405, as on every other read-only route.
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, AllowCachingResponses = false })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), AllowCachingResponses = false })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        return endpoints;
    }

    private sealed class DatabaseCheck(ReplicaReads reads) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = await reads.Primary.OpenConnectionAsync(cancellationToken);
                await using var command = new NpgsqlCommand("select 1", connection);
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                return HealthCheckResult.Unhealthy("The primary database does not answer.", e);
            }
        }
    }

    private sealed class JobStorageCheck(JobStorage storage) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                // Reads the servers' table: the schema is there and the storage answers.
                _ = storage.GetMonitoringApi().Servers();
                return Task.FromResult(HealthCheckResult.Healthy());
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("Hangfire's storage does not answer.", e));
            }
        }
    }

    private sealed class ReplicaCheck(ReplicaReads reads) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(reads.Replica is null || reads.LagSeconds is not null
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Degraded("The replica is down or has not caught up; reads go to the primary."));
    }
}
