using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ValDrome.Web.Pages;

/// <summary>The French page behind every error status (re-executed by the status code pages middleware).</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    /// <summary>Where a page puts the French sentence that says what was wrong with the request (see <see cref="ErrorPages.BadRequestPage"/>).</summary>
    public const string DetailKey = "ValDrome.ErrorDetail";

    public int Code { get; private set; }

    public string Title { get; private set; } = "";

    public string Explanation { get; private set; } = "";

    /// <summary>For a 401: the sign-in page, coming back to the address that was refused.</summary>
    public string? SignInUrl { get; private set; }

    public void OnGet(int? code) => Describe(code);

    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        Code = code ?? 500;
        (Title, Explanation) = Code switch
        {
            401 => ("Connexion requise", "Cette page est réservée aux personnes connectées : connectez-vous, vous y reviendrez ensuite."),
            404 => ("Page introuvable", "Cette adresse ne correspond à aucune page, aucun matériel ni aucune commune. Vérifiez le lien ou repartez du catalogue."),
            403 => ("Accès refusé", "Votre compte ne permet pas d'ouvrir cette page."),
            429 => ("Trop de tentatives", "Trop de tentatives de connexion depuis votre adresse. Patientez une minute avant de réessayer."),
            413 => ("Fichier trop volumineux", "Le fichier envoyé dépasse la taille permise : réduisez-le et réessayez. Rien n'a été enregistré."),
            400 => ("Requête invalide", "La demande n'a pas pu être comprise. Vérifiez les informations saisies."),
            _ when Code >= 500 => ("Erreur du service", "Une erreur inattendue s'est produite. Réessayez dans quelques instants ; si elle persiste, prévenez la communauté de communes."),
            _ => ("Erreur", "La demande n'a pas pu aboutir."),
        };
        if (Code == StatusCodes.Status401Unauthorized)
        {
            var refused = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is { } original
                ? original.OriginalPath + original.OriginalQueryString
                : "/";
            SignInUrl = "/connexion" + QueryString.Create("ReturnUrl", refused);
        }

        if (HttpContext.Items[DetailKey] is string detail)
        {
            Explanation = detail;
        }

        // A direct visit to /erreur/404 keeps the status it describes.
        if (HttpContext.Response.StatusCode == StatusCodes.Status200OK && Code is >= 400 and < 600)
        {
            HttpContext.Response.StatusCode = Code;
        }
    }
}
