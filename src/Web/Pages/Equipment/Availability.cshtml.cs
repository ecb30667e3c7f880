using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;
using ValDrome.Domain;
using ValDrome.Domain.Loans;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>A unit's month: which days are taken (loan or transport margin) and which are free.</summary>
public sealed class AvailabilityModel(ValDromeDb db, TimeProvider time) : PageModel
{
    public enum DayState
    {
        Free,
        Booked,
        Margin,
    }

    public sealed record Day(DateOnly Date, DayState State, string? Label, int? LoanId);

    public sealed record Booking(DateOnly First, DateOnly Last, int Margin, int? LoanId, string Borrower, int BorrowerId, int? LenderId, LoanStatus? Status);

    public int UnitId { get; private set; }

    public string UnitName { get; private set; } = "";

    public DateOnly Month { get; private set; }

    public DateOnly Today { get; private set; }

    public IReadOnlyList<Day> Days { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, string? mois, CancellationToken cancellationToken)
    {
        var unit = await db.EquipmentUnits.Where(u => u.Id == id).Select(u => new { u.Id, u.Name }).SingleOrDefaultAsync(cancellationToken);
        if (unit is null)
        {
            return NotFound();
        }

        Today = time.Today();
        if (mois is null)
        {
            Month = new DateOnly(Today.Year, Today.Month, 1);
        }
        else if (DateParameters.TryMonth(mois, Today, out var month, out var error))
        {
            Month = month;
        }
        else
        {
            ModelState.AddModelError("mois", error);
            UnitId = unit.Id;
            UnitName = unit.Name;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        UnitId = unit.Id;
        UnitName = unit.Name;
        var first = Month;
        var last = Month.AddMonths(1).AddDays(-1);
        var shown = new NpgsqlRange<DateOnly>(first, true, last, true);
        var taken = await db.UnitBookings
            .Where(b => b.UnitId == id && b.IsActive && b.Period.Overlaps(shown))
            .Select(b => new { b.FirstDay, b.LastDay, b.MarginDays, b.LoanId })
            .ToListAsync(cancellationToken);
        var loanIds = taken.Where(b => b.LoanId != null).Select(b => b.LoanId!.Value).ToList();
        var loans = await db.Loans.Where(l => loanIds.Contains(l.Id))
            .Select(l => new { l.Id, Borrower = l.BorrowerCommune.Name, l.BorrowerCommuneId, l.LenderCommuneId, l.Status })
            .ToDictionaryAsync(l => l.Id, cancellationToken);
        var bookings = taken.Select(b => b.LoanId is { } loanId && loans.TryGetValue(loanId, out var l)
                ? new Booking(b.FirstDay, b.LastDay, b.MarginDays, loanId, l.Borrower, l.BorrowerCommuneId, l.LenderCommuneId, l.Status)
                : new Booking(b.FirstDay, b.LastDay, b.MarginDays, null, "", 0, null, null))
            .ToList();

        var actor = User.ToActor();
        var days = new List<Day>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var booking = bookings.FirstOrDefault(b => day >= b.First.AddDays(-b.Margin) && day <= b.Last.AddDays(b.Margin));
            if (booking is null)
            {
                days.Add(new Day(day, DayState.Free, null, null));
                continue;
            }

            // Who borrows is shown to those who may see the loan; others just see the day taken.
            var visible = actor.IsAdmin || actor.IsStaff || actor.IsTechnician
                || actor.ActsFor(booking.BorrowerId) || (booking.LenderId is { } lender && actor.ActsFor(lender));
            var inLoan = day >= booking.First && day <= booking.Last;
            var label = inLoan
                ? (visible ? $"{booking.Borrower}{(booking.Status == LoanStatus.Requested ? " (demandé)" : "")}" : "Réservé")
                : "Transport";
            days.Add(new Day(day, inLoan ? DayState.Booked : DayState.Margin, label, visible ? booking.LoanId : null));
        }

        Days = days;
        return Page();
    }
}
