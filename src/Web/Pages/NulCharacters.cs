namespace ValDrome.Web.Pages;

/// <summary>
/// PostgreSQL text cannot hold the NUL character (U+0000): a <c>%00</c> in a query string or a
/// form field would reach it as an error and a 500. No field of the site has a use for it, so it
/// is refused at the door, before any handler, with the French 400 page.
/// </summary>
public static class NulCharacters
{
    public const string Refusal = "La demande contient un caractère nul (U+0000), qu'aucun champ n'accepte : retirez-le et réessayez.";

    public static IApplicationBuilder UseNulCharacterRefusal(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            // The error page re-executed for this very refusal must not be refused again.
            if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null && await HasNulAsync(context.Request))
            {
                context.Items[ErrorModel.DetailKey] = Refusal;
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            await next(context);
        });

    private static async Task<bool> HasNulAsync(HttpRequest request)
    {
        // The GIS layer refuses a NUL itself, in the application/problem+json its clients read.
        if (request.Path.StartsWithSegments("/ogc", StringComparison.OrdinalIgnoreCase) || request.Path.StartsWithSegments("/tiles", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (request.Path.Value?.Contains('\0', StringComparison.Ordinal) == true
            || request.Query.Any(q => q.Key.Contains('\0', StringComparison.Ordinal) || q.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true)))
        {
            return true;
        }

        if (!request.HasFormContentType)
        {
            return false;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException)
        {
            // The form reader itself refuses a NUL (« The form value contains invalid characters »).
            return true;
        }

        return form.Any(f => f.Key.Contains('\0', StringComparison.Ordinal) || f.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true));
    }
}
