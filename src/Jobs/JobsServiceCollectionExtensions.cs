using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ValDrome.Jobs.Mail;
using ValDrome.Jobs.Notices;

namespace ValDrome.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>Hangfire on the same PostgreSQL database as the domain, in its own schema; mail, links and invitations' settings.</summary>
    public static IServiceCollection AddValDromeJobs(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.Configure<MailOptions>(configuration.GetSection(MailOptions.Section));
        services.Configure<Accounts.InvitationTokenOptions>(configuration.GetSection(Accounts.InvitationTokenOptions.Section));
        PublicUrlOptions.Add(services, configuration);
        services.AddSingleton<Mailer>();
        services.AddScoped<NoticeSender>();
        services.AddScoped<NoticeDispatch>();
        services.AddScoped<SendNotice>();
        services.AddScoped<Accounts.SendAccountMail>();
        services.AddScoped<SendPendingNotices>();
        services.AddScoped<ServiceNoticeSender>();
        services.AddScoped<ServiceNoticeDispatch>();
        services.AddScoped<SendServiceNotice>();
        services.AddScoped<SendPendingServiceNotices>();
        services.AddScoped<ExpirePendingRequests>();
        services.AddScoped<SendReturnReminders>();
        services.AddScoped<MarkOverdueLoans>();
        services.AddScoped<ScheduleDueMaintenance>();
        services.AddScoped<BuildMonthlyStatements>();
        services.AddHangfire(hangfire => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                options => options.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions
                {
                    SchemaName = "hangfire",
                    // The set-up step installs the schema; a node on a read-only connection turns this off (ADR 22).
                    PrepareSchemaIfNecessary = configuration.GetValue("ValDrome:Jobs:PrepareSchema", defaultValue: true),
                }));

        // Tests run jobs themselves, on their own clock: no server picking schedules behind their back.
        if (configuration.GetValue("ValDrome:Jobs:RunServer", defaultValue: true))
        {
            // Two cores: a couple of workers is plenty for date-driven jobs.
            services.AddHangfireServer(options => options.WorkerCount = 2);
        }
        return services;
    }
}
