using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ValDrome.Tests.Support;

/// <summary>
/// The whole site, on a test database of its own, with a clock the tests set (Tuesday
/// 1 December 2026, 08:00 in Paris, unless told otherwise) and mail written to a folder of its own.
/// </summary>
public sealed class ValDromeApp(TestDatabase database) : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset DefaultNow = new(2026, 12, 1, 8, 0, 0, TimeSpan.FromHours(1));

    public TestDatabase Database { get; } = database;

    public FakeTimeProvider Clock { get; } = new(DefaultNow);

    public string MailFolder { get; } = Path.Combine(Path.GetTempPath(), $"valdrome-mail-{Guid.NewGuid():N}");

    /// <summary>"Today" in Paris for the fake clock.</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), Domain.ParisTime.Zone).DateTime);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:ValDrome", Database.ConnectionString);
        builder.UseSetting("ValDrome:Mail:PickupDirectory", MailFolder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>The mails sent so far, oldest first, as a mail client would read them.</summary>
    public IReadOnlyList<MimeKit.MimeMessage> Mails() =>
        Directory.Exists(MailFolder)
            ? [.. new DirectoryInfo(MailFolder).GetFiles("*.eml").OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => MimeKit.MimeMessage.Load(f.FullName))]
            : [];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(MailFolder))
        {
            Directory.Delete(MailFolder, recursive: true);
        }
    }
}
