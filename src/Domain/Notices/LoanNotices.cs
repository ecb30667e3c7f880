using System.Globalization;
using ValDrome.Domain.Loans;

namespace ValDrome.Domain.Notices;

/// <summary>
/// The French notices of a loan's moves (request, decision, cancellation, expiry), added to the
/// same unit of work as the move so that both commit or neither does (ADR 7). The sender adds the
/// link to the loan and the signature.
/// </summary>
public static class LoanNotices
{
    private static readonly CultureInfo French = FrenchCulture.Instance;

    public static Notice Requested(Loan loan, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(loan);
        var text = $"Demande de « {loan.Unit.Name} » par {loan.BorrowerCommune.Name} du {Day(loan.FirstDay)} au {Day(loan.LastDay)}"
            + (loan.Status == LoanStatus.Approved ? " (approuvée automatiquement)." : ".");
        return new Notice(loan, NoticeKind.Requested, loan.LenderCommuneId ?? loan.BorrowerCommuneId, text, at,
            $"Demande de prêt : {loan.Unit.Name} du {Day(loan.FirstDay)} au {Day(loan.LastDay)}",
            $"""
            La commune {FrenchNames.Of(loan.BorrowerCommune.Name)} demande à emprunter « {loan.Unit.Name} »
            du {Day(loan.FirstDay)} au {Day(loan.LastDay)} ({FrenchCount.Of(loan.Days, "jour")}).
            Usage prévu : {loan.Purpose}
            Coût estimé : {loan.EstimatedCost.ToString("C", French)}

            {(loan.Status == LoanStatus.Approved ? "Ce matériel est prêté sans attendre de décision : la demande est approuvée." : "Le propriétaire peut approuver ou refuser la demande sur la page du prêt.")}
            """);
    }

    /// <summary>Approved or refused, to the borrower.</summary>
    public static Notice Decided(Loan loan, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(loan);
        var refused = loan.Status == LoanStatus.Refused;
        var text = $"Votre demande de « {loan.Unit.Name} » du {Day(loan.FirstDay)} au {Day(loan.LastDay)} a été {LoanWords.Status(loan.Status)}e.";
        return new Notice(loan, refused ? NoticeKind.Refused : NoticeKind.Approved, loan.BorrowerCommuneId, text, at,
            $"Prêt {LoanWords.Status(loan.Status)} : {loan.Unit.Name}",
            $"""
            {text}
            {(refused ? $"Raison : {loan.RefusalReason}" : "Le technicien prendra contact avec la mairie pour la livraison.")}
            """);
    }

    public static Notice Cancelled(Loan loan, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(loan);
        var text = $"{loan.BorrowerCommune.Name} a annulé sa demande de « {loan.Unit.Name} » du {Day(loan.FirstDay)} au {Day(loan.LastDay)}.";
        return new Notice(loan, NoticeKind.Cancelled, loan.LenderCommuneId ?? loan.BorrowerCommuneId, text, at,
            $"Prêt annulé : {loan.Unit.Name} du {Day(loan.FirstDay)} au {Day(loan.LastDay)}",
            $"""
            La commune {FrenchNames.Of(loan.BorrowerCommune.Name)} a annulé sa demande de « {loan.Unit.Name} »
            du {Day(loan.FirstDay)} au {Day(loan.LastDay)}. Le matériel est de nouveau disponible sur ces dates.
            """);
    }

    /// <summary>
    /// An approved loan cancelled less than two working days before its first day, to the owner:
    /// the same kind as any cancellation (one per loan), told as late so that it stands out.
    /// </summary>
    public static Notice CancelledLate(Loan loan, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(loan);
        var text = $"Annulation tardive : {loan.BorrowerCommune.Name} a annulé le prêt approuvé de « {loan.Unit.Name} » "
            + $"qui commençait le {Day(loan.FirstDay)}.";
        return new Notice(loan, NoticeKind.Cancelled, loan.LenderCommuneId ?? loan.BorrowerCommuneId, text, at,
            $"Annulation tardive : {loan.Unit.Name} du {Day(loan.FirstDay)} au {Day(loan.LastDay)}",
            $"""
            La commune de {loan.BorrowerCommune.Name} a annulé le prêt approuvé de « {loan.Unit.Name} »
            du {Day(loan.FirstDay)} au {Day(loan.LastDay)}, moins de deux jours ouvrés avant son premier jour.
            Si le matériel était déjà préparé, il reste chez vous ; il est de nouveau disponible sur ces dates.
            """);
    }

    /// <summary>The owner did not decide in time, to both communes.</summary>
    public static Notice Expired(Loan loan, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(loan);
        var text = $"La demande de « {loan.Unit.Name} » par {loan.BorrowerCommune.Name} du {Day(loan.FirstDay)} au {Day(loan.LastDay)} "
            + "a expiré : le propriétaire n'a pas répondu à temps.";
        return new Notice(loan, NoticeKind.Expired, loan.BorrowerCommuneId, text, at,
            $"Demande expirée : {loan.Unit.Name} du {Day(loan.FirstDay)} au {Day(loan.LastDay)}",
            $"""
            {text}
            Le matériel est de nouveau disponible sur ces dates ; la commune peut faire une nouvelle demande.
            """);
    }

    private static string Day(DateOnly day) => day.ToString("dddd d MMMM yyyy", French);
}
