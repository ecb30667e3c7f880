using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ValDrome.Domain.Accounts;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Account;

/// <summary>Counts the password verifications per user name ("" for the stand-in hash of unknown names).</summary>
public sealed class CountingHasher : IPasswordHasher<ValDromeUser>
{
    private readonly PasswordHasher<ValDromeUser> _inner = new();
    private readonly ConcurrentDictionary<string, int> _verifications = new(StringComparer.Ordinal);

    public int VerificationsOf(string userName) => _verifications.GetValueOrDefault(userName);

    public string HashPassword(ValDromeUser user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(ValDromeUser user, string hashedPassword, string providedPassword)
    {
        ArgumentNullException.ThrowIfNull(user);
        _verifications.AddOrUpdate(user.UserName ?? "", 1, (_, count) => count + 1);
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

/// <summary>A seeded site whose password checks are counted. Each test signs in as accounts of its own.</summary>
public sealed class SignInSite : IAsyncLifetime
{
    private TestDatabase? _database;
    private ValDromeApp? _app;

    public CountingHasher Hasher { get; } = new();

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    public WebApplicationFactory<Program> App { get; private set; } = null!;

    public ValDromeApp Base => _app ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateSeededAsync("signin");
        _app = new ValDromeApp(_database);
        App = _app.WithWebHostBuilder(builder => builder.ConfigureTestServices(
            services => services.AddSingleton<IPasswordHasher<ValDromeUser>>(Hasher)));
    }

    public HttpClient Client() =>
        App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
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
