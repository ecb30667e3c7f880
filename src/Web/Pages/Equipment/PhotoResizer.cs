using System.Security.Cryptography;
using ImageMagick;
using ImageMagick.Formats;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>
/// Makes the two sizes of an uploaded photo (ADR 16): only JPEG, PNG and HEIC are decoded, each by
/// its own ImageMagick coder chosen from the file's first bytes (never ImageMagick's own guess, so
/// no other coder sees hostile bytes); the orientation the camera wrote is applied, then every
/// profile (EXIF with its GPS position, XMP, IPTC) is stripped and the colours brought to sRGB.
/// </summary>
public static class PhotoResizer
{
    public const int ThumbnailSide = 320;

    public const int LargeSide = 1600;

    /// <summary>Beyond this many pixels a photo is refused before it is decoded (a 50-megapixel camera is the most a commune has).</summary>
    public const long MaxPixels = 60_000_000;

    private const uint Quality = 82;

    public const string NotAnImage = "Ce fichier n'est pas une photo lisible : envoyez une image JPEG, PNG ou HEIC (photo de téléphone).";

    /// <summary>Whether the HEIC coder of the native build this runs on reads phone photos.</summary>
    public static bool ReadsHeic { get; } = MagickFormatInfo.Create(MagickFormat.Heic)?.SupportsReading == true;

    /// <summary>The format the bytes announce, or null for anything else.</summary>
    public static MagickFormat? Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes is [0xFF, 0xD8, 0xFF, ..])
        {
            return MagickFormat.Jpeg;
        }

        if (bytes is [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..])
        {
            return MagickFormat.Png;
        }

        // ISO base media: a "ftyp" box whose major brand is one of HEIF's.
        if (bytes.Length >= 12 && bytes[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = System.Text.Encoding.ASCII.GetString(bytes[8..12]);
            if (brand is "heic" or "heix" or "heim" or "heis" or "hevc" or "hevx" or "mif1" or "msf1")
            {
                return MagickFormat.Heic;
            }
        }

        return null;
    }

    /// <summary>The two sizes, or a French <see cref="RuleException"/> on field <paramref name="field"/> when the bytes are no photo we read.</summary>
    public static PhotoSizes Resize(byte[] upload, string field)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var format = Sniff(upload) ?? throw new RuleException(NotAnImage, field);
        if (format == MagickFormat.Heic && !ReadsHeic)
        {
            throw new RuleException("Les photos HEIC ne sont pas lues sur ce serveur : réglez le téléphone sur « le plus compatible » (JPEG) ou envoyez une capture.", field);
        }

        try
        {
            var info = new MagickImageInfo(upload, new MagickReadSettings { Format = format });
            if (info.Width == 0 || info.Height == 0 || (long)info.Width * info.Height > MaxPixels)
            {
                throw new RuleException($"Cette photo compte trop de pixels ({info.Width} × {info.Height}) : {MaxPixels / 1_000_000} mégapixels au plus.", field);
            }

            var settings = new MagickReadSettings { Format = format };
            var longest = Math.Max(info.Width, info.Height);
            var hinted = format == MagickFormat.Jpeg && longest >= LargeSide * 2;
            if (hinted)
            {
                // libjpeg decodes at M/8 of the size, and ImageMagick takes M from the hint rounded down: a hint of
                // M/8 of the photo itself, M the least that still covers the large size, decodes a 4032 × 3024
                // phone photo at 4/8 (2016 × 1512), four times fewer pixels, then shrinks it (never enlarges it) to 1600.
                var eighths = (uint)Math.Ceiling(8.0 * LargeSide / longest);
                settings.SetDefines(new JpegReadDefines
                {
                    Size = new MagickGeometry((uint)Math.Ceiling(info.Width * eighths / 8.0), (uint)Math.Ceiling(info.Height * eighths / 8.0)),
                });
            }

            using var image = ReadAtLeastLarge(upload, settings, hinted, format);
            image.AutoOrient();
            if (image.GetColorProfile() is not null)
            {
                image.TransformColorSpace(ColorProfiles.SRGB);
            }

            image.Strip();
            if (image.HasAlpha)
            {
                // PNG with transparency: JPEG has none, so flatten on white as the page's background.
                image.BackgroundColor = MagickColors.White;
                image.Alpha(AlphaAction.Remove);
            }

            image.Format = MagickFormat.Jpeg;
            image.Quality = Quality;
            image.Settings.Interlace = Interlace.Plane;
            using var large = image.Clone();
            Fit(large, LargeSide);
            using var thumbnail = large.Clone();
            Fit(thumbnail, ThumbnailSide);
            var largeBytes = large.ToByteArray();
            var thumbnailBytes = thumbnail.ToByteArray();
            var hash = Convert.ToHexStringLower(SHA256.HashData([.. largeBytes, .. thumbnailBytes]))[..16];
            return new PhotoSizes(thumbnailBytes, (int)thumbnail.Width, (int)thumbnail.Height, largeBytes, (int)large.Width, (int)large.Height, hash);
        }
        catch (MagickException)
        {
            throw new RuleException(NotAnImage, field);
        }
    }

    /// <summary>The decoded photo; read again in full if a decoder scaled it below the large size after all.</summary>
    private static MagickImage ReadAtLeastLarge(byte[] upload, MagickReadSettings settings, bool hinted, MagickFormat format)
    {
        var image = new MagickImage(upload, settings);
        if (hinted && Math.Max(image.Width, image.Height) < LargeSide)
        {
            image.Dispose();
            image = new MagickImage(upload, new MagickReadSettings { Format = format });
        }

        return image;
    }

    private static void Fit(IMagickImage<byte> image, int side)
    {
        if (image.Width > side || image.Height > side)
        {
            image.Resize(new MagickGeometry((uint)side, (uint)side));
        }

        image.Strip();
    }
}
