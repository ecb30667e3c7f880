using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ImageMagick;
using ImageMagick.Drawing;
using Microsoft.EntityFrameworkCore;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Equipment;

/// <summary>Test photos made in code (no binary in the repository), and multipart posts with the page's antiforgery token.</summary>
internal static partial class PhotoUploads
{
    /// <summary>
    /// A camera's JPEG as it leaves a phone held upright: stored 800 × 400 (left half red, right
    /// half blue), EXIF orientation 6 (turn 90° clockwise to show), and a GPS position.
    /// </summary>
    public static byte[] PhoneJpegWithGps()
    {
        using var image = new MagickImage(MagickColors.Blue, 800, 400);
        image.Draw(new DrawableFillColor(MagickColors.Red), new DrawableRectangle(0, 0, 399, 399));
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.Orientation, (ushort)6);
        exif.SetValue(ExifTag.GPSLatitudeRef, "N");
        exif.SetValue(ExifTag.GPSLatitude, [new Rational(44), new Rational(45), new Rational(12.5)]);
        exif.SetValue(ExifTag.GPSLongitudeRef, "E");
        exif.SetValue(ExifTag.GPSLongitude, [new Rational(5), new Rational(2), new Rational(30)]);
        exif.SetValue(ExifTag.Make, "Téléphone d'essai");
        image.SetProfile(exif);
        image.Orientation = Orientation.RightTop;
        image.Format = MagickFormat.Jpeg;
        return image.ToByteArray();
    }

    /// <summary>A PNG with transparency (a scanned drawing, a screenshot).</summary>
    public static byte[] Png(uint width = 300, uint height = 200)
    {
        using var image = new MagickImage(MagickColors.Transparent, width, height);
        image.Draw(new DrawableFillColor(MagickColors.Green), new DrawableRectangle(10, 10, 100, 100));
        image.Format = MagickFormat.Png;
        return image.ToByteArray();
    }

    public static async Task<HttpResponseMessage> PostAsync(
        HttpClient client, string tokenPage, string postUrl, Dictionary<string, string> fields,
        byte[]? file, string fileField = "Photo", string fileName = "photo.jpg", string contentType = "image/jpeg")
    {
        using var multipart = new MultipartFormDataContent();
        if (tokenPage is not null && await TokenAsync(client, tokenPage) is { } token)
        {
            multipart.Add(new StringContent(token), "__RequestVerificationToken");
        }

        foreach (var (name, value) in fields)
        {
            multipart.Add(new StringContent(value), name);
        }

        if (file is not null)
        {
            var content = new ByteArrayContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            multipart.Add(content, fileField, fileName);
        }

        return await client.PostAsync(postUrl, multipart);
    }

    private static async Task<string?> TokenAsync(HttpClient client, string pageUrl)
    {
        using var page = await client.GetAsync(pageUrl);
        var match = Token().Match(await page.Content.ReadAsStringAsync());
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    public static async Task<int> EditVersionAsync(TestDatabase database, int unitId)
    {
        await using var db = database.CreateDb();
        return await db.EquipmentUnits.Where(u => u.Id == unitId).Select(u => u.EditVersion).SingleAsync();
    }

    public static async Task<int> PhotoCountAsync(TestDatabase database, int unitId)
    {
        await using var db = database.CreateDb();
        return await db.UnitPhotos.CountAsync(p => p.UnitId == unitId);
    }

    public static Dictionary<string, string> Version(int version) => new() { ["Version"] = version.ToString(CultureInfo.InvariantCulture) };

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
