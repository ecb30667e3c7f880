using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Communes;

namespace ValDrome.Domain.Services;

/// <summary>
/// Demo agents and conventions (Development and tests only): four itinerant secretaries spread
/// over the territory, one agent for each other service, and conventions for this year and the
/// next for a few communes. Most communes have none, as in real life until they sign.
/// </summary>
public static class ServicesSeed
{
    /// <summary>Communes with a demo convention: Allex, Grane, Livron, Loriol, Eurre, Saou.</summary>
    public static IReadOnlyList<string> ConventionInsees { get; } = ["26006", "26144", "26165", "26166", "26125", "26336"];

    internal static async Task SeedAsync(ValDromeDb db, IReadOnlyDictionary<string, Commune> communes, DateOnly today, CancellationToken cancellationToken)
    {
        if (await db.ServiceAgents.AnyAsync(cancellationToken))
        {
            return;
        }

        var weekdays = ServiceDays.Weekdays;
        var noWednesday = weekdays & ~ServiceDays.Bit(DayOfWeek.Wednesday);
        ServiceAgent[] agents =
        [
            new(ServiceKind.Secretary, "Claire Martin", communes["26125"], weekdays, "claire.martin@valdrome.test"),
            new(ServiceKind.Secretary, "Sophie Blanc", communes["26166"], noWednesday, "sophie.blanc@valdrome.test"),
            new(ServiceKind.Secretary, "Nadia Roux", communes["26056"], weekdays, "nadia.roux@valdrome.test"),
            new(ServiceKind.Secretary, "Julie Faure", communes["26336"], noWednesday, "julie.faure@valdrome.test"),
            new(ServiceKind.Maintenance, "Marc Garnier", communes["26125"], weekdays, "marc.garnier@valdrome.test"),
            new(ServiceKind.ItAssistance, "Thomas Petit", communes["26144"], weekdays, "thomas.petit@valdrome.test"),
            new(ServiceKind.WorksSite, "Paul Chabert", communes["26125"], weekdays, null),
        ];
        // The community's technician follows the works sites: his account records his time.
        var technician = await db.Users.Where(u => u.UserName == Seed.DevelopmentAccounts.Technician).Select(u => u.Id).SingleOrDefaultAsync(cancellationToken);
        agents[^1].LinkAccount(technician);
        db.ServiceAgents.AddRange(agents);

        foreach (var year in new[] { today.Year, today.Year + 1 })
        {
            foreach (var insee in ConventionInsees)
            {
                var convention = new ServiceConvention(communes[insee].Id, year, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31),
                    $"Le maire de {communes[insee].Name}", new DateOnly(year - 1, 12, 15), 0.45m);
                convention.SetService(ServiceKind.Secretary, BillingUnit.HalfDay, 95m, 1m);
                convention.SetService(ServiceKind.ItAssistance, BillingUnit.Hour, 38m, 2m);
                if (insee != "26006")
                {
                    convention.SetService(ServiceKind.Maintenance, BillingUnit.Hour, 32m, 1m);
                    convention.SetService(ServiceKind.WorksSite, BillingUnit.Hour, 45m, 1m);
                }

                db.ServiceConventions.Add(convention);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
