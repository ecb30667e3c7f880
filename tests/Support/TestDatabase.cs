using Microsoft.EntityFrameworkCore;
using Npgsql;
using ValDrome.Domain;
using ValDrome.Domain.Communes;
using ValDrome.Domain.Seed;

namespace ValDrome.Tests.Support;

/// <summary>
/// A database of its own on the private PostGIS cluster (script/test exports its connection
/// string), dropped at the end. Tests never share mutable data with other test classes.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly string ServerConnectionString =
        Environment.GetEnvironmentVariable("ConnectionStrings__ValDrome")
        ?? "Host=127.0.0.1;Port=55432;Database=valdrome;Username=valdrome";

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static string TerritoryFile => Path.Combine(AppContext.BaseDirectory, "data", "communes.geojson");

    /// <summary>An empty database with the migrations applied.</summary>
    public static async Task<TestDatabase> CreateMigratedAsync(string purpose)
    {
        var name = $"valdrome_test_{purpose.ToLowerInvariant()}_{Guid.NewGuid().ToString("N")[..8]}";
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString);
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        server.Database = name;
        server.Pooling = true;
        var database = new TestDatabase(name, server.ConnectionString);
        await using var db = database.CreateDb();
        await db.Database.MigrateAsync();
        return database;
    }

    /// <summary>Migrated, with the territory imported and the demo catalogue seeded.</summary>
    public static async Task<TestDatabase> CreateSeededAsync(string purpose)
    {
        var database = await CreateMigratedAsync(purpose);
        await using var db = database.CreateDb();
        await TerritoryImport.ImportAsync(db, TerritoryFile);
        await DevelopmentSeed.SeedAsync(db, DateOnly.FromDateTime(ValDromeApp.DefaultNow.Date));
        return database;
    }

    public ValDromeDb CreateDb()
    {
        var options = new DbContextOptionsBuilder<ValDromeDb>();
        DomainServiceCollectionExtensions.Configure(options, ConnectionString);
        return new ValDromeDb(options.Options);
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
