namespace ValDrome.Domain.Equipment;

/// <summary>
/// A photo of a unit, as the site serves it: a thumbnail and a large size, made on upload with
/// the orientation applied and the metadata (EXIF, GPS) stripped (ADR 16). The original is not
/// kept. A photo never changes: it is added, moved or deleted, so its <see cref="Hash"/> names its
/// bytes for good and its URLs may be cached forever. A photo joined to a fault report shows the
/// damage and is not in the unit's gallery.
/// </summary>
public sealed class UnitPhoto
{
    /// <summary>Most photos in a unit's gallery: a page shows them all.</summary>
    public const int MaxPerUnit = 12;

    private UnitPhoto()
    {
    }

    /// <summary>A photo of <paramref name="unit"/>, which may not be saved yet (added with a new unit).</summary>
    public UnitPhoto(EquipmentUnit unit, int position, PhotoSizes sizes, string addedBy, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentException.ThrowIfNullOrWhiteSpace(addedBy);
        Unit = unit;
        UnitId = unit.Id;
        Position = position;
        Hash = sizes.Hash;
        Thumbnail = sizes.Thumbnail;
        ThumbnailWidth = sizes.ThumbnailWidth;
        ThumbnailHeight = sizes.ThumbnailHeight;
        Large = sizes.Large;
        LargeWidth = sizes.LargeWidth;
        LargeHeight = sizes.LargeHeight;
        AddedBy = addedBy;
        AddedAt = at.ToUniversalTime();
    }

    public int Id { get; private set; }

    public int UnitId { get; private set; }

    public EquipmentUnit Unit { get; private set; } = null!;

    /// <summary>The fault report it illustrates; null: a photo of the unit's gallery.</summary>
    public int? FaultReportId { get; private set; }

    /// <summary>Order in the gallery, the first one being the unit's thumbnail in the catalogue.</summary>
    public int Position { get; set; }

    /// <summary>The first hexadecimal digits of the SHA-256 of both sizes: the version carried in its URLs and ETags.</summary>
    public string Hash { get; private set; } = "";

    public byte[] Thumbnail { get; private set; } = [];

    public int ThumbnailWidth { get; private set; }

    public int ThumbnailHeight { get; private set; }

    public byte[] Large { get; private set; } = [];

    public int LargeWidth { get; private set; }

    public int LargeHeight { get; private set; }

    /// <summary>The user name of whoever added it.</summary>
    public string AddedBy { get; private set; } = "";

    public DateTimeOffset AddedAt { get; private set; }

    public FaultReport? FaultReport { get; private set; }

    /// <summary>Shows the damage a report tells of, out of the gallery.</summary>
    public void Illustrate(FaultReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        FaultReport = report;
        FaultReportId = report.Id;
    }
}

/// <summary>The two sizes made from an upload, JPEG, without metadata.</summary>
public sealed record PhotoSizes(
    byte[] Thumbnail, int ThumbnailWidth, int ThumbnailHeight,
    byte[] Large, int LargeWidth, int LargeHeight, string Hash);
