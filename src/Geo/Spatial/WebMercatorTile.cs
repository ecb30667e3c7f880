namespace ValDrome.Geo.Spatial;

/// <summary>One tile of the web-mercator (EPSG:3857) XYZ grid: x eastwards, y southwards from the top-left.</summary>
public readonly record struct WebMercatorTile
{
    /// <summary>Beyond zoom 22 a tile is a few centimetres wide: clients overzoom instead.</summary>
    public const int MaxZoom = 22;

    /// <summary>The grid stops at ±85.0511°, where web-mercator is square.</summary>
    public const double MaxLatitude = 85.05112877980659;

    private WebMercatorTile(int z, int x, int y)
    {
        Z = z;
        X = x;
        Y = y;
    }

    public int Z { get; }

    public int X { get; }

    public int Y { get; }

    public static bool TryCreate(int z, int x, int y, out WebMercatorTile tile)
    {
        tile = default;
        if (z is < 0 or > MaxZoom)
        {
            return false;
        }

        var count = 1 << z;
        if (x < 0 || x >= count || y < 0 || y >= count)
        {
            return false;
        }

        tile = new WebMercatorTile(z, x, y);
        return true;
    }

    /// <summary>The tile's lon/lat rectangle widened by <paramref name="margin"/> tile widths on every side (clamped to the grid).</summary>
    public LonLatBox Bounds(double margin = 0)
    {
        var count = (double)(1 << Z);
        return new LonLatBox(
            Longitude(Math.Max(0, X - margin) / count),
            Latitude(Math.Min(count, Y + 1 + margin) / count),
            Longitude(Math.Min(count, X + 1 + margin) / count),
            Latitude(Math.Max(0, Y - margin) / count));
    }

    public static WebMercatorTile Containing(double longitude, double latitude, int z)
    {
        if (!LonLatBox.IsLongitude(longitude) || !LonLatBox.IsLatitude(latitude))
        {
            throw new ArgumentOutOfRangeException(nameof(longitude), "Not a WGS84 position.");
        }

        var count = 1 << z;
        var clamped = Math.Clamp(latitude, -MaxLatitude, MaxLatitude) * Math.PI / 180;
        var x = (int)Math.Floor((longitude + 180) / 360 * count);
        var y = (int)Math.Floor((1 - Math.Log(Math.Tan(clamped) + 1 / Math.Cos(clamped)) / Math.PI) / 2 * count);
        return TryCreate(z, Math.Clamp(x, 0, count - 1), Math.Clamp(y, 0, count - 1), out var tile)
            ? tile
            : throw new ArgumentOutOfRangeException(nameof(z), z, "Zoom must be within [0, 22].");
    }

    private static double Longitude(double fraction) => Math.Clamp((fraction * 360) - 180, -180, 180);

    private static double Latitude(double fraction) =>
        Math.Clamp(Math.Atan(Math.Sinh(Math.PI * (1 - (2 * fraction)))) * 180 / Math.PI, -90, 90);
}
