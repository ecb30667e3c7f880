using System.Globalization;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Loans;
using ValDrome.Jobs.Mail;

namespace ValDrome.Web.Pages.Loans;

/// <summary>The French mails of a loan's life: request, decision, cancellation.</summary>
public sealed partial class LoanMails(ValDromeDb db, Mailer mailer, ILogger<LoanMails> logger)
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public Task RequestedAsync(Loan loan, string baseUrl, CancellationToken cancellationToken) =>
        SendAsync(loan, toLender: true, toBorrower: true,
            $"Demande de prêt : {loan.Unit.Name} du {Day(loan.FirstDay)} au {Day(loan.LastDay)}",
            $"""
            Bonjour,

            La commune de {loan.BorrowerCommune.Name} demande à emprunter « {loan.Unit.Name} »
            du {Day(loan.FirstDay)} au {Day(loan.LastDay)} ({loan.Days} jour(s)).
            Usage prévu : {loan.Purpose}
            Coût estimé : {loan.EstimatedCost.ToString("C", French)}

            {(loan.Status == LoanStatus.Approved ? "Ce matériel est prêté sans attendre de décision : la demande est approuvée." : "Le propriétaire peut approuver ou refuser la demande ici :")}
            {baseUrl}/prets/{loan.Id}

            — ValDrome, le matériel partagé du Val de Drôme
            """, cancellationToken);

    public Task DecidedAsync(Loan loan, string baseUrl, CancellationToken cancellationToken) =>
        SendAsync(loan, toLender: false, toBorrower: true,
            $"Prêt {LoanWords.Status(loan.Status)} : {loan.Unit.Name}",
            $"""
            Bonjour,

            Votre demande de « {loan.Unit.Name} » du {Day(loan.FirstDay)} au {Day(loan.LastDay)} a été {LoanWords.Status(loan.Status)}e.
            {(loan.Status == LoanStatus.Refused ? $"Raison : {loan.RefusalReason}" : "Le technicien prendra contact avec la mairie pour la livraison.")}

            {baseUrl}/prets/{loan.Id}

            — ValDrome, le matériel partagé du Val de Drôme
            """, cancellationToken);

    public Task CancelledAsync(Loan loan, string baseUrl, CancellationToken cancellationToken) =>
        SendAsync(loan, toLender: true, toBorrower: false,
            $"Prêt annulé : {loan.Unit.Name} du {Day(loan.FirstDay)} au {Day(loan.LastDay)}",
            $"""
            Bonjour,

            La commune de {loan.BorrowerCommune.Name} a annulé sa demande de « {loan.Unit.Name} »
            du {Day(loan.FirstDay)} au {Day(loan.LastDay)}. Le matériel est de nouveau disponible sur ces dates.

            {baseUrl}/prets/{loan.Id}

            — ValDrome, le matériel partagé du Val de Drôme
            """, cancellationToken);

    private async Task SendAsync(Loan loan, bool toLender, bool toBorrower, string subject, string body, CancellationToken cancellationToken)
    {
        var to = new List<string>();
        if (toBorrower)
        {
            to.AddRange(await Recipients.AgentsOfAsync(db, loan.BorrowerCommuneId, cancellationToken));
        }

        if (toLender)
        {
            to.AddRange(await Recipients.OwnersAsync(db, loan.LenderCommuneId, cancellationToken));
        }

        try
        {
            await mailer.SendAsync(new MailMessage(to, subject, body), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The loan is saved: a mail server that is down must not turn it into an error page.
            LogMailFailed(logger, e, loan.Id, subject);
        }
    }

    private static string Day(DateOnly day) => day.ToString("dddd d MMMM yyyy", French);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail about loan {LoanId} not sent: {Subject}")]
    private static partial void LogMailFailed(ILogger logger, Exception exception, int loanId, string subject);
}
