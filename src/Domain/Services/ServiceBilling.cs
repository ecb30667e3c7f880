using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Statements;

namespace ValDrome.Domain.Services;

/// <summary>
/// The services' part of a month's statements: every assigned slot that took place in the month,
/// at the terms its request copied from the convention — the time the commune confirmed (or staff
/// settled) when there is one by the time the month is built, else the booked slot — never less
/// than the minimum per intervention, plus the agreed travel. Each slot falls in one month, and a
/// month is built once (ADR 14), so a slot is billed once.
/// </summary>
public static class ServiceBilling
{
    private static readonly CultureInfo French = FrenchCulture.Instance;

    public static async Task AddLinesAsync(ValDromeDb db, DateOnly month, IReadOnlyDictionary<int, Statement> statements, Statement community, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentNullException.ThrowIfNull(community);
        var end = month.AddMonths(1);
        var slots = await db.AgentBookings
            .Where(b => b.IsActive && b.RequestId != null && b.AgentId != null && b.Day >= month && b.Day < end)
            .OrderBy(b => b.Day).ThenBy(b => b.Starts).ThenBy(b => b.Id)
            .Select(b => new
            {
                b.Day, b.Starts, b.Ends, b.Request!.CommuneId, Commune = b.Request.Commune.Name, b.Request.Service,
                b.Request.Unit, b.Request.Rate, b.Request.MinimumUnits, b.Request.RatePerKm, Agent = b.Agent!.Name,
                TimeStatus = b.Time == null ? (TimeEntryStatus?)null : b.Time.Status,
                Started = b.Time == null ? (TimeOnly?)null : b.Time.Started,
                Ended = b.Time == null ? (TimeOnly?)null : b.Time.Ended,
                Km = b.Time == null ? 0m : b.Time.TravelKm,
            })
            .ToListAsync(cancellationToken);
        foreach (var slot in slots)
        {
            var agreed = slot.TimeStatus is TimeEntryStatus.Confirmed or TimeEntryStatus.Settled;
            var (start, finish, km) = agreed ? (slot.Started!.Value, slot.Ended!.Value, slot.Km) : (slot.Starts, slot.Ends, 0m);
            var terms = new ServiceCharge(slot.Unit, slot.Rate, slot.MinimumUnits, slot.RatePerKm);
            var quantity = ServiceCharge.Quantity(slot.Unit, start, finish);
            var billed = terms.Billed(quantity);
            var amount = terms.Time(quantity) + terms.Travel(km);
            var what = string.Create(French,
                $"{ServiceWords.Name(slot.Service)} : {slot.Agent} le {slot.Day:dd/MM}, {billed:0.##} {(slot.Unit == BillingUnit.Hour ? "h" : FrenchCount.Noun(billed, ServiceWords.Unit(slot.Unit), ServiceWords.Units(slot.Unit)))} à {slot.Rate:C}")
                + (billed > quantity ? " (minimum)" : "") + (km > 0 ? string.Create(French, $", {km:0.#} km") : "") + (agreed ? "" : " (temps prévu)");
            statements[slot.CommuneId].Add(new StatementLine(StatementLineKind.Service, null, what, 0, slot.Rate, km, -amount));
            community.Add(new StatementLine(StatementLineKind.Community, null, $"{what} — {slot.Commune}", 0, slot.Rate, km, amount));
        }
    }

    /// <summary>The service a statement line of <see cref="StatementLineKind.Service"/> is about (its label starts with it).</summary>
    public static string SectionOf(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var colon = label.IndexOf(" : ", StringComparison.Ordinal);
        return colon > 0 ? label[..colon] : label;
    }
}
