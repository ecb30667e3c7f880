using System.Globalization;

namespace ValDrome.Bench.Gis;

/// <summary>
/// A configuration of the site measured next to the default one in the same run: its label and
/// the environment it starts with (<c>DOTNET_gcServer=0</c>, <c>ValDrome__Gis__…</c>).
/// </summary>
public sealed record SiteVariant(string Label, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>
    /// <c>LABEL:NAME=VALUE[,NAME=VALUE…]</c>; a bare <c>LABEL:</c> is the site as it is built
    /// (a second process of the default configuration, to see the spread between two equal sites).
    /// </summary>
    public static SiteVariant Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new ArgumentException($"gis-mapserver: --variant « {text} » needs a label before a colon (label:NAME=VALUE,…).");
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !environment.TryAdd(pair[..equals], pair[(equals + 1)..]))
            {
                throw new ArgumentException($"gis-mapserver: « {pair} » in --variant « {text} » is not a new NAME=VALUE.");
            }
        }

        return new SiteVariant(text[..colon], environment);
    }
}

/// <summary>The options of <c>gis-mapserver</c>: how long, how hard, and which site configurations besides the default.</summary>
/// <param name="Rounds">Every pair is measured this many times, the two servers' order swapped each round.</param>
/// <param name="Processes">MapServer FastCGI processes (each answers one request at a time).</param>
/// <param name="CountersDirectory">When set, dotnet-counters records each site process during the measured rounds (CSV files there).</param>
public sealed record MapServerSettings(
    int Seconds,
    int WarmUpSeconds,
    int Rounds,
    int Threads,
    int Connections,
    int Processes,
    IReadOnlyList<SiteVariant> Variants,
    string? CountersDirectory)
{
    public static MapServerSettings Default { get; } = new(10, 3, 3, 2, 8, 8, [], null);

    public static MapServerSettings Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var settings = Default;
        var variants = new List<SiteVariant>();
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"gis-mapserver: {args[i]} needs a value.");
            }

            var (name, value) = (args[i], args[i + 1]);
            settings = name switch
            {
                "--seconds" => settings with { Seconds = Positive(name, value) },
                "--warm-up" => settings with { WarmUpSeconds = Positive(name, value) },
                "--rounds" => settings with { Rounds = Positive(name, value) },
                "--threads" => settings with { Threads = Positive(name, value) },
                "--connections" => settings with { Connections = Positive(name, value) },
                "--processes" => settings with { Processes = Positive(name, value) },
                "--counters" => settings with { CountersDirectory = value },
                "--variant" => settings,
                _ => throw new ArgumentException($"gis-mapserver: unknown option {name}."),
            };
            if (name == "--variant")
            {
                var variant = SiteVariant.Parse(value);
                if (variant.Label == DefaultLabel || variants.Any(v => v.Label == variant.Label))
                {
                    throw new ArgumentException($"gis-mapserver: the label « {variant.Label} » is taken.");
                }

                variants.Add(variant);
            }
        }

        if (settings.Connections < settings.Threads)
        {
            throw new ArgumentException("gis-mapserver: wrk needs at least as many connections as threads.");
        }

        return settings with { Variants = variants };
    }

    /// <summary>The label of the site as it is built.</summary>
    public const string DefaultLabel = "ValDrome";

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"gis-mapserver: {name} takes a whole number above 0, not « {value} ».");
}
