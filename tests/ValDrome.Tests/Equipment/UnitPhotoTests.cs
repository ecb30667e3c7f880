using System.Net;
using ImageMagick;
using Microsoft.EntityFrameworkCore;
using ValDrome.Tests.Support;
using ValDrome.Web.Pages.Equipment;

namespace ValDrome.Tests.Equipment;

/// <summary>Issue 11: a unit's photos, over HTTP on a real PostGIS: what is stored, what is refused, who may, and how they are served.</summary>
public sealed class UnitPhotoTests(MarketSite site) : IClassFixture<MarketSite>
{
    private const string Saved = "saved";
    private const string Refused = "refused";
    private const string SignIn = "sign-in";

    private static string Outcome(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.Redirect when location.Contains("/connexion", StringComparison.Ordinal) => SignIn,
            HttpStatusCode.Redirect when location.Contains("/acces-refuse", StringComparison.Ordinal) => Refused,
            HttpStatusCode.Redirect when location.StartsWith("/materiel", StringComparison.Ordinal) => Saved,
            _ => $"{(int)response.StatusCode} {location}",
        };
    }

    private async Task<HttpResponseMessage> AddPhotoAsync(string? user, int unitId, byte[] file, string fileName = "photo.jpg", string contentType = "image/jpeg")
    {
        var client = user is null ? site.App.Client() : await site.As(user);
        return await PhotoUploads.PostAsync(client, "/materiel", $"/materiel/{unitId}/modifier?handler=AddPhoto",
            PhotoUploads.Version(await PhotoUploads.EditVersionAsync(site.Database, unitId)), file, fileName: fileName, contentType: contentType);
    }

    [Fact]
    public async Task A_phone_JPEG_is_stored_upright_in_two_sizes_without_its_EXIF_and_GPS_position()
    {
        var unitId = await Make.UnitIdAsync(site.Database, "26144-BN-01");
        var upload = PhotoUploads.PhoneJpegWithGps();
        using (var sent = new MagickImage(upload))
        {
            // What is sent is what a phone sends: turned by EXIF, with a position.
            Assert.Equal(Orientation.RightTop, sent.Orientation);
            Assert.Equal((800u, 400u), (sent.Width, sent.Height));
            Assert.NotNull(sent.GetExifProfile()?.GetValue(ExifTag.GPSLatitude));
        }

        using var response = await AddPhotoAsync("mairie-26144", unitId, upload);

        Assert.Equal(Saved, Outcome(response));
        await using var db = site.Database.CreateDb();
        var photo = await db.UnitPhotos.SingleAsync(p => p.UnitId == unitId);
        foreach (var (bytes, width, height) in new[] { (photo.Large, 400, 800), (photo.Thumbnail, 160, 320) })
        {
            using var image = new MagickImage(bytes);
            Assert.Equal(MagickFormat.Jpeg, image.Format);
            Assert.Null(image.GetExifProfile());
            Assert.Empty(image.ProfileNames);
            Assert.DoesNotContain("GPS"u8.ToArray(), Chunks(bytes));
            // Upright: the camera's 800 × 400 turned a quarter clockwise, its red left half now on top.
            Assert.Equal((uint)width, image.Width);
            Assert.Equal((uint)height, image.Height);
            using var pixels = image.GetPixels();
            var top = pixels.GetPixel(width / 2, height / 10)!.ToColor()!;
            var bottom = pixels.GetPixel(width / 2, height * 9 / 10)!.ToColor()!;
            Assert.True(top.R > 200 && top.B < 60, $"top should be red: {top}");
            Assert.True(bottom.B > 200 && bottom.R < 60, $"bottom should be blue: {bottom}");
        }

        Assert.Equal((400, 800, 160, 320), (photo.LargeWidth, photo.LargeHeight, photo.ThumbnailWidth, photo.ThumbnailHeight));
    }

    /// <summary>Every 3-byte window of the file, so that a "GPS" tag name anywhere in it is found.</summary>
    private static IEnumerable<byte[]> Chunks(byte[] bytes)
    {
        for (var i = 0; i + 3 <= bytes.Length; i++)
        {
            if (bytes[i] == (byte)'G' && bytes[i + 1] == (byte)'P' && bytes[i + 2] == (byte)'S')
            {
                yield return "GPS"u8.ToArray();
            }
        }
    }

    [Fact]
    public async Task A_PNG_is_accepted_and_stored_as_JPEG_on_white()
    {
        var unitId = await Make.UnitIdAsync(site.Database, "26144-BP-01");

        using var response = await AddPhotoAsync("mairie-26144", unitId, PhotoUploads.Png(), "plan.png", "image/png");

        Assert.Equal(Saved, Outcome(response));
        await using var db = site.Database.CreateDb();
        var photo = await db.UnitPhotos.SingleAsync(p => p.UnitId == unitId);
        using var image = new MagickImage(photo.Large);
        Assert.Equal(MagickFormat.Jpeg, image.Format);
        Assert.Equal((300u, 200u), (image.Width, image.Height));
        using var pixels = image.GetPixels();
        var corner = pixels.GetPixel(250, 150)!.ToColor()!;
        Assert.True(corner.R > 240 && corner.G > 240 && corner.B > 240, $"transparency should be white: {corner}");
    }

    public static TheoryData<string, byte[]> NotImages => new()
    {
        { "texte", "ceci n'est pas une photo"u8.ToArray() },
        { "JPEG tronqué", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 2, 3] },
        { "PNG vide", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0] },
        { "PDF", "%PDF-1.7\n%âãÏÓ\n1 0 obj"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(NotImages))]
    public async Task Bytes_that_are_not_a_photo_are_refused_in_French_and_nothing_is_written(string what, byte[] bytes)
    {
        var unitId = await Make.UnitIdAsync(site.Database, "26144-PV-01");
        var before = (await PhotoUploads.PhotoCountAsync(site.Database, unitId), await PhotoUploads.EditVersionAsync(site.Database, unitId));

        using var response = await AddPhotoAsync("mairie-26144", unitId, bytes);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, what);
        Assert.Contains("n'est pas une photo lisible", await response.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(before, (await PhotoUploads.PhotoCountAsync(site.Database, unitId), await PhotoUploads.EditVersionAsync(site.Database, unitId)));
    }

    [Theory]
    [InlineData(10 * 1024 * 1024 + 1)] // just beyond the photo limit: the page's own check
    [InlineData(12 * 1024 * 1024)] // beyond the request's limit too: refused before the form is read
    public async Task A_photo_beyond_the_size_limit_gets_the_French_413_page_and_nothing_is_written(int size)
    {
        var unitId = await Make.UnitIdAsync(site.Database, "26144-PV-01");
        var before = (await PhotoUploads.PhotoCountAsync(site.Database, unitId), await PhotoUploads.EditVersionAsync(site.Database, unitId));
        var bytes = new byte[size];
        PhotoUploads.PhoneJpegWithGps().CopyTo(bytes, 0);

        using var response = await AddPhotoAsync("mairie-26144", unitId, bytes);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var text = await response.TextAsync();
        Assert.Contains("La photo dépasse 10 Mo", text, StringComparison.Ordinal);
        Assert.Contains("Rien n'a été enregistré", text, StringComparison.Ordinal);
        Assert.Equal(before, (await PhotoUploads.PhotoCountAsync(site.Database, unitId), await PhotoUploads.EditVersionAsync(site.Database, unitId)));
    }

    [Fact]
    public async Task A_new_unit_with_an_oversize_photo_gets_the_413_page_and_is_not_created()
    {
        await using var db = site.Database.CreateDb();
        var point = await db.Communes.Where(c => c.Insee == "26144").Select(c => c.ReferencePoint).SingleAsync();
        var category = await db.EquipmentCategories.Where(c => c.Code == "remorque").Select(c => c.Id).SingleAsync();
        var fields = new Dictionary<string, string>
        {
            ["Form.InventoryCode"] = "T-PHOTO-413",
            ["Form.Name"] = "Remorque trop photographiée",
            ["Form.CategoryId"] = category.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Form.DailyRate"] = "15",
            ["Form.Deposit"] = "0",
            ["Form.Transport"] = "None",
            ["Form.InService"] = "true",
            ["Form.Home"] = "Mairie",
        };

        using var response = await PhotoUploads.PostAsync(await site.As("mairie-26144"), "/materiel", "/materiel/nouveau", fields, new byte[11 * 1024 * 1024]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("La photo dépasse", await response.TextAsync(), StringComparison.Ordinal);
        Assert.False(await db.EquipmentUnits.AnyAsync(u => u.InventoryCode == "T-PHOTO-413"));

        // The same unit with a real photo is created with it.
        using var created = await PhotoUploads.PostAsync(await site.As("mairie-26144"), "/materiel", "/materiel/nouveau", fields, PhotoUploads.PhoneJpegWithGps());
        Assert.Equal(Saved, Outcome(created));
        Assert.Equal(1, await db.UnitPhotos.CountAsync(p => p.Unit.InventoryCode == "T-PHOTO-413"));
    }

    [Theory]
    [InlineData("mairie-26144", "26144-BR-01", Saved)] // the owner commune's agent
    [InlineData("mairie-26185", "26144-BR-01", Refused)] // another commune's agent
    [InlineData("staff", "26144-BR-01", Refused)] // a commune's unit is the commune's
    [InlineData("technicien", "26144-BR-01", Refused)]
    [InlineData("admin", "26144-BR-01", Saved)]
    [InlineData(null, "26144-BR-01", SignIn)]
    [InlineData("mairie-26144", "CCVD-RE-01", Refused)] // the community's unit
    [InlineData("staff", "CCVD-RE-01", Saved)]
    [InlineData("technicien", "CCVD-RE-01", Refused)]
    [InlineData(null, "CCVD-RE-01", SignIn)]
    public async Task Who_may_add_and_delete_a_unit_s_photos(string? user, string unitCode, string expected)
    {
        var unitId = await Make.UnitIdAsync(site.Database, unitCode);
        var before = await PhotoUploads.PhotoCountAsync(site.Database, unitId);

        using (var added = await AddPhotoAsync(user, unitId, PhotoUploads.Png(64, 48), "p.png", "image/png"))
        {
            Assert.Equal(expected, Outcome(added));
        }

        Assert.Equal(before + (expected == Saved ? 1 : 0), await PhotoUploads.PhotoCountAsync(site.Database, unitId));

        // Deleting a photo that is there (added by an admin when this user could not).
        using (var admin = await AddPhotoAsync("admin", unitId, PhotoUploads.Png(64, 48), "p.png", "image/png"))
        {
            Assert.Equal(Saved, Outcome(admin));
        }

        await using var db = site.Database.CreateDb();
        var photoId = await db.UnitPhotos.Where(p => p.UnitId == unitId).OrderByDescending(p => p.Id).Select(p => p.Id).FirstAsync();
        var count = await PhotoUploads.PhotoCountAsync(site.Database, unitId);
        var client = user is null ? site.App.Client() : await site.As(user);
        var fields = PhotoUploads.Version(await PhotoUploads.EditVersionAsync(site.Database, unitId));
        fields["PhotoId"] = photoId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var deleted = await PhotoUploads.PostAsync(client, "/materiel", $"/materiel/{unitId}/modifier?handler=DeletePhoto", fields, null);

        Assert.Equal(expected, Outcome(deleted));
        Assert.Equal(count - (expected == Saved ? 1 : 0), await PhotoUploads.PhotoCountAsync(site.Database, unitId));
    }

    [Fact]
    public async Task Photos_are_ordered_and_the_first_one_is_the_catalogue_s_thumbnail()
    {
        var unitId = await Make.UnitIdAsync(site.Database, "26165-BN-01");
        (await AddPhotoAsync("mairie-26165", unitId, PhotoUploads.Png(100, 50), "a.png", "image/png")).Dispose();
        (await AddPhotoAsync("mairie-26165", unitId, PhotoUploads.Png(60, 50), "b.png", "image/png")).Dispose();
        await using var db = site.Database.CreateDb();
        var ids = await db.UnitPhotos.Where(p => p.UnitId == unitId).OrderBy(p => p.Position).Select(p => p.Id).ToListAsync();
        Assert.Equal(2, ids.Count);

        var fields = PhotoUploads.Version(await PhotoUploads.EditVersionAsync(site.Database, unitId));
        fields["PhotoId"] = ids[1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        fields["Direction"] = "avant";
        using var moved = await PhotoUploads.PostAsync(await site.As("mairie-26165"), "/materiel", $"/materiel/{unitId}/modifier?handler=MovePhoto", fields, null);

        Assert.Equal(Saved, Outcome(moved));
        var order = await db.UnitPhotos.AsNoTracking().Where(p => p.UnitId == unitId).OrderBy(p => p.Position).Select(p => p.Id).ToListAsync();
        Assert.Equal([ids[1], ids[0]], order);
        var first = await db.UnitPhotos.AsNoTracking().SingleAsync(p => p.Id == ids[1]);
        using var catalogue = await site.App.Client().GetAsync("/materiel?proprietaire=26165");
        var html = await catalogue.Content.ReadAsStringAsync();
        Assert.Contains($"src=\"/materiel/{unitId}/photos/{ids[1]}/miniature?v={first.Hash}\" width=\"{first.ThumbnailWidth}\" height=\"{first.ThumbnailHeight}\" loading=\"lazy\"", html, StringComparison.Ordinal);
        using var page = await site.App.Client().GetAsync($"/materiel/{unitId}");
        Assert.Contains($"/materiel/{unitId}/photos/{ids[1]}/grande?v={first.Hash}", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Of_two_changes_made_from_the_same_page_one_wins_and_the_other_gets_a_409()
    {
        var unitId = await Make.UnitIdAsync(site.Database, "26165-BN-02");
        var version = PhotoUploads.Version(await PhotoUploads.EditVersionAsync(site.Database, unitId));
        var agent = await site.As("mairie-26165");
        var admin = await site.As("admin");

        var responses = await Task.WhenAll(
            PhotoUploads.PostAsync(agent, "/materiel", $"/materiel/{unitId}/modifier?handler=AddPhoto", version, PhotoUploads.Png(80, 60), fileName: "a.png", contentType: "image/png"),
            PhotoUploads.PostAsync(admin, "/materiel", $"/materiel/{unitId}/modifier?handler=AddPhoto", version, PhotoUploads.Png(90, 60), fileName: "b.png", contentType: "image/png"));

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order().ToList());
        Assert.Contains("vient d'être modifié", await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).TextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await PhotoUploads.PhotoCountAsync(site.Database, unitId));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_photo_is_served_with_a_strong_ETag_cached_for_a_year_under_its_hash_and_304_when_unchanged()
    {
        var unitId = await Make.UnitIdAsync(site.Database, "26165-BP-01");
        (await AddPhotoAsync("mairie-26165", unitId, PhotoUploads.PhoneJpegWithGps())).Dispose();
        await using var db = site.Database.CreateDb();
        var photo = await db.UnitPhotos.SingleAsync(p => p.UnitId == unitId);
        var anonymous = site.App.Client();

        using var versioned = await anonymous.GetAsync(UnitPhotos.Url(unitId, photo.Id, photo.Hash, UnitPhotos.LargeSize));
        Assert.Equal(HttpStatusCode.OK, versioned.StatusCode);
        Assert.Equal("image/jpeg", versioned.Content.Headers.ContentType?.MediaType);
        Assert.Equal(photo.Large, await versioned.Content.ReadAsByteArrayAsync());
        var etag = versioned.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.Equal("public, max-age=31536000, immutable", versioned.Headers.CacheControl?.ToString().Replace(",", ", ", StringComparison.Ordinal).Replace(",  ", ", ", StringComparison.Ordinal));

        using var unversioned = await anonymous.GetAsync($"/materiel/{unitId}/photos/{photo.Id}/miniature");
        Assert.Equal(photo.Thumbnail, await unversioned.Content.ReadAsByteArrayAsync());
        Assert.True(unversioned.Headers.CacheControl!.NoCache);
        Assert.NotEqual(etag, unversioned.Headers.ETag);

        using var request = new HttpRequestMessage(HttpMethod.Get, UnitPhotos.Url(unitId, photo.Id, photo.Hash, UnitPhotos.LargeSize));
        request.Headers.IfNoneMatch.Add(etag);
        using var revalidated = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());

        using var wrongUnit = await anonymous.GetAsync($"/materiel/{unitId + 1}/photos/{photo.Id}/grande");
        Assert.Equal(HttpStatusCode.NotFound, wrongUnit.StatusCode);
        using var wrongSize = await anonymous.GetAsync($"/materiel/{unitId}/photos/{photo.Id}/originale");
        Assert.Equal(HttpStatusCode.NotFound, wrongSize.StatusCode);
    }
}
