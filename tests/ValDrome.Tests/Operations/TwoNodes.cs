using Microsoft.Extensions.DependencyInjection;
using ValDrome.Tests.Support;
using ValDrome.Web.Operations;

namespace ValDrome.Tests.Operations;

/// <summary>Two sites (nodes) on one seeded database, as behind a reverse proxy.</summary>
public sealed class TwoNodes : IAsyncLifetime
{
    private TestDatabase? _database;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    public ValDromeApp A { get; private set; } = null!;

    public ValDromeApp B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateSeededAsync("nodes");
        A = new ValDromeApp(_database);
        B = new ValDromeApp(_database);
    }

    /// <summary>Until the node hears the database's notifications (it listens once started).</summary>
    public static async Task ListeningAsync(ValDromeApp node)
    {
        using var _ = node.CreateClient();
        var listener = node.Services.GetRequiredService<DataChangeListener>();
        for (var i = 0; i < 100 && !listener.Listening; i++)
        {
            await Task.Delay(50);
        }

        Assert.True(listener.Listening, "The node never started listening for data changes.");
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
