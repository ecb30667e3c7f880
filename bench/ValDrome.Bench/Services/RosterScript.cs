using System.Globalization;

namespace ValDrome.Bench.Services;

/// <summary>
/// The "-- step:" blocks of Roster.sql with the sizes put in, in order: run each as one command
/// on one connection (its temporary tables and setseed live in the session). Compiled into the
/// bench and, linked, into the tests, which assert the query plan on the same roster.
/// </summary>
internal static class RosterScript
{
    public const string ResourceName = "ValDrome.Roster.sql";

    public static List<(string Name, string Sql)> Steps(int communes, int agents, int bookings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(communes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(agents, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(bookings);
        using var stream = typeof(RosterScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded.");
        using var reader = new StreamReader(stream);
        var steps = new List<(string, string)>();
        string? name = null;
        var sql = new System.Text.StringBuilder();
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith("-- step: ", StringComparison.Ordinal))
            {
                if (name is not null)
                {
                    steps.Add((name, Sized(sql.ToString())));
                }

                name = line["-- step: ".Length..];
                sql.Clear();
            }
            else if (name is not null)
            {
                sql.AppendLine(line);
            }
        }

        if (name is not null)
        {
            steps.Add((name, Sized(sql.ToString())));
        }

        return steps;

        // Integers only: nothing typed by a person reaches this text.
        string Sized(string text) => text
            .Replace("{{communes}}", communes.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{agents}}", agents.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{bookings}}", bookings.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
