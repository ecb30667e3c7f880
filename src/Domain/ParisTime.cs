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
}
