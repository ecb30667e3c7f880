using System.Globalization;
using NetTopologySuite.Geometries;
using ValDrome.Domain;
using ValDrome.Geo.Encoding;

namespace ValDrome.Web.Pages.Map;

/// <summary>
/// The map as the page itself draws it (ADR 31): the communes in the colours of the map's first
/// indicator, their names, and the units grouped where they are kept, each a link. It needs no
/// script, so a slow phone shows and follows it as soon as the page is read; map.js replaces it
/// with the interactive map once Leaflet has come and drawn the same layers, and it stays when
/// the script cannot run.
/// </summary>
internal sealed class FirstView
{
    /// <summary>The population palette of map.js's first indicator, lightest to darkest.</summary>
    private static readonly string[] PopulationPalette = ["#f1f5fa", "#d4e2f0", "#acc7e2", "#7ea7cf", "#5485b8"];

    /// <summary>
    /// Names are placed twice, the most populated first, where they would not overlap: at a
    /// phone's scale (the narrow map, so names wide in map units) and at a desktop's. map.css
    /// sizes the names and spots so, and shows one placement or the other (700 px wide and up).
    /// </summary>
    private static readonly Scale PhoneScale = new(FontUnits: 100, SpotUnits: 80);

    private static readonly Scale DesktopScale = new(FontUnits: 58, SpotUnits: 50);

    private const double LabelCharacterWidth = 0.56;

    private FirstView(string viewBox, IReadOnlyList<Area> communes, IReadOnlyList<Spot> spots, IReadOnlyList<Category> categories)
    {
        ViewBox = viewBox;
        Communes = communes;
        Spots = spots;
        Categories = categories;
    }

    /// <summary>The territory's extent in path units, a little margin around it.</summary>
    public string ViewBox { get; }

    public IReadOnlyList<Area> Communes { get; }

    /// <summary>Where units are kept: one link to a unit, or to its owner's units in the catalogue.</summary>
    public IReadOnlyList<Spot> Spots { get; }

    /// <summary>
    /// The categories on the map in French order, as map.js's category filter lists them: the page
    /// shows that filter, not yet usable, where map.js will put it, so the map does not move down
    /// when it comes.
    /// </summary>
    public IReadOnlyList<Category> Categories { get; }

    public int UnitCount => Spots.Sum(s => s.Count);

    /// <summary>« 54 matériels affichés », as map.js writes it.</summary>
    public string Shown => FrenchCount.Of(UnitCount, "matériel") + " " + FrenchCount.Noun(UnitCount, "affiché");

    /// <summary>A commune: its outline, its colour, its link, and its name where the name has room.</summary>
    internal sealed record Area(string Path, string Fill, string Url, string Label, bool Mine, string Name, Placement? Inside)
    {
        /// <summary>Where the name stands on a phone, if it has room there.</summary>
        public Placement? Narrow { get; init; }

        /// <summary>Where the name stands on a wider screen, if it has room there.</summary>
        public Placement? Wide { get; init; }
    }

    private sealed record Scale(double FontUnits, double SpotUnits);

    internal sealed record Placement(long X, long Y);

    internal sealed record Spot(long X, long Y, int Count, string Url, string Label);

    internal sealed record Category(string Name, int Count)
    {
        public string Option => $"{Name} ({Count.ToString("#,0", FrenchCulture.Instance)})";
    }

    /// <param name="myCommuneId">The signed-in agent's commune, outlined (its id as the map's <c>data-my-commune</c> holds it).</param>
    /// <param name="whenQuery">« Quand ? »'s days as the catalogue reads them, or null.</param>
    public static FirstView Of(IReadOnlyList<MapCommune> communes, IReadOnlyList<MapUnit> units, string? myCommuneId, string? whenQuery)
    {
        var classes = QuantileUppers([.. communes.Select(c => c.Properties.Population)], PopulationPalette.Length);
        var colours = PaletteFor(classes.Count);
        var envelope = new Envelope();
        foreach (var commune in communes)
        {
            envelope.ExpandToInclude(commune.Boundary.EnvelopeInternal);
        }

        foreach (var unit in units)
        {
            envelope.ExpandToInclude(unit.Location.Coordinate);
        }

        var areas = communes
            .Select(c => (Commune: c, Mine: myCommuneId is not null && c.Id.ToString(CultureInfo.InvariantCulture) == myCommuneId))
            .OrderByDescending(c => c.Mine).ThenByDescending(c => c.Commune.Properties.Population)
            .Select(c => Describe(c.Commune, c.Mine, colours[ClassOf(classes, c.Commune.Properties.Population)]))
            .ToList();
        var spots = SpotsOf(units, whenQuery);
        foreach (var (scale, narrow) in (ReadOnlySpan<(Scale, bool)>)[(PhoneScale, true), (DesktopScale, false)])
        {
            var placed = PlaceNames(areas, spots, scale);
            for (var i = 0; i < areas.Count; i++)
            {
                areas[i] = narrow ? areas[i] with { Narrow = placed[i] } : areas[i] with { Wide = placed[i] };
            }
        }

        // The signed-in commune last, so its outline is drawn over its neighbours'.
        areas = [.. areas.OrderBy(a => a.Mine).ThenBy(a => a.Name, FrenchNames.Comparer)];
        var categories = units.GroupBy(u => u.Properties.Categorie)
            .Select(g => new Category(g.Key, g.Count()))
            .OrderBy(c => c.Name, FrenchNames.Comparer)
            .ToList();
        return new FirstView(ViewBoxOf(envelope), areas, spots, categories);
    }

    private static Area Describe(MapCommune commune, bool mine, string fill)
    {
        var p = commune.Properties;
        var label = $"{p.Nom}{(mine ? " (votre commune)" : "")} : {FrenchCount.Of(p.Population, "habitant")}, {FrenchCount.Of(p.Materiels, "matériel")}";
        var inside = commune.Boundary.IsEmpty ? null : commune.Boundary.InteriorPoint;
        Placement? at = null;
        if (inside is { IsEmpty: false })
        {
            var (x, y) = SvgPath.Position(inside.X, inside.Y);
            at = new Placement(x, y);
        }

        return new Area(SvgPath.Polygonal(commune.Boundary), fill, p.Url, label, mine, mine ? p.Nom + " (votre commune)" : p.Nom, at);
    }

    /// <summary>
    /// Greedy, as map.js does on screen: a name goes where it overlaps neither a name already
    /// placed nor a spot (on its commune's inner point, else just below or above it), or is left out.
    /// </summary>
    private static Placement?[] PlaceNames(List<Area> areas, IReadOnlyList<Spot> spots, Scale scale)
    {
        var taken = spots.Select(s => (Left: s.X - scale.SpotUnits, Top: s.Y - scale.SpotUnits, Right: s.X + scale.SpotUnits, Bottom: s.Y + scale.SpotUnits)).ToList();
        var names = new List<(double Left, double Top, double Right, double Bottom)>();
        var placed = new Placement?[areas.Count];
        for (var i = 0; i < areas.Count; i++)
        {
            if (areas[i].Inside is not { } at)
            {
                continue;
            }

            var halfWidth = (areas[i].Name.Length * LabelCharacterWidth * scale.FontUnits / 2) + (scale.FontUnits * 0.3);
            var halfHeight = scale.FontUnits * 0.65;
            foreach (var dy in (double[])[0, scale.FontUnits * 1.3, -scale.FontUnits * 1.3])
            {
                var y = at.Y + dy;
                var box = (Left: at.X - halfWidth, Top: y - halfHeight, Right: at.X + halfWidth, Bottom: y + halfHeight);
                if (!names.Concat(taken).Any(p => box.Left < p.Right && box.Right > p.Left && box.Top < p.Bottom && box.Bottom > p.Top))
                {
                    names.Add(box);
                    placed[i] = new Placement(at.X, (long)Math.Round(y));
                    break;
                }
            }
        }

        return placed;
    }

    /// <summary>Units kept at one place by one owner make one spot: their only unit, or their owner's units in the catalogue.</summary>
    private static List<Spot> SpotsOf(IReadOnlyList<MapUnit> units, string? whenQuery)
    {
        var spots = new List<Spot>();
        foreach (var group in units.GroupBy(u => (u.OwnerFilter, Place: SvgPath.Position(u.Location.X, u.Location.Y))).OrderBy(g => g.Key.Place.Y).ThenBy(g => g.Key.Place.X))
        {
            var first = group.First();
            var (x, y) = group.Key.Place;
            if (group.Count() == 1)
            {
                spots.Add(new Spot(x, y, 1, first.Properties.Url,
                    // The spot reads « 1 »: its name starts so (WCAG 2.5.3, what is seen is what is said).
                    $"1 matériel : {first.Properties.Nom} ({first.Properties.Categorie}, {first.Properties.Proprietaire}), {first.Properties.Statut.ToLowerInvariant()}"));
                continue;
            }

            var catalogue = "/materiel?proprietaire=" + Uri.EscapeDataString(group.Key.OwnerFilter) + (whenQuery is null ? "" : "&" + whenQuery + "&libres=true");
            spots.Add(new Spot(x, y, group.Count(), catalogue,
                $"{FrenchCount.Of(group.Count(), "matériel")}{(whenQuery is null ? "" : " libres")} : {first.Properties.Proprietaire}, voir au catalogue"));
        }

        return spots;
    }

    private static string ViewBoxOf(Envelope envelope)
    {
        if (envelope.IsNull)
        {
            return "0 0 100 100";
        }

        var (left, bottom) = SvgPath.Project(envelope.MinX, envelope.MinY);
        var (right, top) = SvgPath.Project(envelope.MaxX, envelope.MaxY);
        var margin = Math.Max(right - left, bottom - top) * 0.02;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Math.Floor(left - margin)} {Math.Floor(top - margin)} {Math.Ceiling(right - left + (2 * margin))} {Math.Ceiling(bottom - top + (2 * margin))}");
    }

    /// <summary>
    /// The upper bound of each class of equal counts, as map.js's <c>quantileClasses</c> makes
    /// them (classes that would repeat a bound are merged), so both views colour a commune alike.
    /// </summary>
    internal static List<int> QuantileUppers(IReadOnlyList<int> values, int classCount)
    {
        var sorted = values.Order().ToArray();
        var uppers = new List<int>();
        if (sorted.Length == 0)
        {
            return uppers;
        }

        for (var k = 1; k <= classCount; k++)
        {
            var index = Math.Min(sorted.Length - 1, (int)Math.Ceiling((double)k * sorted.Length / classCount) - 1);
            if (uppers.Count == 0 || sorted[index] > uppers[^1])
            {
                uppers.Add(sorted[index]);
            }
        }

        return uppers;
    }

    /// <summary>map.js's <c>paletteFor</c>: the palette spread over however many classes there are.</summary>
    private static string[] PaletteFor(int classCount) =>
        classCount switch
        {
            0 => [PopulationPalette[0]],
            1 => [PopulationPalette[PopulationPalette.Length / 2]],
            _ => [.. Enumerable.Range(0, classCount).Select(i => PopulationPalette[(int)Math.Round(i * (PopulationPalette.Length - 1) / (double)(classCount - 1), MidpointRounding.AwayFromZero)])],
        };

    private static int ClassOf(List<int> uppers, int value)
    {
        for (var i = 0; i < uppers.Count; i++)
        {
            if (value <= uppers[i])
            {
                return i;
            }
        }

        return Math.Max(0, uppers.Count - 1);
    }
}
