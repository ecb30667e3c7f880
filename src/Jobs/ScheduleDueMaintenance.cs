using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Maintenance;

namespace ValDrome.Jobs;

/// <summary>
/// Each night: every maintenance plan that falls due gets a task for the technician and a booking
/// of the unit for its planned days, at the first free window from its due date (a request over
/// those days is then refused by the exclusion constraint); a unit whose inspection date has
/// passed is blocked from any loan until the inspection is done.
/// </summary>
public sealed class ScheduleDueMaintenance(ValDromeDb db, TimeProvider time)
{
    /// <summary>Dated plans are scheduled this many days ahead, so the window is booked before loans take it.</summary>
    public const int LookAheadDays = 14;

    /// <summary>How far a window is looked for after the due date.</summary>
    public const int SearchDays = 120;

    private static readonly CultureInfo French = FrenchCulture.Instance;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var today = time.Today();
        var planIds = await db.MaintenancePlans
            .Where(p => !db.MaintenanceTasks.Any(t => t.PlanId == p.Id && t.ClosedOn == null))
            .Select(p => p.Id).ToListAsync(cancellationToken);
        var created = 0;
        foreach (var planId in planIds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            created += await ScheduleAsync(planId, today, cancellationToken) ? 1 : 0;
            db.ChangeTracker.Clear();
        }

        await BlockOverdueInspectionsAsync(today, cancellationToken);
        return created;
    }

    private async Task<bool> ScheduleAsync(int planId, DateOnly today, CancellationToken cancellationToken)
    {
        var plan = await db.MaintenancePlans.Include(p => p.Unit).SingleAsync(p => p.Id == planId, cancellationToken);
        var loansSince = await db.Loans.CountAsync(l => l.UnitId == plan.UnitId && l.ReturnedOn != null && l.ReturnedOn >= plan.LastDoneOn, cancellationToken);
        if (!plan.IsDue(today, loansSince, LookAheadDays))
        {
            return false;
        }

        var due = plan.NextDueOn is { } date && date > today ? date : today;
        for (var start = due; start <= due.AddDays(SearchDays); start = start.AddDays(1))
        {
            if (!await NearestAvailable.IsFreeAsync(db, plan.UnitId, start, start.AddDays(plan.DurationDays - 1), 0, -1, cancellationToken))
            {
                continue;
            }

            db.MaintenanceTasks.Add(new MaintenanceTask(plan, due, start, time.GetUtcNow()));
            // The exclusion constraint still decides: a loan booked in the meantime sends us to the next day;
            // the unique open task per plan makes a concurrent run's task the only one.
            if (await LoanStore.TrySaveBookingAsync(db, cancellationToken))
            {
                return true;
            }

            plan = await db.MaintenancePlans.Include(p => p.Unit).SingleAsync(p => p.Id == planId, cancellationToken);
            if (await db.MaintenanceTasks.AnyAsync(t => t.PlanId == planId && t.ClosedOn == null, cancellationToken))
            {
                return false;
            }
        }

        return false;
    }

    private async Task BlockOverdueInspectionsAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var overdue = await db.MaintenancePlans.Include(p => p.Unit)
            .Where(p => p.Kind == MaintenanceKind.Inspection && p.NextDueOn < today && p.Unit.Status == Domain.Equipment.UnitStatus.InService)
            .ToListAsync(cancellationToken);
        foreach (var plan in overdue)
        {
            plan.Unit.Block($"{plan.Label} en retard depuis le {plan.NextDueOn!.Value.ToString("dd/MM/yyyy", French)} : prêt impossible jusqu'à la vérification.");
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
