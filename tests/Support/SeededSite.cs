namespace ValDrome.Tests.Support;

/// <summary>A seeded database and the site on it, for the tests of one class (classes that only read share <see cref="ReadOnlySeededSite"/>).</summary>
public sealed class SeededSite : IAsyncLifetime
{
    private TestDatabase? _database;
    private ValDromeApp? _app;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    public ValDromeApp App => _app ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateSeededAsync(GetType().Name);
        _app = new ValDromeApp(_database);
    }

    public async Task DisposeAsync()
    {
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
