using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Ogc;

/// <summary>
/// The seeded site on a real Kestrel port, for HTTP tests and for GDAL (a child process cannot
/// reach the in-memory test server). Read-only: tests that write get a database of their own.
/// </summary>
public sealed class GisSite : IAsyncLifetime
{
    private TestDatabase? _database;
    private readonly bool _readOnly;
    private ValDromeApp? _app;
    private DatabaseFingerprint? _start;

    /// <summary>The shared, read-only site of the <see cref="SharedGisSite"/> collection.</summary>
    public GisSite()
        : this(readOnly: true)
    {
    }

    /// <param name="readOnly">Whether the end checks that nothing was written (a fixture that adds its own data is not).</param>
    internal GisSite(bool readOnly)
    {
        _readOnly = readOnly;
    }

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    public ValDromeApp App => _app ?? throw new InvalidOperationException("Not initialised.");

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The landing page, as GDAL and QGIS are given it.</summary>
    public string OgcRoot => new Uri(BaseAddress, "/ogc").ToString();

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateSeededAsync("gis");
        _app = new ValDromeApp(_database);
        _app.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        _app.StartServer();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First());
        if (_readOnly)
        {
            _start = await DatabaseFingerprint.TakeAsync(_database);
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }

            var changed = _start is null || _database is null ? [] : (await DatabaseFingerprint.TakeAsync(_database)).ChangedSince(_start);
            if (changed.Count > 0)
            {
                throw new InvalidOperationException(
                    $"A test of the collection « {SharedGisSite.Name} » wrote to its shared database ({string.Join(", ", changed)}): "
                    + "tests that write need a fixture of their own (GisAccessSite), or their results depend on the order the classes run in.");
            }
        }
        finally
        {
            if (_database is not null)
            {
                await _database.DisposeAsync();
            }
        }
    }
}

/// <summary>
/// READ-ONLY: one site for the OGC, tiles and GDAL tests that only read; the fixture fails the run
/// if its data changed (as <see cref="ReadOnlySeededSite"/> does).
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedGisSite : ICollectionFixture<GisSite>
{
    public const string Name = "gis";
}
