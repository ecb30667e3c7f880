using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Loans;

namespace ValDrome.Tests.Support;

/// <summary>Test data builders with sensible defaults.</summary>
public static class Make
{
    public static Actor Admin { get; } = new("test-admin", "Administrateur de test", null, new HashSet<string> { Roles.Admin });

    public static Actor AgentOf(int communeId) => new($"test-agent-{communeId}", "Agent de test", communeId, new HashSet<string> { Roles.Agent });

    /// <summary>
    /// A loan of the unit with this inventory code to the commune with this INSEE code, saved and
    /// moved on (by an admin) up to <paramref name="status"/>.
    /// </summary>
    public static async Task<Loan> LoanAsync(
        TestDatabase database, string unitCode, string borrowerInsee, DateOnly first, DateOnly last,
        LoanStatus status = LoanStatus.Requested, string purpose = "Essai")
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.CreateDb();
        var unit = await db.EquipmentUnits.Include(u => u.Category).SingleAsync(u => u.InventoryCode == unitCode);
        var borrower = await db.Communes.SingleAsync(c => c.Insee == borrowerInsee);
        var at = ValDromeApp.DefaultNow;
        var loan = Loan.Request(unit, borrower, first, last, purpose, AgentOf(borrower.Id), at, RequestWindow.From(first.AddDays(-30), 18), 5000, 0.65m);
        db.Loans.Add(loan);
        if (status != LoanStatus.Requested && loan.Status == LoanStatus.Requested)
        {
            loan.Approve(Admin, at);
        }

        switch (status)
        {
            case LoanStatus.Refused:
                throw new ArgumentOutOfRangeException(nameof(status), "Refuse a requested loan through the page instead.");
            case LoanStatus.Cancelled:
                loan.Cancel(Admin, at, null);
                break;
            case LoanStatus.Delivered or LoanStatus.Returned or LoanStatus.Closed:
                // Delivered on its first day and returned on its last, as recorded on those days.
                loan.Deliver(Admin, EveningOf(first), first, null, unit.HasHourMeter ? 100 : null);
                if (status is LoanStatus.Returned or LoanStatus.Closed)
                {
                    loan.Return(Admin, EveningOf(last), last, null, unit.HasHourMeter ? 110 : null, null);
                }

                if (status == LoanStatus.Closed)
                {
                    loan.Close(Admin, at, null);
                }

                break;
        }

        await db.SaveChangesAsync();
        return loan;
    }

    /// <summary>18:00 in Paris on <paramref name="day"/>.</summary>
    public static DateTimeOffset EveningOf(DateOnly day)
    {
        var evening = day.ToDateTime(new TimeOnly(18, 0));
        return new DateTimeOffset(evening, Domain.ParisTime.Zone.GetUtcOffset(evening));
    }

    public static async Task<int> CommuneIdAsync(TestDatabase database, string insee)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.CreateDb();
        return await db.Communes.Where(c => c.Insee == insee).Select(c => c.Id).SingleAsync();
    }

    public static async Task<int> UnitIdAsync(TestDatabase database, string inventoryCode)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.CreateDb();
        return await db.EquipmentUnits.Where(u => u.InventoryCode == inventoryCode).Select(u => u.Id).SingleAsync();
    }

    public static async Task<(LoanStatus Status, DateOnly? ExtensionLastDay)> StateAsync(TestDatabase database, int loanId)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.CreateDb();
        var state = await db.Loans.Where(l => l.Id == loanId).Select(l => new { l.Status, l.ExtensionLastDay }).SingleAsync();
        return (state.Status, state.ExtensionLastDay);
    }
}
