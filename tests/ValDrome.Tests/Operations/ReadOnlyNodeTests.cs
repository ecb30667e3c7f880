using System.Net;
using Npgsql;
using ValDrome.Tests.Support;
using ValDrome.Web.Operations;

namespace ValDrome.Tests.Operations;

/// <summary>Once the set-up step has run, a node with jobs off needs only to read (ADR 22).</summary>
public sealed class ReadOnlyNodeTests : IAsyncLifetime
{
    private readonly string _role = $"valdrome_reader_{Guid.NewGuid():N}"[..28];
    private TestDatabase? _database;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateSeededAsync("readonly");

    [Fact]
    public async Task A_node_with_jobs_off_starts_and_serves_pages_on_a_read_only_role()
    {
        var database = _database!;
        await using (var setUp = new ValDromeApp(database))
        {
            await setUp.Services.PrepareOperationsAsync();
        }

        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var grant = new NpgsqlCommand(
                $"""
                create role {_role} login;
                grant connect on database "{database.Name}" to {_role};
                grant usage on schema public, hangfire to {_role};
                grant select on all tables in schema public, hangfire to {_role};
                """, connection);
            await grant.ExecuteNonQueryAsync();
        }

        var readOnly = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = _role }.ConnectionString;
        await using var node = new ValDromeApp(database, new Dictionary<string, string>
        {
            ["ConnectionStrings:ValDrome"] = readOnly,
            ["ValDrome:Jobs:RunServer"] = "false",
            ["ValDrome:Jobs:PrepareSchema"] = "false",
        });
        using var client = node.CreateClient();

        foreach (var url in new[] { "/", "/materiel", "/carte", "/connexion", "/communes/26144", "/carte/materiel.geojson", "/ogc/collections/equipements/items", Health.LivePath })
        {
            using var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
        }

        using var ready = await client.GetAsync(Health.ReadyPath);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__ValDrome")
            ?? "Host=127.0.0.1;Port=55432;Database=valdrome;Username=valdrome") { Pooling = false };
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop role if exists {_role}", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
