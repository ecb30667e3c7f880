using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Notices;
using ValDrome.Jobs.Notices;

namespace ValDrome.Jobs;

/// <summary>
/// Each morning: loans whose last day has passed and whose unit is not back become overdue, and
/// borrower, owner and technician are told; every later loan of that unit is flagged at risk and
/// its borrower told, with a link to the nearest alternatives. Each step is idempotent (flags set
/// once, notices unique), so a retried or interrupted run picks up where it stopped.
/// </summary>
public sealed class MarkOverdueLoans(ValDromeDb db, NoticeSender notices, TimeProvider time)
{
    private static readonly CultureInfo French = FrenchCulture.Instance;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var today = time.Today();
        var late = await db.Loans
            .Where(l => l.LastDay < today && l.OverdueSince == null
                && (l.Status == LoanStatus.Approved || l.Status == LoanStatus.Delivered))
            .ToListAsync(cancellationToken);
        foreach (var loan in late)
        {
            loan.MarkOverdue(today);
        }

        await db.SaveChangesAsync(cancellationToken);

        var overdue = await db.Loans
            .Where(l => l.OverdueSince != null && (l.Status == LoanStatus.Approved || l.Status == LoanStatus.Delivered))
            .Select(l => new { l.Id, l.UnitId, l.LastDay })
            .ToListAsync(cancellationToken);
        foreach (var loan in overdue)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await db.Notices.AnyAsync(n => n.LoanId == loan.Id && n.Kind == NoticeKind.Overdue, cancellationToken))
            {
                await TellOverdueAsync(loan.Id, today, cancellationToken);
            }

            var later = await db.Loans
                .Where(l => l.UnitId == loan.UnitId && l.FirstDay > loan.LastDay
                    && (l.Status == LoanStatus.Requested || l.Status == LoanStatus.Approved))
                .ToListAsync(cancellationToken);
            foreach (var next in later)
            {
                next.FlagAtRisk(loan.Id);
            }

            await db.SaveChangesAsync(cancellationToken);
            foreach (var next in later.Where(l => l.AtRiskBecauseOfLoanId == loan.Id))
            {
                if (!await db.Notices.AnyAsync(n => n.LoanId == next.Id && n.Kind == NoticeKind.AtRisk, cancellationToken))
                {
                    await TellAtRiskAsync(next.Id, cancellationToken);
                }
            }
        }
    }

    private async Task TellOverdueAsync(int loanId, DateOnly today, CancellationToken cancellationToken)
    {
        var loan = await db.Loans.Where(l => l.Id == loanId)
            .Select(l => new { l.Id, l.LastDay, l.BorrowerCommuneId, Borrower = l.BorrowerCommune.Name, l.LenderCommuneId, Unit = l.Unit.Name })
            .SingleAsync(cancellationToken);
        var days = today.DayNumber - loan.LastDay.DayNumber;
        var text = $"En retard : « {loan.Unit} » devait être rendu le {loan.LastDay.ToString("dd/MM/yyyy", French)} par {loan.Borrower} ({FrenchCount.Of(days, "jour")} de retard).";
        await notices.SendOnceAsync(new Notice(loan.Id, NoticeKind.Overdue, loan.BorrowerCommuneId, text, time.GetUtcNow(),
            $"Retard : {loan.Unit} non rendu",
            $"""
            {text}
            Merci de convenir au plus vite d'une date de retour : d'autres communes l'attendent peut-être.
            Prêt n°{loan.Id} sur ValDrome.
            """), cancellationToken);
    }

    private async Task TellAtRiskAsync(int loanId, CancellationToken cancellationToken)
    {
        var loan = await db.Loans.Where(l => l.Id == loanId)
            .Select(l => new { l.Id, l.FirstDay, l.BorrowerCommuneId, Unit = l.Unit.Name })
            .SingleAsync(cancellationToken);
        var text = $"« {loan.Unit} », réservé à partir du {loan.FirstDay.ToString("dd/MM/yyyy", French)}, n'est pas encore revenu de son prêt précédent. "
            + "Des matériels équivalents disponibles vous sont proposés sur la page du prêt : un clic suffit pour changer.";
        await notices.SendOnceAsync(new Notice(loan.Id, NoticeKind.AtRisk, loan.BorrowerCommuneId, text, time.GetUtcNow(),
            $"Votre réservation de « {loan.Unit} » est compromise",
            $"""
            {text}
            Prêt n°{loan.Id} sur ValDrome.
            """), cancellationToken);
    }
}
