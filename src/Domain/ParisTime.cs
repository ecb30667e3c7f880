namespace ValDrome.Domain;

/// <summary>Days are whole days in Europe/Paris, whatever the server's zone.</summary>
public static class ParisTime
{
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static DateOnly Today(this TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Zone).DateTime);
    }

    public static DateTimeOffset ToParis(this DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The hour in Paris as French writes it: « 10 h 42 » (with no-break spaces).</summary>
    public static string Clock(this DateTimeOffset instant)
    {
        var paris = instant.ToParis();
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{paris.Hour}\u00a0h\u00a0{paris.Minute:00}");
    }
}
