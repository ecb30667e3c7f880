using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Calendar;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Loans;

namespace ValDrome.Domain.Transport;

/// <summary>A place the technician stops at: a mairie, or the depot.</summary>
public sealed record Place(string Key, string Name, double Longitude, double Latitude, string Hours);

/// <summary>
/// A unit to carry from one place to another, on one of the days from <see cref="Earliest"/> to
/// <see cref="Latest"/>: to a borrower before its first day (<see cref="DeliversLoanId"/>), back
/// home after the last day (<see cref="CollectsLoanId"/>), or straight from one borrower to the
/// next (both).
/// </summary>
public sealed record Movement(
    string Key,
    int UnitId,
    string UnitName,
    TransportNeed Need,
    Place From,
    Place To,
    int? CollectsLoanId,
    int? DeliversLoanId,
    DateOnly Earliest,
    DateOnly Latest);

/// <summary>The carries a day can hold, derived from the loans (never stored: the loans are the truth).</summary>
public static class Movements
{
    private sealed record LoanRow(
        int Id, int UnitId, string Unit, TransportNeed Need, LoanStatus Status, DateOnly FirstDay, DateOnly LastDay, int Margin,
        string BorrowerInsee, string Borrower, NetTopologySuite.Geometries.Point BorrowerPoint, string BorrowerHours,
        string? OwnerInsee, string? Owner, NetTopologySuite.Geometries.Point Home, string? OwnerHours, string? DepotName);

    /// <summary>
    /// Every carry that may be done on <paramref name="day"/>, which must be a working day (ADR 18):
    /// a delivery from the last day both ends can serve (a working day on which the receiving
    /// mairie, and the place it leaves from, are open) on or before the day before the loan's first
    /// day (the first day itself without margin), back over the loan's transport margin; a pick-up
    /// from the first such day after its last day, through its margin (and any day after, once it
    /// is overdue); a unit going from one borrower to the next when their windows meet — without a
    /// detour through its home.
    /// </summary>
    public static async Task<IReadOnlyList<Movement>> ForDayAsync(ValDromeDb db, DateOnly day, string depotHours, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var calendar = await WorkingCalendar.LoadAsync(db, day.AddDays(-SearchDays - 30), day.AddDays(SearchDays + 30), cancellationToken);
        if (!calendar.IsWorkingDay(day))
        {
            return [];
        }

        var horizon = day.AddDays(SearchDays + 15);
        var loans = await db.Loans
            .Where(l => l.Unit.Transport != TransportNeed.None
                && ((l.Status == LoanStatus.Approved && l.FirstDay <= horizon && l.LastDay >= day.AddDays(-SearchDays - 15))
                    || l.Status == LoanStatus.Delivered))
            .Select(l => new LoanRow(
                l.Id, l.UnitId, l.Unit.Name, l.Unit.Transport, l.Status, l.FirstDay, l.LastDay, l.Booking.MarginDays,
                l.BorrowerCommune.Insee, l.BorrowerCommune.Name, l.BorrowerCommune.ReferencePoint, l.BorrowerCommune.OpeningHours,
                l.Unit.OwnerCommune != null ? l.Unit.OwnerCommune.Insee : null, l.Unit.OwnerCommune != null ? l.Unit.OwnerCommune.Name : null,
                l.Unit.HomeLocation, l.Unit.OwnerCommune != null ? l.Unit.OwnerCommune.OpeningHours : null,
                l.Unit.HomeDepot != null ? l.Unit.HomeDepot.Name : null))
            .ToListAsync(cancellationToken);

        var parsed = new Dictionary<string, OpeningHours>(StringComparer.Ordinal);
        OpeningHours Hours(string text) => parsed.TryGetValue(text, out var hours) ? hours : parsed[text] = OpeningHours.Parse(text);

        // A day a carry can be done: the technician works and both places are open.
        bool Serves(DateOnly date, Place from, Place to) =>
            calendar.IsWorkingDay(date) && Hours(from.Hours).IsOpenOn(date.DayOfWeek) && Hours(to.Hours).IsOpenOn(date.DayOfWeek);

        (DateOnly From, DateOnly To) DeliveryWindow(LoanRow loan, Place from)
        {
            var to = Borrower(loan);
            var deadline = loan.Margin > 0 ? loan.FirstDay.AddDays(-1) : loan.FirstDay;
            var latest = deadline;
            for (var back = 0; back <= SearchDays && !Serves(latest, from, to); back++)
            {
                latest = latest.AddDays(-1);
            }

            latest = Serves(latest, from, to) ? latest : deadline;
            var earliest = loan.FirstDay.AddDays(-loan.Margin);
            return (earliest < latest ? earliest : latest, latest);
        }

        (DateOnly From, DateOnly To) PickupWindow(LoanRow loan, Place to)
        {
            var from = Borrower(loan);
            var earliest = loan.LastDay.AddDays(1);
            for (var ahead = 0; ahead <= SearchDays && !Serves(earliest, from, to); ahead++)
            {
                earliest = earliest.AddDays(1);
            }

            earliest = Serves(earliest, from, to) ? earliest : loan.LastDay.AddDays(1);
            var latest = loan.LastDay.AddDays(Math.Max(1, loan.Margin));
            return (earliest, latest > earliest ? latest : earliest);
        }

        var movements = new List<Movement>();
        foreach (var unit in loans.GroupBy(l => l.UnitId))
        {
            var ordered = unit.OrderBy(l => l.FirstDay).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var loan = ordered[i];
                var previous = i > 0 ? ordered[i - 1] : null;
                var next = i + 1 < ordered.Count ? ordered[i + 1] : null;
                if (loan.Status == LoanStatus.Approved)
                {
                    var (from, to) = DeliveryWindow(loan, Home(loan, depotHours));
                    if (previous is { Status: LoanStatus.Delivered })
                    {
                        // The unit is at the previous borrower: straight on to this one when the
                        // bookings are (nearly) back to back, from the pick-up day to the last delivery day.
                        var pickup = PickupWindow(previous, Borrower(loan));
                        var relay = DeliveryWindow(loan, Borrower(previous));
                        if (Chains(pickup, relay))
                        {
                            if (Within(day, pickup.From, relay.To) && Serves(day, Borrower(previous), Borrower(loan)))
                            {
                                movements.Add(new Movement($"relais-{previous.Id}-{loan.Id}", loan.UnitId, loan.Unit, loan.Need,
                                    Borrower(previous), Borrower(loan), previous.Id, loan.Id, pickup.From, relay.To));
                            }

                            continue;
                        }
                    }

                    if (previous is not { Status: LoanStatus.Delivered } && Within(day, from, to) && Serves(day, Home(loan, depotHours), Borrower(loan)))
                    {
                        movements.Add(new Movement($"livraison-{loan.Id}", loan.UnitId, loan.Unit, loan.Need,
                            Home(loan, depotHours), Borrower(loan), null, loan.Id, from, to));
                    }
                }
                else if (loan.Status == LoanStatus.Delivered)
                {
                    var (from, to) = PickupWindow(loan, Home(loan, depotHours));
                    var chained = next is { Status: LoanStatus.Approved }
                        && Chains(PickupWindow(loan, Borrower(next)), DeliveryWindow(next, Borrower(loan)));
                    // An overdue unit may be fetched any day until it is back.
                    to = day > to ? day : to;
                    if (!chained && Within(day, from, to) && Serves(day, Borrower(loan), Home(loan, depotHours)))
                    {
                        movements.Add(new Movement($"retour-{loan.Id}", loan.UnitId, loan.Unit, loan.Need,
                            Borrower(loan), Home(loan, depotHours), loan.Id, null, from, to));
                    }
                }
            }
        }

        return [.. movements.OrderBy(m => m.Latest).ThenBy(m => m.Key, StringComparer.Ordinal)];
    }

    /// <summary>How far a delivery or pick-up day is looked for around a loan (a long closure, a mairie open once a week).</summary>
    private const int SearchDays = 21;

    /// <summary>The next delivery may follow the pick-up at most a day later: carry it straight on.</summary>
    private static bool Chains((DateOnly From, DateOnly To) pickup, (DateOnly From, DateOnly To) delivery) =>
        delivery.From <= pickup.To.AddDays(1) && pickup.From <= delivery.To;

    private static Place Borrower(LoanRow loan) =>
        new($"mairie-{loan.BorrowerInsee}", "Mairie " + FrenchNames.Of(loan.Borrower), loan.BorrowerPoint.X, loan.BorrowerPoint.Y, loan.BorrowerHours);

    private static Place Home(LoanRow loan, string depotHours) => loan.OwnerInsee is { } insee
        ? new($"mairie-{insee}", "Mairie " + FrenchNames.Of(loan.Owner ?? insee), loan.Home.X, loan.Home.Y, loan.OwnerHours ?? OpeningHours.Default)
        : new("depot", loan.DepotName ?? "Dépôt communautaire", loan.Home.X, loan.Home.Y, depotHours);

    private static bool Within(DateOnly day, DateOnly from, DateOnly to) => day >= from && day <= to;

}
