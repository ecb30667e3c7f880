using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Notices;
using ValDrome.Jobs.Notices;

namespace ValDrome.Jobs;

/// <summary>The day before a loan's last day, its borrower is reminded to give it back — once.</summary>
public sealed class SendReturnReminders(ValDromeDb db, NoticeSender notices, TimeProvider time)
{
    private static readonly CultureInfo French = FrenchCulture.Instance;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var tomorrow = time.Today().AddDays(1);
        var due = await db.Loans
            .Where(l => l.LastDay == tomorrow && (l.Status == LoanStatus.Approved || l.Status == LoanStatus.Delivered)
                && !db.Notices.Any(n => n.LoanId == l.Id && n.Kind == NoticeKind.ReturnReminder))
            .Select(l => l.Id).ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var loanId in due)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sent += await notices.SendOnceAsync(await ComposeAsync(loanId, cancellationToken), cancellationToken) ? 1 : 0;
        }

        // Mails the server refused last time (the sweep also retries them; each is claimed before it leaves).
        var failed = await db.Notices
            .Where(n => n.Kind == NoticeKind.ReturnReminder && n.Mail == MailState.Failed && n.MailAttempts < Notice.MaxMailAttempts)
            .Select(n => n.Id).ToListAsync(cancellationToken);
        foreach (var id in failed)
        {
            sent += await notices.SendAsync(id, cancellationToken) ? 1 : 0;
        }

        return sent;
    }

    private async Task<Notice> ComposeAsync(int loanId, CancellationToken cancellationToken)
    {
        var loan = await db.Loans.Where(l => l.Id == loanId)
            .Select(l => new { l.Id, l.BorrowerCommuneId, Unit = l.Unit.Name, l.LastDay, Lender = l.LenderCommune != null ? l.LenderCommune.Name : "la communauté de communes" })
            .SingleAsync(cancellationToken);
        var text = $"Rappel : « {loan.Unit} » est à rendre demain, {loan.LastDay.ToString("dddd d MMMM", French)} ({loan.Lender}).";
        return new Notice(loan.Id, NoticeKind.ReturnReminder, loan.BorrowerCommuneId, text, time.GetUtcNow(),
            $"Rappel : {loan.Unit} à rendre demain",
            $"""
            {text}
            Pensez à le préparer (propre, plein fait) pour le passage du technicien ou le retour.
            Besoin de plus de temps ? Demandez une prolongation depuis la page du prêt n°{loan.Id}.
            """);
    }
}
