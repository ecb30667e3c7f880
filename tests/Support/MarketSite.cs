using System.Collections.Concurrent;

namespace ValDrome.Tests.Support;

/// <summary>
/// A seeded site whose tests write loans: each test takes its own days (<see cref="Week"/>) so
/// that tests of one class never see each other's bookings. Signed-in clients are kept per user.
/// </summary>
public sealed class MarketSite : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<HttpClient>>> _clients = new();
    private TestDatabase? _database;
    private ValDromeApp? _app;
    private int _weeks;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    public ValDromeApp App => _app ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>A Monday of its own, weeks after the fake today, for one test.</summary>
    public DateOnly Week() => new DateOnly(2027, 1, 4).AddDays(7 * 3 * Interlocked.Increment(ref _weeks));

    public Task<HttpClient> As(string userName) =>
        _clients.GetOrAdd(userName, name => new Lazy<Task<HttpClient>>(() => App.SignedInAsync(name))).Value;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateSeededAsync("market");
        _app = new ValDromeApp(_database);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            (await client.Value).Dispose();
        }

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
