using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Communes;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>
/// Import of an owner's catalogue from a spreadsheet: the file is checked and previewed, then
/// written on confirmation. Between the two, the file's text travels in the form, protected (and
/// timed) by data protection together with who uploaded it for which owner, so the confirmation
/// writes exactly what was previewed, checked again.
/// </summary>
[Authorize]
public sealed class ImportModel(ValDromeDb db, IDataProtectionProvider protection) : PageModel
{
    private static readonly TimeSpan PreviewLifetime = TimeSpan.FromHours(1);

    [BindProperty(SupportsGet = true, Name = "commune")]
    public string? Commune { get; set; }

    public IReadOnlyList<UnitChoices.Choice> Owners { get; private set; } = [];

    public string? OwnerName { get; private set; }

    public ImportCheck? Check { get; private set; }

    public IReadOnlyList<ImportProblem> Problems { get; private set; } = [];

    /// <summary>The checked file, protected, for the confirmation.</summary>
    public string? Payload { get; private set; }

    public string? FileName { get; private set; }

    public bool ChoosesOwner { get; private set; }

    private ITimeLimitedDataProtector Protector =>
        protection.CreateProtector("ValDrome.Catalogue.Import").ToTimeLimitedDataProtector();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var (allowed, owner, known) = await OwnerAsync(cancellationToken);
        if (!allowed)
        {
            return Forbid();
        }

        await LoadAsync(known ? owner : null, known, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        var (allowed, owner, known) = await OwnerAsync(cancellationToken);
        if (!allowed)
        {
            return Forbid();
        }

        await LoadAsync(owner, known, cancellationToken);
        if (!known)
        {
            return Refuse(StatusCodes.Status400BadRequest, "Choisissez le propriétaire du matériel importé.");
        }

        if (file is null || file.Length == 0)
        {
            return Refuse(StatusCodes.Status400BadRequest, "Choisissez un fichier CSV (enregistré depuis le tableur, séparateur : point-virgule).");
        }

        if (file.Length > CatalogueImport.MaxBytes)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge,
                $"Ce fichier pèse {file.Length / 1024.0:N0} ko : {CatalogueImport.MaxBytes / 1024} ko au plus. Coupez-le en plusieurs fichiers.");
        }

        using var memory = new MemoryStream();
        await file.CopyToAsync(memory, cancellationToken);
        var text = CatalogueCsv.Decode(memory.ToArray());
        FileName = Path.GetFileName(file.FileName);
        Check = await CatalogueImport.CheckAsync(db, text, owner, cancellationToken);
        if (!Check.IsValid)
        {
            Problems = Check.Problems;
            Response.StatusCode = Check.WrongColumns ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status400BadRequest;
            return Page();
        }

        // Data protection dates the payload by the machine's clock: the preview lasts an hour of real time.
        Payload = Protector.Protect(Seal(owner, text), PreviewLifetime);
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(string? payload, CancellationToken cancellationToken)
    {
        var (allowed, owner, known) = await OwnerAsync(cancellationToken);
        if (!allowed)
        {
            return Forbid();
        }

        await LoadAsync(owner, known, cancellationToken);
        string? text = null;
        try
        {
            text = Unseal(Protector.Unprotect(payload ?? "", out _), owner);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
        }

        if (!known || text is null)
        {
            return Refuse(StatusCodes.Status400BadRequest, "Cet aperçu a expiré ou ne vaut pas pour ce propriétaire : chargez le fichier à nouveau.");
        }

        // Checked again: a category, a depot or a code may have changed since the preview.
        Check = await CatalogueImport.CheckAsync(db, text, owner, cancellationToken);
        if (!Check.IsValid)
        {
            Problems = Check.Problems;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (!await CatalogueImport.ApplyAsync(db, Check.Rows, owner, cancellationToken))
        {
            Check = null;
            return Refuse(StatusCodes.Status409Conflict,
                "Le catalogue vient de changer (un matériel modifié ou un code pris entre-temps) : rien n'a été importé. Chargez le fichier à nouveau.");
        }

        var added = Check.Rows.Count(r => r.ExistingUnitId is null);
        var updated = Check.Rows.Count - added;
        TempData["Message"] = $"Import terminé pour {OwnerName} : {added} matériel{(added > 1 ? "s" : "")} ajouté{(added > 1 ? "s" : "")}, {updated} mis à jour.";
        return Redirect("/materiel?proprietaire=" + Uri.EscapeDataString(owner?.Insee ?? IndexModel.CommunityOwnerFilter));
    }

    private string Seal(Commune? owner, string text) => $"{User.ToActor().UserId}\n{owner?.Insee ?? IndexModel.CommunityOwnerFilter}\n{text}";

    private string? Unseal(string sealedText, Commune? owner)
    {
        var prefix = $"{User.ToActor().UserId}\n{owner?.Insee ?? IndexModel.CommunityOwnerFilter}\n";
        return sealedText.StartsWith(prefix, StringComparison.Ordinal) ? sealedText[prefix.Length..] : null;
    }

    private PageResult Refuse(int status, string message)
    {
        Problems = [new ImportProblem(0, null, message)];
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>
    /// Whose catalogue: an agent's own commune; for staff and admins the commune of <see cref="Commune"/>
    /// or the community (« communaute »), unknown until they choose.
    /// </summary>
    private async Task<(bool Allowed, Commune? Owner, bool Known)> OwnerAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        ChoosesOwner = actor.IsStaff || actor.IsAdmin;
        var choice = string.IsNullOrWhiteSpace(Commune) ? null : Commune.Trim();
        if (!ChoosesOwner)
        {
            if (!actor.IsAgent)
            {
                return (false, null, false);
            }

            var own = await db.Communes.SingleAsync(c => c.Id == actor.CommuneId, cancellationToken);
            return (choice is null || choice == own.Insee, own, true);
        }

        if (choice is null)
        {
            return (true, null, false);
        }

        if (choice == IndexModel.CommunityOwnerFilter)
        {
            return (CatalogueImport.MayImport(actor, null), null, true);
        }

        var commune = await db.Communes.SingleOrDefaultAsync(c => c.Insee == choice && c.IsCurrentMember, cancellationToken);
        return commune is null ? (true, null, false) : (CatalogueImport.MayImport(actor, commune.Id), commune, true);
    }

    private async Task LoadAsync(Commune? owner, bool known, CancellationToken cancellationToken)
    {
        OwnerName = known ? owner?.Name ?? EquipmentLabels.CommunityOwner : null;
        Commune = known ? owner?.Insee ?? IndexModel.CommunityOwnerFilter : null;
        if (ChoosesOwner)
        {
            Owners = (await UnitChoices.LoadAsync(db, withOwners: true, cancellationToken)).Owners;
        }
    }
}
