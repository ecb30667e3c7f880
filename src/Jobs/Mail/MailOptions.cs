namespace ValDrome.Jobs.Mail;

/// <summary>Section <c>ValDrome:Mail</c>. With a pickup directory, messages are written there as .eml files (development).</summary>
public sealed class MailOptions
{
    public const string Section = "ValDrome:Mail";

    public string From { get; set; } = "ValDrome <ne-pas-repondre@valdrome.test>";

    /// <summary>When set, no SMTP: each message becomes a .eml file in this folder.</summary>
    public string? PickupDirectory { get; set; }

    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    public bool SmtpStartTls { get; set; } = true;

    public string? SmtpUser { get; set; }

    public string? SmtpPassword { get; set; }
}
