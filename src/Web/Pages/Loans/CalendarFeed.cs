using System.Security.Cryptography;
using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Loans;
using ValDrome.Jobs.Mail;

namespace ValDrome.Web.Pages.Loans;

/// <summary>
/// A commune's loans as an iCalendar feed (RFC 5545) that a calendar client subscribes to. Such a
/// client cannot sign in, so the URL carries the commune's secret token; a wrong token answers
/// 404, as an unknown commune does.
/// </summary>
public static class CalendarFeed
{
    public static string Url(string insee, string token) => $"/prets/calendrier/{insee}.ics?jeton={token}";

    public static IEndpointRouteBuilder MapCalendarFeed(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/prets/calendrier/{insee}.ics", FeedAsync);
        return endpoints;
    }

    private static async Task<IResult> FeedAsync(string insee, string? jeton, ValDromeDb db, IOptions<PublicUrlOptions> site, CancellationToken cancellationToken)
    {
        var commune = await db.Communes.Where(c => c.Insee == insee)
            .Select(c => new { c.Id, c.Name, c.CalendarToken }).SingleOrDefaultAsync(cancellationToken);
        if (commune is null || jeton is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(jeton), Encoding.UTF8.GetBytes(commune.CalendarToken)))
        {
            return Results.NotFound();
        }

        var loans = await db.Loans
            .Where(l => (l.BorrowerCommuneId == commune.Id || l.LenderCommuneId == commune.Id)
                && l.Status != LoanStatus.Refused && l.Status != LoanStatus.Cancelled)
            .OrderBy(l => l.FirstDay)
            .Select(l => new
            {
                l.Id, l.FirstDay, l.LastDay, l.Status, l.Purpose, Unit = l.Unit.Name,
                Borrower = l.BorrowerCommune.Name, l.BorrowerCommuneId,
                Lender = l.LenderCommune != null ? l.LenderCommune.Name : "la communauté de communes",
                Changed = l.Events.Max(e => e.At),
            })
            .ToListAsync(cancellationToken);

        var calendar = new Calendar { ProductId = "-//ValDrome//Prêts de matériel//FR" };
        calendar.AddProperty("X-WR-CALNAME", $"ValDrome — prêts {FrenchNames.Of(commune.Name)}");
        foreach (var loan in loans)
        {
            // The feed must not break on a period a client cannot show (a year-9999 loan from
            // before requests had a horizon, stored as infinity): such a loan is left out.
            if (loan.LastDay.Year >= 9999 || loan.FirstDay.Year < 2)
            {
                continue;
            }

            var borrowing = loan.BorrowerCommuneId == commune.Id;
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"pret-{loan.Id}@valdrome",
                Summary = borrowing ? $"Emprunt : {loan.Unit} ({loan.Lender})" : $"Prêt : {loan.Unit} {FrenchNames.At(loan.Borrower)}",
                Description = $"{LoanWords.Label(loan.Status)} — {loan.Purpose}\n{site.Value.Link($"/prets/{loan.Id}")}",
                // All-day events: DTEND is the day after the last day (RFC 5545 §3.6.1).
                DtStart = new CalDateTime(loan.FirstDay.Year, loan.FirstDay.Month, loan.FirstDay.Day),
                DtEnd = new CalDateTime(loan.LastDay.AddDays(1).Year, loan.LastDay.AddDays(1).Month, loan.LastDay.AddDays(1).Day),
                DtStamp = new CalDateTime(loan.Changed.UtcDateTime, "UTC"),
                Status = loan.Status == LoanStatus.Requested ? EventStatus.Tentative : EventStatus.Confirmed,
                Transparency = TransparencyType.Transparent,
            });
        }

        var text = new CalendarSerializer().SerializeToString(calendar) ?? "";
        return Results.Text(text, "text/calendar; charset=utf-8", Encoding.UTF8);
    }
}
