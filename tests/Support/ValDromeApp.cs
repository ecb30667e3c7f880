using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ValDrome.Tests.Support;

/// <summary>
/// The whole site, on a test database of its own, with a clock the tests set (Tuesday
/// 1 December 2026, 08:00 in Paris, unless told otherwise) and mail written to a folder of its own.
/// </summary>
public sealed class ValDromeApp(TestDatabase database, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset DefaultNow = new(2026, 12, 1, 8, 0, 0, TimeSpan.FromHours(1));

    /// <summary>
    /// One logger factory for every test site of the process, never disposed. Hangfire logs
    /// through one provider for the whole process, which each site points at its own logger
    /// factory; once that site is disposed, a Hangfire object made by another site (the job client
    /// of a loan's page, the recurring-job manager at start) would ask a disposed factory for a
    /// logger and fail.
    /// </summary>
    private static readonly ILoggerFactory SharedLogging =
        LoggerFactory.Create(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));

    public TestDatabase Database { get; } = database;

    public TestClock Clock { get; } = new(DefaultNow);

    public string MailFolder { get; } = Path.Combine(Path.GetTempPath(), $"valdrome-mail-{Guid.NewGuid():N}");

    /// <summary>Sets the fake clock to 08:00 in Paris on <paramref name="day"/>.</summary>
    public void SetToday(DateOnly day) =>
        Clock.Now = new DateTimeOffset(day.ToDateTime(new TimeOnly(8, 0)), Domain.ParisTime.Zone.GetUtcOffset(day.ToDateTime(new TimeOnly(8, 0))));

    /// <summary>Runs a job as Hangfire would: resolved from a DI scope of the site.</summary>
    public async Task<TResult> RunJobAsync<TJob, TResult>(Func<TJob, Task<TResult>> run)
        where TJob : notnull
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var scope = Services.CreateAsyncScope();
        return await run(scope.ServiceProvider.GetRequiredService<TJob>());
    }

    public async Task RunJobAsync<TJob>(Func<TJob, Task> run)
        where TJob : notnull
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var scope = Services.CreateAsyncScope();
        await run(scope.ServiceProvider.GetRequiredService<TJob>());
    }

    /// <summary>
    /// Mails what the site's moves left queued, as the sweep does (tests run no Hangfire server, so
    /// the jobs enqueued after each move never run).
    /// </summary>
    public Task<int> SendNoticesAsync() =>
        RunJobAsync<ValDrome.Jobs.Notices.SendPendingNotices, int>(j => j.RunAsync(CancellationToken.None));

    /// <summary>"Today" in Paris for the fake clock.</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), Domain.ParisTime.Zone).DateTime);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:ValDrome", Database.ConnectionString);
        builder.UseSetting("ValDrome:Mail:PickupDirectory", MailFolder);
        builder.UseSetting("ValDrome:Jobs:RunServer", "false");
        // Every test client comes from one address: the sign-in rate limit has its own tests (SignInTests).
        builder.UseSetting("ValDrome:SignIn:AttemptsPerAddress", "100000");
        // Tests of one class share a commune's requests: the cap on pending requests is tested where it is set.
        builder.UseSetting("ValDrome:Marketplace:MaxPendingPerCategory", "1000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton(SharedLogging);
            // Sign-in cookies keep real time: the tests move the clock by months, and a session
            // must not expire (or begin in the future) because of that.
            services.PostConfigure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(
                Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme, options => options.TimeProvider = TimeProvider.System);
            services.PostConfigure<Microsoft.AspNetCore.Identity.SecurityStampValidatorOptions>(options => options.TimeProvider = TimeProvider.System);
        });
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

/// <summary>A clock the tests set, forwards or back (jobs are run "on" chosen days).</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();

    public override TimeZoneInfo LocalTimeZone => Domain.ParisTime.Zone;
}
