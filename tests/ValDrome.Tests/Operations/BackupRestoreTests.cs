using System.Diagnostics;
using Npgsql;
using ValDrome.Domain.Loans;
using ValDrome.Jobs;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Operations;

/// <summary>script/backup then script/restore into a new database give back the same loans, statements and accounts (ADR 23).</summary>
public sealed class BackupRestoreTests : IAsyncLifetime
{
    private readonly string _restored = $"valdrome_test_restored_{Guid.NewGuid().ToString("N")[..8]}";
    private readonly string _dump = Path.Combine(Path.GetTempPath(), $"valdrome-{Guid.NewGuid():N}.dump");
    private TestDatabase? _database;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateSeededAsync("backup");
        await Make.LoanAsync(_database, "26144-BR-01", "26165", new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 20), LoanStatus.Returned);
        await Make.LoanAsync(_database, "26166-PO-01", "26144", new DateOnly(2026, 11, 28), new DateOnly(2026, 11, 30), LoanStatus.Delivered);
        await Make.LoanAsync(_database, "26006-MP-01", "26208", new DateOnly(2027, 1, 11), new DateOnly(2027, 1, 12));
        await using var site = new ValDromeApp(_database);
        site.SetToday(new DateOnly(2026, 12, 1));
        await site.RunJobAsync<BuildMonthlyStatements, bool>(j => j.RunAsync(CancellationToken.None));
    }

    private const string Fingerprint = """
        select (select count(*) from loans) || ' loans; '
            || (select count(*) from statements) || ' statements; '
            || (select count(*) from statement_lines) || ' lines; '
            || (select count(*) from "AspNetUsers") || ' accounts; '
            || (select string_agg(id || ':' || status || ':' || first_day || '..' || last_day, ',' order by id) from loans) || '; '
            || (select string_agg(coalesce(commune_id::text, 'cc') || '@' || month, ',' order by commune_id nulls first) from statements) || '; '
            || (select sum(amount) from statement_lines) || '; '
            || (select string_agg(user_name || '/' || coalesce(email, ''), ',' order by user_name) from "AspNetUsers")
        """;

    [Fact]
    public async Task A_backup_restored_into_a_new_database_holds_the_same_loans_statements_and_accounts()
    {
        var database = _database!;
        var before = await database.ScalarAsync<string>(Fingerprint);
        Assert.Contains("3 loans", before, StringComparison.Ordinal);
        Assert.DoesNotContain(" 0 statements", before, StringComparison.Ordinal);

        await RunAsync("script/backup", database.ConnectionString, _dump);
        await RunAsync("script/restore", database.ConnectionString, _dump, _restored);

        var restored = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = _restored, Pooling = false };
        await using var connection = new NpgsqlConnection(restored.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Fingerprint, connection);
        Assert.Equal(before, (string)(await command.ExecuteScalarAsync())!);
    }

    private static async Task RunAsync(string script, string connectionString, params string[] arguments)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "ValDrome.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("The repository root was not found.");
        }

        var start = new ProcessStartInfo(Path.Combine(root, script)) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ConnectionStrings__ValDrome"] = connectionString;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{script}: {await output}{await errors}");
    }

    public async Task DisposeAsync()
    {
        File.Delete(_dump);
        if (_database is not null)
        {
            await _database.DisposeAsync();
            var server = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Database = "postgres", Pooling = false };
            await using var connection = new NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists \"{_restored}\" with (force)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
