using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Loans;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>The catalogue: every unit, filtered by category, owner and text.</summary>
public sealed class IndexModel(ValDromeDb db, TimeProvider time, Weight.PageMemo memo) : PageModel
{
    public const int PageSize = 50;

    /// <summary>Owner filter value for the community's own units.</summary>
    public const string CommunityOwnerFilter = "communaute";

    public sealed record Row(int Id, string Name, string InventoryCode, string Category, string Owner, string? OwnerInsee, decimal DailyRate, UnitStatus Status)
    {
        /// <summary>The gallery's first photo, without its bytes (the browser fetches it lazily).</summary>
        public Thumbnail? Photo { get; init; }
    }

    public sealed record Thumbnail(int Id, string Hash, int Width, int Height);

    public sealed record Choice(string Value, string Label);

    [BindProperty(SupportsGet = true, Name = "categorie")]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true, Name = "proprietaire")]
    public string? Owner { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Text { get; set; }

    /// <summary>« Quand ? »: the first day wanted (<c>yyyy-MM-dd</c>).</summary>
    [BindProperty(SupportsGet = true, Name = "du")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "au")]
    public string? To { get; set; }

    /// <summary>Only the units free on those days.</summary>
    [BindProperty(SupportsGet = true, Name = "libres")]
    public bool OnlyFree { get; set; }

    public WhenFilter? When { get; private set; }

    /// <summary>With « Quand ? »: the units of the page free on those days.</summary>
    public IReadOnlySet<int> Free { get; private set; } = new HashSet<int>();

    [BindProperty(SupportsGet = true, Name = "p")]
    [Display(Name = "numéro de page")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Choice> Categories { get; private set; } = [];

    public IReadOnlyList<Choice> Owners { get; private set; } = [];

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public int Total { get; private set; }

    public bool MayAdd => Keepers.MayAdd(Account.ActorClaims.ToActor(User));

    public bool MayManageShared => Keepers.MayManageShared(Account.ActorClaims.ToActor(User));

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        // Kept until the data changes (ADR 28), like the listing below: signed-in visitors get no whole-page cache.
        var choices = await memo.GetAsync("equipment/index/choices", async ct => new Choices(
            await db.EquipmentCategories.OrderBy(c => c.Name).Select(c => new Choice(c.Code, c.Name)).ToListAsync(ct),
            [new Choice(CommunityOwnerFilter, EquipmentLabels.CommunityOwner),
                .. await db.Communes.OrderBy(c => c.Name).Select(c => new Choice(c.Insee, c.Name)).ToListAsync(ct)]),
            cancellationToken);
        Categories = choices.Categories;
        Owners = choices.Owners;

        Category = Blank(Category);
        Owner = Blank(Owner);
        Text = Blank(Text);
        if (Category is not null && Categories.All(c => c.Value != Category))
        {
            ModelState.AddModelError("categorie", $"La catégorie « {Category} » n'existe pas : choisissez-en une dans la liste.");
        }

        if (Owner is not null && Owners.All(o => o.Value != Owner))
        {
            ModelState.AddModelError("proprietaire", $"Le propriétaire « {Owner} » est inconnu : choisissez une commune dans la liste.");
        }

        if (Text is { Length: > 100 })
        {
            ModelState.AddModelError("q", "La recherche est limitée à 100 caractères.");
        }

        if (!WhenFilter.TryRead(From, To, time.Today(), out var when, out var whenError, out var whenField))
        {
            ModelState.AddModelError(whenField, whenError);
        }

        When = when;
        if (PageNumber < 1)
        {
            ModelState.AddModelError("p", "Le numéro de page doit être supérieur ou égal à 1.");
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var key = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"equipment/index|{Category}|{Owner}|{When?.First.DayNumber}|{When?.Last.DayNumber}|{OnlyFree}|{PageNumber}|{Text}");
        var listing = await memo.GetAsync(key, ListAsync, cancellationToken);
        Total = listing.Total;
        if (PageNumber > PageCount)
        {
            ModelState.AddModelError("p", PageCount == 1
                ? $"La page {PageNumber} n'existe pas : la liste tient sur une seule page."
                : $"La page {PageNumber} n'existe pas : la liste compte {PageCount} pages.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Rows = listing.Rows;
        Late = listing.Late;
        Free = listing.Free;
        return Page();
    }

    private sealed record Choices(IReadOnlyList<Choice> Categories, IReadOnlyList<Choice> Owners);

    private sealed record Listing(int Total, IReadOnlyList<Row> Rows, IReadOnlyDictionary<int, Domain.Maintenance.LateInspection> Late, IReadOnlySet<int> Free);

    /// <summary>The page of units the filters select, with what the page shows of each: one memo entry.</summary>
    private async Task<Listing> ListAsync(CancellationToken cancellationToken)
    {
        var units = db.EquipmentUnits.Where(u => u.Status != UnitStatus.Retired);
        if (Category is not null)
        {
            units = units.Where(u => u.Category.Code == Category);
        }

        if (Owner == CommunityOwnerFilter)
        {
            units = units.Where(u => u.OwnerCommuneId == null);
        }
        else if (Owner is not null)
        {
            units = units.Where(u => u.OwnerCommune!.Insee == Owner);
        }

        if (Text is not null)
        {
            // Accent- and case-insensitive: "barriere" finds "Barrières".
            var pattern = "%" + Text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            units = units.Where(u =>
                EF.Functions.ILike(EF.Functions.Unaccent(u.Name), EF.Functions.Unaccent(pattern))
                || EF.Functions.ILike(EF.Functions.Unaccent(u.Description), EF.Functions.Unaccent(pattern))
                || EF.Functions.ILike(EF.Functions.Unaccent(u.Category.Name), EF.Functions.Unaccent(pattern))
                || EF.Functions.ILike(u.InventoryCode, pattern));
        }

        if (When is not null && OnlyFree)
        {
            var candidates = await units.Select(u => u.Id).ToListAsync(cancellationToken);
            var free = (await FreeUnits.AmongAsync(db, candidates, When.First, When.Last, cancellationToken)).ToList();
            units = units.Where(u => free.Contains(u.Id));
        }

        var total = await units.CountAsync(cancellationToken);
        if (PageNumber > Math.Max(1, (total + PageSize - 1) / PageSize))
        {
            return new Listing(total, [], new Dictionary<int, Domain.Maintenance.LateInspection>(), new HashSet<int>());
        }

        var rows = await units
            .OrderBy(u => u.Category.Name).ThenBy(u => u.Name).ThenBy(u => u.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(u => new Row(
                u.Id, u.Name, u.InventoryCode, u.Category.Name,
                u.OwnerCommune != null ? u.OwnerCommune.Name : EquipmentLabels.CommunityOwner,
                u.OwnerCommune != null ? u.OwnerCommune.Insee : null,
                u.DailyRate, u.Status)
            {
                // In the same query (a lateral join): one round trip for the page, photos included.
                Photo = db.UnitPhotos.Where(p => p.UnitId == u.Id && p.FaultReportId == null).OrderBy(p => p.Position)
                    .Select(p => new Thumbnail(p.Id, p.Hash, p.ThumbnailWidth, p.ThumbnailHeight)).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var late = await Domain.Maintenance.Inspections.LateByUnitAsync(db, [.. rows.Select(r => r.Id)], time.Today(), cancellationToken);
        var freeOnPage = When is null
            ? new HashSet<int>()
            : await FreeUnits.AmongAsync(db, [.. rows.Select(r => r.Id)], When.First, When.Last, cancellationToken);
        return new Listing(total, rows, late, freeOnPage);
    }

    /// <summary>Units of the page whose inspection is past its date: not lendable, whatever their status says (ADR 18).</summary>
    public IReadOnlyDictionary<int, Domain.Maintenance.LateInspection> Late { get; private set; } = new Dictionary<int, Domain.Maintenance.LateInspection>();

    public DateOnly Today => time.Today();

    public string PageUrl(int page) =>
        QueryString.Create(new Dictionary<string, string?>
        {
            ["categorie"] = Category,
            ["proprietaire"] = Owner,
            ["q"] = Text,
            ["du"] = When?.First.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["au"] = When?.Last.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["libres"] = When is not null && OnlyFree ? "true" : null,
            ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Where(p => p.Value is not null)).ToString();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
