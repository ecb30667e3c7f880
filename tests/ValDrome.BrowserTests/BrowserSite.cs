using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ValDrome.Tests.Support;

namespace ValDrome.BrowserTests;

/// <summary>
/// The site on a real Kestrel port (a browser cannot reach the in-memory test server) and the
/// machine's Debian Chromium driven by Playwright: no browser is ever downloaded.
/// </summary>
public sealed class BrowserSite : IAsyncLifetime
{
    private TestDatabase? _database;
    private ValDromeApp? _app;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    public ValDromeApp App => _app ?? throw new InvalidOperationException("Not initialised.");

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateSeededAsync("browser");
        _app = new ValDromeApp(_database);
        _app.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        _app.StartServer();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First());

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("VALDROME_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            // The machine's network is closed: without these Chromium keeps trying to reach Google.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", "--disable-quic"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = "fr-FR",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary>One site and one browser for every browser test.</summary>
[CollectionDefinition(Name)]
public sealed class SharedBrowser : ICollectionFixture<BrowserSite>
{
    public const string Name = "browser";
}
