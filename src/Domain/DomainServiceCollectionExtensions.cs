using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ValDrome.Domain.Changes;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Statements;
using ValDrome.Domain.Transport;

namespace ValDrome.Domain;

public static class DomainServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ValDromeDb"/> on PostgreSQL + PostGIS, the per-table data versions its writes
    /// bump, and the domain's own settings (marketplace, transport, statements, services, the territory page's assumption).
    /// </summary>
    public static IServiceCollection AddValDromeDomain(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.Configure<MarketplaceOptions>(configuration.GetSection(MarketplaceOptions.Section));
        services.Configure<TransportOptions>(configuration.GetSection(TransportOptions.Section));
        services.Configure<StatementOptions>(configuration.GetSection(StatementOptions.Section));
        services.Configure<Services.ServicesOptions>(configuration.GetSection(Services.ServicesOptions.Section));
        // Its settings become SQL literals (TerritoryGlance.Sql): a bad value stops the site at start, not a page later.
        services.AddOptions<Glance.GlanceOptions>().Bind(configuration.GetSection(Glance.GlanceOptions.Section))
            .Validate(options => options.IsValid(out _), "ValDrome:Glance is out of range: see GlanceOptions.IsValid.").ValidateOnStart();
        services.AddSingleton<DataVersions>();
        services.AddSingleton<DataVersionInterceptor>();
        // Pooled: a context is made once and reset between requests. Making one per request (options,
        // EF's internal services, the provider's translators) cost more than a page's queries (ADR 28).
        services.AddDbContextPool<ValDromeDb>((provider, options) =>
            Configure(options, connectionString).AddInterceptors(provider.GetRequiredService<DataVersionInterceptor>()));
        return services;
    }

    /// <summary>The one place that sets provider options: the app, design time and tests share it.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options
            .UseNpgsql(WithoutJit(connectionString), npgsql => npgsql.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention();
    }

    /// <summary>
    /// Our queries are short index lookups whose spatial cost estimates are pessimistic enough to
    /// cross jit_above_cost: JIT would add tens of milliseconds to sub-millisecond queries.
    /// A connection string that sets its own Options keeps them.
    /// </summary>
    private static string WithoutJit(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.Options))
        {
            builder.Options = "-c jit=off";
        }

        return builder.ConnectionString;
    }
}
