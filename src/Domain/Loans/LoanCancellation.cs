namespace ValDrome.Domain.Loans;

/// <summary>
/// What cancelling a loan undoes, said before it is done, and when it comes too late for the owner
/// not to be told apart: an approved loan cancelled less than <see cref="NoticeWorkingDays"/>
/// working days before its first day.
/// </summary>
public static class LoanCancellation
{
    /// <summary>Working days the owner should have between the cancellation and the first day.</summary>
    public const int NoticeWorkingDays = 2;

    /// <summary>The key of the technician's carry that delivers this loan from the unit's home (Transport.Movements).</summary>
    public static string DeliveryKey(int loanId) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"livraison-{loanId}");

    /// <summary>The line the loan's history keeps for a late cancellation.</summary>
    public const string LateNote = "Annulation tardive : moins de 2 jours ouvrés avant le premier jour.";

    /// <summary>
    /// Working days strictly between <paramref name="today"/> and <paramref name="firstDay"/>.
    /// Weekends and public holidays are not counted (the working-day calendar, ADR 18); the
    /// community's closure days are not read here, the owner being a commune that keeps its own.
    /// </summary>
    public static int WorkingDaysBetween(DateOnly today, DateOnly firstDay)
    {
        var count = 0;
        for (var day = today.AddDays(1); day < firstDay; day = day.AddDays(1))
        {
            if (Calendar.WorkingCalendar.Statutory.IsWorkingDay(day))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>An approved loan cancelled so close to its first day that the owner may already have got the unit ready.</summary>
    public static bool IsLate(LoanStatus status, DateOnly firstDay, DateOnly today) =>
        status == LoanStatus.Approved && WorkingDaysBetween(today, firstDay) < NoticeWorkingDays;

    /// <summary>The note kept in the history: the late mark first, then what the borrower wrote.</summary>
    public static string? Note(bool late, string? note) =>
        !late ? note : string.IsNullOrWhiteSpace(note) ? LateNote : $"{LateNote} {note.Trim()}";
}
