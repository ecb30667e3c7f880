using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ValDrome.Domain;

public static class DomainServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ValDromeDb"/> on PostgreSQL + PostGIS.</summary>
    public static IServiceCollection AddValDromeDomain(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.AddDbContext<ValDromeDb>(options => Configure(options, connectionString));
        return services;
    }

    /// <summary>The one place that sets provider options: the app, design time and tests share it.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options
            .UseNpgsql(connectionString, npgsql => npgsql.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention();
    }
}
