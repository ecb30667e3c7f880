using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Equipment;

/// <summary><c>ValDrome:Photos</c>: how large an uploaded photo may be.</summary>
public sealed class PhotoOptions
{
    public const string Section = "ValDrome:Photos";

    /// <summary>Room for the form's other fields around the photo in a request.</summary>
    public const long FormAllowance = 256 * 1024;

    /// <summary>Largest photo file accepted (10 MB by default): a phone's photo is 2 to 6 MB.</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    public string TooLarge => $"La photo dépasse {Megabytes(MaxBytes)}, la taille permise : choisissez une taille plus petite sur le téléphone (« moyenne » suffit) ou réduisez-la, puis réessayez. Rien n'a été enregistré.";

    private static string Megabytes(long bytes) =>
        (bytes / (1024d * 1024)).ToString("0.#", FrenchCulture.Instance) + "\u00a0Mo";
}

/// <summary>Where a unit's photos are served, and who may read them.</summary>
public static class UnitPhotos
{
    public const string ThumbnailSize = "miniature";

    public const string LargeSize = "grande";

    /// <summary>The photo's URL, versioned by its hash: what it names never changes, so browsers keep it for a year.</summary>
    public static string Url(int unitId, int photoId, string hash, string size) =>
        $"/materiel/{unitId}/photos/{photoId}/{size}?v={hash}";

    /// <summary>
    /// Bodies of the catalogue's forms (/materiel…) are held to the photo limit before anything reads
    /// them (the NUL guard reads every form): too large is the French 413 page, and nothing is written.
    /// </summary>
    public static IApplicationBuilder UsePhotoUploadLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (!HttpMethods.IsPost(request.Method) || !request.Path.StartsWithSegments("/materiel", StringComparison.OrdinalIgnoreCase)
                || context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null)
            {
                await next(context);
                return;
            }

            var options = context.RequestServices.GetRequiredService<IOptions<PhotoOptions>>().Value;
            var limit = options.MaxBytes + PhotoOptions.FormAllowance;
            if (request.ContentLength > limit)
            {
                await RefuseAsync(context, options);
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limit;
            }

            if (request.HasFormContentType)
            {
                context.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = limit }));
                try
                {
                    await request.ReadFormAsync(context.RequestAborted);
                }
                catch (Exception e) when (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                    || (e is InvalidDataException && e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)))
                {
                    await RefuseAsync(context, options);
                    return;
                }
                catch (InvalidDataException)
                {
                    // Anything else the reader refuses (a NUL, a broken multipart body) is the NUL guard's to answer.
                }
            }

            await next(context);
        });

    private static Task RefuseAsync(HttpContext context, PhotoOptions options)
    {
        context.Items[ErrorModel.DetailKey] = options.TooLarge;
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        // The client may still be sending: tell it the connection ends here rather than read megabytes for nothing.
        context.Response.Headers.Connection = "close";
        return Task.CompletedTask;
    }

    /// <summary>The French 413 page for a file beyond the limit (the request itself was within it).</summary>
    public static IActionResult TooLarge(PageModel page, PhotoOptions options)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(options);
        page.HttpContext.Items[ErrorModel.DetailKey] = options.TooLarge;
        return page.StatusCode(StatusCodes.Status413PayloadTooLarge);
    }

    /// <summary>The uploaded file's two sizes; a French <see cref="RuleException"/> on <paramref name="field"/> when it is empty or no photo.</summary>
    public static async Task<PhotoSizes> ResizeAsync(IFormFile file, string field, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length == 0)
        {
            throw new RuleException("Le fichier envoyé est vide : choisissez une photo.", field);
        }

        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }

        // ImageMagick works on the thread: keep the request's thread pool free for others meanwhile.
        return await Task.Run(() => PhotoResizer.Resize(bytes, field), cancellationToken);
    }

    public static IEndpointRouteBuilder MapUnitPhotos(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/materiel/{unitId:int}/photos/{photoId:int}/{size}", ServeAsync);
        return endpoints;
    }

    /// <summary>
    /// A gallery photo is as public as the unit's page (every unit's page is, retired ones included);
    /// a fault report's photo only to those who see the report. Strong ETag from the content's hash.
    /// </summary>
    private static async Task<IResult> ServeAsync(int unitId, int photoId, string size, string? v, HttpContext context, ValDromeDb db, CancellationToken cancellationToken)
    {
        if (size is not (ThumbnailSize or LargeSize))
        {
            return Results.NotFound();
        }

        var photo = await db.UnitPhotos.Where(p => p.Id == photoId && p.UnitId == unitId)
            .Select(p => new
            {
                p.Hash,
                p.FaultReportId,
                OwnerCommuneId = db.EquipmentUnits.Where(u => u.Id == p.UnitId).Select(u => u.OwnerCommuneId).Single(),
                ReporterCommuneId = p.FaultReport != null ? p.FaultReport.ReporterCommuneId : null,
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (photo is null
            || (photo.FaultReportId is not null && !FaultReports.MaySee(context.User.ToActor(), photo.OwnerCommuneId, photo.ReporterCommuneId)))
        {
            return Results.NotFound();
        }

        var isPublic = photo.FaultReportId is null;
        var headers = context.Response.GetTypedHeaders();
        var etag = new EntityTagHeaderValue($"\"{photo.Hash}-{(size == ThumbnailSize ? "m" : "g")}\"");
        headers.ETag = etag;
        context.Response.Headers.CacheControl = (isPublic, v == photo.Hash) switch
        {
            (true, true) => "public, max-age=31536000, immutable",
            (true, false) => "public, no-cache",
            (false, true) => "private, max-age=31536000, immutable",
            (false, false) => "private, no-cache",
        };
        if (!isPublic)
        {
            context.Response.Headers.Vary = "Cookie";
        }

        if (context.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } ifNoneMatch
            && ifNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: true)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var bytes = size == ThumbnailSize
            ? await db.UnitPhotos.Where(p => p.Id == photoId).Select(p => p.Thumbnail).SingleAsync(cancellationToken)
            : await db.UnitPhotos.Where(p => p.Id == photoId).Select(p => p.Large).SingleAsync(cancellationToken);
        return Results.Bytes(bytes, "image/jpeg");
    }
}
