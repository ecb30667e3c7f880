using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ValDrome.Jobs.Mail;

/// <summary>A French plain-text message to one or more people.</summary>
public sealed record MailMessage(IReadOnlyList<string> To, string Subject, string Body);

/// <summary>Sends mail by SMTP (MailKit), or writes .eml files to a folder in development.</summary>
public sealed class Mailer(IOptions<MailOptions> options, TimeProvider time, IHostEnvironment environment)
{
    /// <summary>Every mail ends with it, whatever composed the message (equipment, services, accounts): no message signs itself.</summary>
    public const string Signature = "— ValDrome, le matériel et les services partagés du Val de Drôme";

    public async Task SendAsync(MailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.To.Count == 0)
        {
            return;
        }

        var settings = options.Value;
        using var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(settings.From));
        foreach (var to in message.To.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            mime.To.Add(MailboxAddress.Parse(to));
        }

        mime.Subject = message.Subject;
        mime.Date = time.GetUtcNow();
        mime.Body = new TextPart("plain") { Text = $"{message.Body.TrimEnd()}\n\n{Signature}\n" };

        if (!string.IsNullOrWhiteSpace(settings.PickupDirectory))
        {
            var folder = Path.GetFullPath(settings.PickupDirectory, environment.ContentRootPath);
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, $"{time.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.eml");
            await mime.WriteToAsync(path, cancellationToken);
            return;
        }

        if (string.IsNullOrWhiteSpace(settings.SmtpHost))
        {
            throw new InvalidOperationException("No mail transport: set ValDrome:Mail:SmtpHost or ValDrome:Mail:PickupDirectory.");
        }

        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(settings.SmtpHost, settings.SmtpPort,
            settings.SmtpStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.Auto, cancellationToken);
        if (!string.IsNullOrEmpty(settings.SmtpUser))
        {
            await smtp.AuthenticateAsync(settings.SmtpUser, settings.SmtpPassword ?? "", cancellationToken);
        }

        await smtp.SendAsync(mime, cancellationToken);
        await smtp.DisconnectAsync(true, cancellationToken);
    }
}
