using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;
using ValDrome.Domain;
using ValDrome.Jobs;

namespace ValDrome.Web.Operations;

/// <summary>
/// What running several nodes and operating the site need (ADR 22, ADR 23): shared data-protection
/// keys, caches invalidated by the database's notifications, replica reads, health, metrics and
/// JSON logs in Production.
/// </summary>
public static partial class OperationsComposition
{
    /// <summary>Fixed, so that every node (whatever folder it runs from) reads the others' cookies and tokens.</summary>
    public const string ApplicationName = "ValDrome";

    /// <summary>Any fixed number: the advisory lock of the node that registers the recurring jobs at start.</summary>
    private const long RegistrationLock = 0x56616c44726f6d65;

    public static WebApplicationBuilder AddValDromeOperations(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<ValDromeDb>();
        services.AddHostedService<DataChangeListener>();
        services.AddSingleton(provider => provider.GetServices<IHostedService>().OfType<DataChangeListener>().Single());
        services.Configure<ReplicaOptions>(builder.Configuration.GetSection(ReplicaOptions.Section));
        services.AddSingleton<ReplicaReads>();
        services.AddHostedService<ReplicaWatch>();
        services.AddValDromeHealth();
        services.AddValDromeMetrics();
        if (builder.Environment.IsProduction())
        {
            // One JSON object per line, for journald and whatever collects logs.
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(options =>
            {
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        return builder;
    }

    /// <summary>After authentication (the metrics read the user's role), before the site's endpoints.</summary>
    public static WebApplication UseValDromeOperations(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseReplicaFallback();
        app.MapValDromeHealth();
        app.UseValDromeMetrics();
        if (app.Configuration.GetValue("ValDrome:Jobs:RunServer", defaultValue: true))
        {
            // A node that runs jobs writes anyway: it keeps the schedules current, one node at a time.
            app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(() => RegisterRecurringJobsAsync(app.Services)));
        }

        return app;
    }

    /// <summary>
    /// The part of the set-up step that several nodes need done once, before they start: Hangfire's
    /// schema, the recurring jobs, a first data-protection key. Then a node can start with jobs off
    /// on a read-only connection.
    /// </summary>
    public static async Task PrepareOperationsAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString("ValDrome")!;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            PostgreSqlObjectsInstaller.Install(connection, "hangfire");
        }

        RecurringJobs.Register(services.GetRequiredService<IRecurringJobManager>());
        // Protecting anything makes the key ring: nodes then only read it.
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("ValDrome.Setup").Protect([1]);
    }

    private static async Task RegisterRecurringJobsAsync(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("ValDrome.Jobs");
        try
        {
            await using var connection = new NpgsqlConnection(services.GetRequiredService<IConfiguration>().GetConnectionString("ValDrome"));
            await connection.OpenAsync();
            await using var take = new NpgsqlCommand($"select pg_try_advisory_lock({RegistrationLock})", connection);
            if (await take.ExecuteScalarAsync() is not true)
            {
                return;
            }

            RecurringJobs.Register(services.GetRequiredService<IRecurringJobManager>());
            await using var release = new NpgsqlCommand($"select pg_advisory_unlock({RegistrationLock})", connection);
            await release.ExecuteScalarAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            LogRegistrationFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recurring jobs not registered at start (the setup step registers them)")]
    private static partial void LogRegistrationFailed(ILogger logger, Exception exception);
}
