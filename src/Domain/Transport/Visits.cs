using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Calendar;
using ValDrome.Domain.Services;

namespace ValDrome.Domain.Transport;

/// <summary>
/// A works-site visit of the technician (« suivi de chantier »): one booked slot of a commune's
/// request, at the commune, for the slot's hours. It carries nothing; the tour serves it as one
/// stop that lasts the whole slot (ADR 27).
/// </summary>
public sealed record Visit(
    string Key,
    int BookingId,
    int RequestId,
    string Commune,
    string Purpose,
    string Site,
    string Contact,
    TimeOnly Starts,
    TimeOnly Ends,
    Place Place)
{
    public int StartSeconds => (int)Starts.ToTimeSpan().TotalSeconds;

    public int EndSeconds => (int)Ends.ToTimeSpan().TotalSeconds;

    public int DurationSeconds => EndSeconds - StartSeconds;

    /// <summary>« 9 h – 11 h 30 », as the opening hours read.</summary>
    public string Hours => $"{OpeningHours.Clock(Starts)} – {OpeningHours.Clock(Ends)}";
}

/// <summary>The works-site visits a day holds, read from the services' bookings (never stored twice).</summary>
public static class Visits
{
    /// <summary>Tour stops and left-out lines of a visit are keyed « visite-{booking} ».</summary>
    public const string KeyPrefix = "visite-";

    public static string KeyOf(int bookingId) => KeyPrefix + bookingId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsVisitKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith(KeyPrefix, StringComparison.Ordinal);
    }

    /// <summary>
    /// Takes the visits of slots just cancelled or released off the tours planned with them (the
    /// stops not done yet, and their lines among what did not fit), so that the road sheet and the
    /// map stop sending the technician there. Tracked: saved with the move that freed the slots,
    /// under the tours' row versions (ADR 14).
    /// </summary>
    public static async Task WithdrawAsync(ValDromeDb db, IReadOnlyCollection<int> bookingIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(bookingIds);
        if (bookingIds.Count == 0)
        {
            return;
        }

        var ids = bookingIds.ToList();
        var keys = ids.Select(KeyOf).ToList();
        var tours = await db.TourDays.Include(t => t.Stops).Include(t => t.LeftOut)
            .Where(t => t.Stops.Any(s => s.VisitBookingId != null && ids.Contains(s.VisitBookingId.Value) && s.DoneAt == null)
                || t.LeftOut.Any(l => keys.Contains(l.MovementKey)))
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        foreach (var tour in tours)
        {
            foreach (var key in keys)
            {
                tour.Withdraw(key);
            }
        }
    }

    /// <summary>
    /// The active, assigned works-site slots of <paramref name="day"/> whose agent is the
    /// technician (an agent linked to an account with the technician's role, ADR 27), by start
    /// time; none on a day the working calendar says is off, when no tour is driven (ADR 18).
    /// </summary>
    public static async Task<IReadOnlyList<Visit>> ForDayAsync(ValDromeDb db, DateOnly day, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!(await WorkingCalendar.LoadAsync(db, day, day, cancellationToken)).IsWorkingDay(day))
        {
            return [];
        }

        var technicians = from link in db.UserRoles
                          join role in db.Roles on link.RoleId equals role.Id
                          where role.Name == Roles.Technician
                          select link.UserId;
        var rows = await db.AgentBookings
            .Where(b => b.Day == day && b.IsActive && b.Service == ServiceKind.WorksSite && b.RequestId != null
                && b.Agent != null && b.Agent.UserId != null && technicians.Contains(b.Agent.UserId))
            .OrderBy(b => b.Starts).ThenBy(b => b.Id)
            .Select(b => new
            {
                b.Id,
                RequestId = b.RequestId!.Value,
                b.Starts,
                b.Ends,
                b.Request!.Purpose,
                b.Request.Place,
                b.Request.Contact,
                b.Request.Commune.Insee,
                b.Request.Commune.Name,
                b.Request.Commune.ReferencePoint,
            })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new Visit(KeyOf(r.Id), r.Id, r.RequestId, r.Name, r.Purpose, r.Place, r.Contact, r.Starts, r.Ends,
            new Place($"chantier-{r.Id}", $"Chantier — {r.Name}", r.ReferencePoint.X, r.ReferencePoint.Y, "")))];
    }
}
