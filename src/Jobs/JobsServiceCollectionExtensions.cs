using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;

namespace ValDrome.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>Hangfire on the same PostgreSQL database as the domain, in its own schema.</summary>
    public static IServiceCollection AddValDromeJobs(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.AddHangfire(configuration => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                options => options.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true }));

        // Two cores: a couple of workers is plenty for date-driven jobs.
        services.AddHangfireServer(options => options.WorkerCount = 2);
        return services;
    }
}
