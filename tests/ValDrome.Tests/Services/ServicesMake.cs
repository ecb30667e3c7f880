using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Services;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Services;

/// <summary>Builders for service tests, on the seeded demo agents and conventions.</summary>
internal static class ServicesMake
{
    public static readonly Actor Staff = new("test-staff", "Service de test", null, new HashSet<string> { Roles.Staff });

    public static ServiceSlot Morning(DateOnly day) => new(day, ServiceDays.MorningStart, ServiceDays.MorningEnd);

    public static ServiceSlot Afternoon(DateOnly day) => new(day, ServiceDays.AfternoonStart, ServiceDays.AfternoonEnd);

    /// <summary>A request of the commune (by INSEE) for the slots, written; throws on a rule.</summary>
    public static async Task<ServiceRequest> RequestAsync(ValDromeDb db, string insee, ServiceKind service, params ServiceSlot[] slots)
    {
        var request = await NewRequestAsync(db, insee, service, slots);
        db.ServiceRequests.Add(request);
        Assert.Equal(ServiceSaveOutcome.Saved, await ServiceStore.TrySaveAsync(db));
        return request;
    }

    public static async Task<ServiceRequest> NewRequestAsync(ValDromeDb db, string insee, ServiceKind service, params ServiceSlot[] slots)
    {
        var commune = await db.Communes.SingleAsync(c => c.Insee == insee);
        var year = slots.Length > 0 ? slots.Min(s => s.Day).Year : 2027;
        var convention = await db.ServiceConventions.Include(c => c.Lines).SingleOrDefaultAsync(c => c.CommuneId == commune.Id && c.Year == year);
        var calendar = slots.Length > 0 ? await ServiceDays.CalendarAsync(db, slots.Min(s => s.Day), slots.Max(s => s.Day)) : Domain.Calendar.WorkingCalendar.Statutory;
        return ServiceRequest.Create(commune, service, convention, slots, "Remplacement du secrétariat", "Mairie", "Le maire",
            false, Make.AgentOf(commune.Id), ValDromeApp.DefaultNow, new DateOnly(2026, 12, 2), new DateOnly(2028, 6, 1), "le pôle de test", calendar);
    }

    public static Task<ServiceAgent> AgentAsync(ValDromeDb db, string name) => db.ServiceAgents.SingleAsync(a => a.Name == name);
}
