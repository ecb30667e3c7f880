using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Notices;
using ValDrome.Geo.Encoding;
using ValDrome.Geo.Spatial;
using ValDrome.Jobs.Notices;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Loans;

/// <summary>
/// « J'ai besoin de… »: a commune's agent names a kind of unit (or one unit) and whole days; the
/// page proposes the nearest available units, then books the one chosen.
/// </summary>
[Authorize(Roles = Roles.Agent)]
public sealed class RequestModel(ValDromeDb db, TimeProvider time, IOptions<MarketplaceOptions> options, NoticeDispatch notices, Weight.PageMemo memo) : PageModel
{
    public sealed class RequestForm
    {
        [Display(Name = "catégorie")]
        public string? Categorie { get; set; }

        [Display(Name = "matériel")]
        public int? Materiel { get; set; }

        [Display(Name = "premier jour")]
        public DateOnly? Du { get; set; }

        [Display(Name = "dernier jour")]
        public DateOnly? Au { get; set; }

        [Display(Name = "usage prévu")]
        [StringLength(500, ErrorMessage = "L'usage prévu est limité à 500 caractères.")]
        public string? Usage { get; set; }
    }

    public sealed record Proposal(int Rank, AvailableUnit Unit, LoanPricing Pricing)
    {
        /// <summary>The licence it asks for and who carries it.</summary>
        public UnitNeeds? Needs { get; init; }
    }

    public sealed record Choice(string Value, string Label);

    [BindProperty(SupportsGet = true)]
    public RequestForm Form { get; set; } = new();

    /// <summary>The unit chosen among the proposals (POST only).</summary>
    [BindProperty]
    [Display(Name = "matériel choisi")]
    public int UnitId { get; set; }

    public IReadOnlyList<Choice> Categories { get; private set; } = [];

    public string BorrowerName { get; private set; } = "";

    public string? SpecificUnitName { get; private set; }

    /// <summary>The unit asked for by name is taken on those days: the proposals are the other free units of its kind.</summary>
    public bool SpecificUnitBusy { get; private set; }

    public IReadOnlyList<Proposal>? Proposals { get; private set; }

    public double RadiusKm => options.Value.SearchRadiusKm;

    public string? MapGeoJson { get; private set; }

    public DateOnly Today => time.Today();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadChoicesAsync(cancellationToken);
        if (Form.Categorie is null && Form.Materiel is null)
        {
            return Page();
        }

        var category = await ResolveCategoryAsync(cancellationToken);
        if (category is not null && Form.Du is null && Form.Au is null && ModelState.IsValid)
        {
            // « Demander ce matériel » with no days yet: the form to fill in, not a page of errors.
            return Page();
        }

        if (category is null || !CheckForm(category))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await ProposeAsync(category, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        await LoadChoicesAsync(cancellationToken);
        var unit = await db.EquipmentUnits.Include(u => u.Category)
            .SingleOrDefaultAsync(u => u.Id == UnitId, cancellationToken);
        if (unit is null)
        {
            ModelState.AddModelError(nameof(UnitId), "Ce matériel n'existe pas.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Form.Categorie = unit.Category.Code;
        if (!ModelState.IsValid || !CheckForm(unit.Category))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // Said plainly rather than « taken »: the availability query leaves it out for the same reason (ADR 18).
        if (await Domain.Maintenance.Inspections.LateAsync(db, unit.Id, time.Today(), cancellationToken) is { } late)
        {
            ModelState.AddModelError(nameof(UnitId), $"Ce matériel ne peut pas être prêté : {late.Describe(time.Today())}, jusqu'à ce qu'elle soit faite.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await ProposeAsync(unit.Category, cancellationToken);
            return Page();
        }

        var borrower = await db.Communes.SingleAsync(c => c.Id == actor.CommuneId, cancellationToken);
        var available = await NearestAvailable.FindAsync(db, Query(unit.Category, borrower.ReferencePoint, unit.Id), cancellationToken);
        Loan loan;
        try
        {
            // The rules first (own unit, past day, too long…), then availability.
            loan = Loan.Request(unit, borrower, Form.Du!.Value, Form.Au!.Value, Form.Usage ?? "", actor,
                time.GetUtcNow(), options.Value.Window(time.Today()), available.Count > 0 ? available[0].DistanceMetres : 0, options.Value.TransportRatePerKm);
        }
        catch (RuleException e)
        {
            ModelState.AddModelError(FieldKey(e.Field), e.Message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await ProposeAsync(unit.Category, cancellationToken);
            return Page();
        }

        if (available.Count == 0)
        {
            return await TakenAsync(unit.Category, cancellationToken);
        }

        db.Loans.Add(loan);
        var notice = LoanNotices.Requested(loan, time.GetUtcNow());
        db.Notices.Add(notice);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (loan.Status == LoanStatus.Requested && await PendingCapReachedAsync(borrower.Id, unit.Category, cancellationToken))
            {
                db.ChangeTracker.Clear();
                return await CappedAsync(unit.Category, cancellationToken);
            }

            if (!await LoanStore.TrySaveBookingAsync(db, cancellationToken))
            {
                return await TakenAsync(unit.Category, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        notices.Enqueue(notice);
        TempData["Message"] = loan.Status == LoanStatus.Approved
            ? "Demande enregistrée et approuvée automatiquement."
            : "Demande enregistrée : le propriétaire va y répondre.";
        return Redirect($"/prets/{loan.Id}");
    }

    /// <summary>
    /// Whether the borrower already has as many requests of this category waiting as it may.
    /// Requests of one commune for one category take a transaction lock first, so that twenty
    /// requests in the same second are counted one after the other, never all against the same count.
    /// </summary>
    private async Task<bool> PendingCapReachedAsync(int borrowerId, EquipmentCategory category, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({borrowerId}, {category.Id})", cancellationToken);
        var pending = await db.Loans.CountAsync(
            l => l.BorrowerCommuneId == borrowerId && l.Status == LoanStatus.Requested && l.Unit.CategoryId == category.Id, cancellationToken);
        return pending >= options.Value.MaxPendingPerCategory;
    }

    private async Task<IActionResult> CappedAsync(EquipmentCategory category, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxPendingPerCategory;
        ModelState.AddModelError(nameof(UnitId),
            $"Votre commune a déjà {max} demande{(max > 1 ? "s" : "")} de « {category.Name.ToLowerInvariant()} » en attente de réponse : "
            + "attendez la décision des propriétaires, ou annulez l'une d'elles, avant d'en faire une autre.");
        Response.StatusCode = StatusCodes.Status409Conflict;
        await ProposeAsync(category, cancellationToken);
        return Page();
    }

    private async Task<IActionResult> TakenAsync(EquipmentCategory category, CancellationToken cancellationToken)
    {
        ModelState.AddModelError(nameof(UnitId),
            "Ce matériel vient d'être réservé sur ces dates par une autre demande. Voici les autres matériels disponibles, du plus proche au plus éloigné.");
        Response.StatusCode = StatusCodes.Status409Conflict;
        Form.Materiel = null;
        await ProposeAsync(category, cancellationToken);
        return Page();
    }

    private async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        // Kept until the data changes (ADR 28): the page is read far more often than communes and categories change.
        var choices = await memo.GetAsync($"loans/request/choices|{actor.CommuneId}", async ct => new Choices(
            await db.Communes.Where(c => c.Id == actor.CommuneId).Select(c => c.Name).SingleAsync(ct),
            await db.EquipmentCategories.OrderBy(c => c.Name).Select(c => new Choice(c.Code, c.Name)).ToListAsync(ct)),
            cancellationToken);
        BorrowerName = choices.BorrowerName;
        Categories = choices.Categories;
    }

    private sealed record Choices(string BorrowerName, IReadOnlyList<Choice> Categories);

    private sealed record Found(EquipmentCategory? Category, string? UnitName);

    /// <summary>The proposals for one commune, kind, unit and period, and their map.</summary>
    private sealed record Proposed(IReadOnlyList<Proposal> Proposals, bool SpecificUnitBusy, string MapGeoJson);

    private async Task<EquipmentCategory?> ResolveCategoryAsync(CancellationToken cancellationToken)
    {
        var unitId = Form.Materiel;
        var code = Form.Categorie;
        // Read only (no tracking): the category is kept with the page's data until the data changes.
        var found = await memo.GetAsync($"loans/request/category|{unitId}|{(unitId is null ? code : null)}", async ct => unitId is null
            ? new Found(await db.EquipmentCategories.AsNoTracking().SingleOrDefaultAsync(c => c.Code == code, ct), null)
            : await db.EquipmentUnits.AsNoTracking().Where(u => u.Id == unitId).Select(u => new Found(u.Category, u.Name)).SingleOrDefaultAsync(ct)
                ?? new Found(null, null),
            cancellationToken);
        if (unitId is not null)
        {
            if (found.Category is null)
            {
                ModelState.AddModelError("Form.Materiel", "Ce matériel n'existe pas.");
                return null;
            }

            SpecificUnitName = found.UnitName;
            Form.Categorie = found.Category.Code;
            return found.Category;
        }

        var category = found.Category;
        if (category is null)
        {
            ModelState.AddModelError("Form.Categorie", $"La catégorie « {Form.Categorie} » n'existe pas : choisissez-en une dans la liste.");
        }

        return category;
    }

    /// <summary>What the form says, checked before anything is searched or written.</summary>
    private bool CheckForm(EquipmentCategory category)
    {
        if (Form.Du is null)
        {
            ModelState.AddModelError("Form.Du", "Indiquez le premier jour.");
        }

        if (Form.Au is null)
        {
            ModelState.AddModelError("Form.Au", "Indiquez le dernier jour.");
        }

        if (!ModelState.IsValid)
        {
            return false;
        }

        try
        {
            Loan.CheckPeriod(category, Form.Du!.Value, Form.Au!.Value, options.Value.Window(time.Today()));
            return true;
        }
        catch (RuleException e)
        {
            ModelState.AddModelError(FieldKey(e.Field), e.Message);
            return false;
        }
    }

    private async Task ProposeAsync(EquipmentCategory category, CancellationToken cancellationToken)
    {
        // Proposals only for days a request may ask for (a year-9999 period is refused, not searched).
        var window = options.Value.Window(time.Today());
        if (Form.Du is not { } first || Form.Au is not { } last || last < first || first < window.Today || last > window.Latest)
        {
            return;
        }

        var actor = User.ToActor();
        var proposed = await memo.GetAsync(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"loans/request/proposals|{actor.CommuneId}|{category.Id}|{Form.Materiel}|{first.DayNumber}|{last.DayNumber}"),
            ct => ProposeAsync(category, actor.CommuneId, first, last, ct),
            cancellationToken);
        Proposals = proposed.Proposals;
        SpecificUnitBusy = proposed.SpecificUnitBusy;
        MapGeoJson = proposed.MapGeoJson;
    }

    private async Task<Proposed> ProposeAsync(EquipmentCategory category, int? communeId, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var borrower = await db.Communes.Where(c => c.Id == communeId)
            .Select(c => new { c.Id, c.ReferencePoint }).SingleAsync(cancellationToken);
        var specificUnitBusy = false;
        var units = await NearestAvailable.FindAsync(db, Query(category, borrower.ReferencePoint, Form.Materiel), cancellationToken);
        if (units.Count == 0 && Form.Materiel is not null)
        {
            specificUnitBusy = true;
            units = await NearestAvailable.FindAsync(db, Query(category, borrower.ReferencePoint, null), cancellationToken);
        }

        var days = last.DayNumber - first.DayNumber + 1;
        var priced = units.Select(u => (u.UnitId, Pricing: LoanPricing.For(days, u.DailyRate, u.DistanceMetres, u.Transport != nameof(TransportNeed.None), options.Value.TransportRatePerKm))).ToList();
        var needs = await UnitNeeds.ForAsync(db, priced, cancellationToken);
        Proposal[] proposals = [.. units.Zip(priced).Select((p, i) => new Proposal(i + 1, p.First, p.Second.Pricing) { Needs = needs[p.First.UnitId] })];

        // The borrower and, for each proposal, the line from the lender; the lender's point carries
        // the proposal's number, so the map's markers read like the table's rows.
        var origin = new Coordinate(borrower.ReferencePoint.X, borrower.ReferencePoint.Y);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WriteStartArray("features");
            GeoJson.WriteFeature(writer, 0, Geometries.Factory.CreatePoint(origin), new MapPoint(null, "emprunteur"), JsonSerializerOptions.Web);
            foreach (var (unit, i) in units.Select((u, i) => (u, i)))
            {
                var from = new Coordinate(unit.Longitude, unit.Latitude);
                GeoJson.WriteFeature(writer, i + 1, Geometries.Factory.CreateLineString([from, origin]), new MapPoint(null, "trajet"), JsonSerializerOptions.Web);
                GeoJson.WriteFeature(writer, i + 1, Geometries.Factory.CreatePoint(from), new MapPoint(i + 1, "proposition"), JsonSerializerOptions.Web);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return new Proposed(proposals, specificUnitBusy, System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private sealed record MapPoint(int? Rang, string Role);

    private AvailabilityQuery Query(EquipmentCategory category, Point origin, int? unitId)
    {
        var settings = options.Value;
        var exclude = User.ToActor().CommuneId;
        // One named unit is looked up wherever it is; proposals stay within the radius.
        var radius = unitId is null ? settings.SearchRadiusKm * 1000 : 1_000_000;
        return new AvailabilityQuery(category.Id, origin.X, origin.Y, Form.Du!.Value, Form.Au!.Value, exclude, radius,
            unitId is null ? settings.Proposals : 1, unitId, time.Today());
    }

    private static string FieldKey(string? field) => field switch
    {
        "FirstDay" => "Form.Du",
        "LastDay" => "Form.Au",
        "Purpose" => "Form.Usage",
        "UnitId" => nameof(UnitId),
        _ => "",
    };
}
