using System.Globalization;
using System.Text;
using ValDrome.Geo.Tours.Benchmarks;

namespace ValDrome.Bench;

/// <summary>
/// Larger instances of the same benchmark family, for a planner never tuned on them
/// (<c>li-lim --merged lr102+lr104</c>): the tasks of two 100-task instances that share their
/// depot and capacity, in one 200-task instance with the two fleets together. Its reference is the
/// two best-known plans side by side, one feasible plan of the merged instance: the vehicles and
/// the distance of both added. A planner may do better (a vehicle serving tasks of both), never
/// needs to do worse.
/// </summary>
internal static class MergedInstances
{
    public static (Func<LiLimInstance> Instance, Func<string, (int Vehicles, double Distance)?> Best) Source(string pair, string folder)
    {
        var names = pair.Split('+', StringSplitOptions.TrimEntries);
        if (names.Length != 2 || names.Any(n => n.Length == 0))
        {
            throw new ArgumentException($"--merged expects pairs of instances such as lr102+lr104, not « {pair} ».");
        }

        var files = names.Select(n => Path.Combine(folder, n + ".txt")).ToArray();
        foreach (var file in files.Where(f => !File.Exists(f)))
        {
            throw new IOException($"no instance file {Path.GetFullPath(file)}.");
        }

        return (() => LiLimFile.Read(pair, new StringReader(Merge(files[0], files[1]))), _ => BestKnown(files));
    }

    /// <summary>The second file's nodes follow the first's, renumbered; the depot line and capacity must agree.</summary>
    internal static string Merge(string first, string second)
    {
        var a = Lines(first);
        var b = Lines(second);
        if (a.Count < 2 || b.Count < 2)
        {
            throw new FormatException($"{first} or {second}: a header and a depot line are needed.");
        }

        if (a[0][1] != b[0][1] || !a[1].SequenceEqual(b[1]))
        {
            throw new FormatException($"{Path.GetFileName(first)} and {Path.GetFileName(second)} do not share their depot and capacity: they cannot be merged.");
        }

        var offset = a.Skip(1).Max(l => Number(l[0], first));
        var text = new StringBuilder();
        var vehicles = Number(a[0][0], first) + Number(b[0][0], second);
        text.AppendLine(CultureInfo.InvariantCulture, $"{vehicles}\t{a[0][1]}\t{a[0][2]}");
        foreach (var line in a.Skip(1))
        {
            text.AppendJoin('\t', line).AppendLine();
        }

        foreach (var line in b.Skip(2))
        {
            if (line.Length < 9)
            {
                throw new FormatException($"{Path.GetFileName(second)}: node {line[0]} has {line.Length} fields, 9 are needed.");
            }

            var fields = (string[])line.Clone();
            fields[0] = Shift(fields[0], offset, second);
            fields[7] = Shift(fields[7], offset, second);
            fields[8] = Shift(fields[8], offset, second);
            text.AppendJoin('\t', fields).AppendLine();
        }

        return text.ToString();
    }

    private static (int Vehicles, double Distance)? BestKnown(string[] files)
    {
        var parts = files.Select(f => LiLimBenchmark.BestKnown(f, Path.GetFileNameWithoutExtension(f))).ToArray();
        return parts.Any(p => p is null) ? null : (parts.Sum(p => p!.Value.Vehicles), Math.Round(parts.Sum(p => p!.Value.Distance), 2));
    }

    private static List<string[]> Lines(string file) =>
        [.. File.ReadLines(file).Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length > 0)];

    private static int Number(string field, string file) =>
        int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"{Path.GetFileName(file)}: '{field}' is not a whole number.");

    /// <summary>Node ids move by the offset; 0 (no pickup, no delivery) stays 0.</summary>
    private static string Shift(string field, int offset, string file)
    {
        var n = Number(field, file);
        return (n == 0 ? 0 : n + offset).ToString(CultureInfo.InvariantCulture);
    }
}
