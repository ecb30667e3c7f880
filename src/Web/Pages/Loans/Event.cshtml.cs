using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Communes;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Notices;
using ValDrome.Jobs.Notices;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Loans;

/// <summary>
/// « Demander pour un événement »: a fête needs a barnum, thirty tables, barriers and the sound
/// system. The secretary names the event, its days and place and what is needed (categories with
/// quantities); the page proposes, for each item, the nearest free units (as many as asked, checked,
/// and a few more); a recap shows the totals; one confirmation makes every loan, each decided by
/// its own owner, in one transaction: all of them or, when one unit was taken meanwhile, none.
/// </summary>
[Authorize(Roles = Roles.Agent)]
public sealed class EventModel(ValDromeDb db, TimeProvider time, IOptions<MarketplaceOptions> options, NoticeDispatch notices) : PageModel
{
    /// <summary>Lines of the form: a fête rarely needs more kinds of things.</summary>
    public const int MaxLines = 8;

    /// <summary>Units of one kind for one event (thirty tables are three lots of ten).</summary>
    public const int MaxQuantity = 20;

    /// <summary>Extra free units proposed beyond the quantity, to choose from.</summary>
    private const int Spare = 3;

    public sealed class EventForm
    {
        [Display(Name = "nom de l'événement")]
        public string? Nom { get; set; }

        [Display(Name = "premier jour")]
        public DateOnly? Du { get; set; }

        [Display(Name = "dernier jour")]
        public DateOnly? Au { get; set; }

        /// <summary>« mairie » (the borrower's) or « point » (placed on the map).</summary>
        public string? Lieu { get; set; }

        [Display(Name = "adresse")]
        public string? Adresse { get; set; }

        public string? Longitude { get; set; }

        public string? Latitude { get; set; }

        public List<EventLine> Lignes { get; set; } = [];
    }

    public sealed class EventLine
    {
        public string? Categorie { get; set; }

        [Display(Name = "quantité")]
        public int? Quantite { get; set; }
    }

    public enum Stage
    {
        Describe,
        Choose,
        Recap,
    }

    public sealed record Offer(int Rank, AvailableUnit Unit, LoanPricing Pricing, UnitNeeds Needs, bool Chosen);

    /// <summary>One line of the need: its category, how many were asked, and the free units offered.</summary>
    public sealed record Item(EquipmentCategory Category, int Quantity, IReadOnlyList<Offer> Offers)
    {
        public IEnumerable<Offer> Chosen => Offers.Where(o => o.Chosen);
    }

    public sealed record Choice(string Value, string Label);

    [BindProperty(SupportsGet = true)]
    public EventForm Form { get; set; } = new();

    /// <summary>The units ticked, every item's together (POST only).</summary>
    [BindProperty]
    [Display(Name = "matériel choisi")]
    public List<int> Choix { get; set; } = [];

    public Stage Current { get; private set; } = Stage.Describe;

    public IReadOnlyList<Choice> Categories { get; private set; } = [];

    public string BorrowerName { get; private set; } = "";

    public IReadOnlyList<Item> Items { get; private set; } = [];

    public string PlaceName { get; private set; } = "";

    public double RadiusKm => options.Value.SearchRadiusKm;

    public DateOnly Today => time.Today();

    public int Loans => Items.Sum(i => i.Chosen.Count());

    public decimal Rental => Items.SelectMany(i => i.Chosen).Sum(o => o.Pricing.Rental);

    public decimal Transport => Items.SelectMany(i => i.Chosen).Sum(o => o.Pricing.Transport);

    public decimal Total => Rental + Transport;

    public int AutoApproved => Items.SelectMany(i => i.Chosen).Count(o => o.Needs.AutoApprove);

    /// <summary>An empty form (dates from « Quand ? » when given): no error before the secretary has sent anything.</summary>
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadChoicesAsync(cancellationToken);
        Form.Lieu = "mairie";
        Form.Lignes = [.. Form.Lignes.Take(MaxLines)];
        PadLines();
        if (!ModelState.IsValid)
        {
            // A date from « Quand ? » that cannot be read: said, never dropped in silence.
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    /// <summary>Back to the event's description, as typed.</summary>
    public async Task<IActionResult> OnPostEditAsync(CancellationToken cancellationToken)
    {
        await LoadChoicesAsync(cancellationToken);
        ModelState.Clear();
        Form.Lignes = [.. Form.Lignes.Take(MaxLines)];
        PadLines();
        return Page();
    }

    /// <summary>Step 2: the proposals for each item, as many units as asked ticked.</summary>
    public async Task<IActionResult> OnPostProposeAsync(CancellationToken cancellationToken)
    {
        await LoadChoicesAsync(cancellationToken);
        var need = await ReadNeedAsync(cancellationToken);
        if (need is null)
        {
            return Refused(StatusCodes.Status400BadRequest);
        }

        await ProposeAsync(need, Choix.Count > 0 ? Choix.ToHashSet() : null, cancellationToken);
        Current = Stage.Choose;
        return Page();
    }

    /// <summary>Step 3: what will be asked, of whom, at what cost; nothing is written yet.</summary>
    public async Task<IActionResult> OnPostRecapAsync(CancellationToken cancellationToken)
    {
        await LoadChoicesAsync(cancellationToken);
        var need = await ReadNeedAsync(cancellationToken);
        if (need is null)
        {
            return Refused(StatusCodes.Status400BadRequest);
        }

        if (await ChosenAsync(need, cancellationToken) is { } status)
        {
            return Refused(status);
        }

        Current = Stage.Recap;
        return Page();
    }

    /// <summary>The one confirmation: every loan or none.</summary>
    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        await LoadChoicesAsync(cancellationToken);
        var need = await ReadNeedAsync(cancellationToken);
        if (need is null)
        {
            return Refused(StatusCodes.Status400BadRequest);
        }

        if (await ChosenAsync(need, cancellationToken) is { } status)
        {
            return Refused(status);
        }

        var ids = Items.SelectMany(i => i.Chosen).Select(o => o.Unit.UnitId).ToList();
        var units = await db.EquipmentUnits.Include(u => u.Category).Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        var borrower = await db.Communes.SingleAsync(c => c.Id == actor.CommuneId, cancellationToken);
        var now = time.GetUtcNow();
        var request = new EventRequest(need.Name, borrower, need.First, need.Last, need.Place, need.Location, actor, now);
        var told = new List<Notice>();
        try
        {
            foreach (var offer in Items.SelectMany(i => i.Chosen))
            {
                var loan = request.Ask(units[offer.Unit.UnitId], actor, now, options.Value.Window(Today), offer.Unit.DistanceMetres, options.Value.TransportRatePerKm);
                told.Add(LoanNotices.Requested(loan, now));
            }
        }
        catch (RuleException e)
        {
            db.ChangeTracker.Clear();
            ModelState.AddModelError(nameof(Choix), e.Message);
            return Refused(StatusCodes.Status400BadRequest);
        }

        db.EventRequests.Add(request);
        db.Notices.AddRange(told);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (await CappedCategoryAsync(borrower.Id, request, cancellationToken) is { } capped)
            {
                db.ChangeTracker.Clear();
                var max = options.Value.MaxPendingPerCategory;
                ModelState.AddModelError(nameof(Choix),
                    $"Votre commune aurait plus de {max} demande{(max > 1 ? "s" : "")} de « {capped.Name.ToLowerInvariant()} » en attente de réponse : "
                    + "choisissez moins de ce matériel, ou du matériel prêté sans attendre de décision.");
                return Refused(StatusCodes.Status409Conflict);
            }

            if (!await LoanStore.TrySaveBookingAsync(db, cancellationToken))
            {
                // Another request took one of the units after the recap: nothing was written.
                ModelState.AddModelError(nameof(Choix),
                    "Un des matériels choisis vient d'être réservé sur ces dates par une autre demande : aucune demande n'a été enregistrée. "
                    + "Voici les propositions à jour, choisissez de nouveau.");
                Choix = [];
                await ProposeAsync(need, null, cancellationToken);
                Current = Stage.Choose;
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            }

            await transaction.CommitAsync(cancellationToken);
        }

        notices.Enqueue(told);
        var approved = request.Loans.Count(l => l.Status == LoanStatus.Approved);
        TempData["Message"] = $"Demande enregistrée : {request.Loans.Count} prêt{(request.Loans.Count > 1 ? "s" : "")}"
            + (approved > 0 ? $", dont {approved} approuvé{(approved > 1 ? "s" : "")} automatiquement." : ".")
            + (approved < request.Loans.Count ? " Les propriétaires vont répondre aux autres." : "");
        return Redirect($"/prets/evenements/{request.Id}");
    }

    private PageResult Refused(int status)
    {
        Response.StatusCode = status;
        if (Current == Stage.Describe)
        {
            PadLines();
        }

        return Page();
    }

    private async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        BorrowerName = await db.Communes.Where(c => c.Id == actor.CommuneId).Select(c => c.Name).SingleAsync(cancellationToken);
        Categories = await db.EquipmentCategories.OrderBy(c => c.Name)
            .Select(c => new Choice(c.Code, c.Name)).ToListAsync(cancellationToken);
    }

    private void PadLines()
    {
        while (Form.Lignes.Count < 4 || (Form.Lignes.Count < MaxLines && Form.Lignes[^1].Categorie is not null))
        {
            Form.Lignes.Add(new EventLine());
        }
    }

    private sealed record Need(string Name, DateOnly First, DateOnly Last, string Place, Point Location, IReadOnlyList<(EquipmentCategory Category, int Quantity)> Lines);

    /// <summary>The form checked (French messages on its fields), or null when it is refused.</summary>
    private async Task<Need?> ReadNeedAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        string? name = null;
        try
        {
            name = EventRequest.CheckName(Form.Nom);
            if (name.Contains('\0', StringComparison.Ordinal))
            {
                throw new RuleException("Le nom de l'événement contient un caractère invalide.", "Nom");
            }
        }
        catch (RuleException e)
        {
            ModelState.AddModelError("Form." + e.Field, e.Message);
        }

        if (Form.Du is null && !ModelState.ContainsKey("Form.Du"))
        {
            ModelState.AddModelError("Form.Du", "Indiquez le premier jour.");
        }

        if (Form.Au is null && !ModelState.ContainsKey("Form.Au"))
        {
            ModelState.AddModelError("Form.Au", "Indiquez le dernier jour.");
        }

        var lines = new List<(EquipmentCategory, int)>();
        if (Form.Lignes.Count > MaxLines)
        {
            ModelState.AddModelError("Form.Lignes", $"Une demande pour un événement compte au plus {MaxLines} lignes.");
        }
        else
        {
            var codes = Form.Lignes.Select(l => l.Categorie?.Trim()).Where(c => !string.IsNullOrEmpty(c)).ToList();
            var categories = await db.EquipmentCategories.Where(c => codes.Contains(c.Code)).ToDictionaryAsync(c => c.Code, StringComparer.Ordinal, cancellationToken);
            for (var i = 0; i < Form.Lignes.Count; i++)
            {
                var line = Form.Lignes[i];
                var code = line.Categorie?.Trim();
                if (string.IsNullOrEmpty(code))
                {
                    continue;
                }

                if (!categories.TryGetValue(code, out var category))
                {
                    ModelState.AddModelError($"Form.Lignes[{i}].Categorie", $"La catégorie « {Shorten(code)} » n'existe pas : choisissez-en une dans la liste.");
                }
                else if (line.Quantite is not (>= 1 and <= MaxQuantity))
                {
                    ModelState.AddModelError($"Form.Lignes[{i}].Quantite", $"Indiquez combien de « {category.Name.ToLowerInvariant()} » il faut, de 1 à {MaxQuantity}.");
                }
                else if (lines.Any(l => l.Item1.Id == category.Id))
                {
                    ModelState.AddModelError($"Form.Lignes[{i}].Categorie", $"« {category.Name} » est demandé deux fois : indiquez la quantité totale sur une seule ligne.");
                }
                else
                {
                    lines.Add((category, line.Quantite.Value));
                }
            }

            if (lines.Count == 0 && codes.Count == 0)
            {
                ModelState.AddModelError("Form.Lignes", "Indiquez ce qu'il faut : au moins une catégorie de matériel et sa quantité.");
            }
        }

        // The days, checked against every category asked for (each has its longest loan).
        if (Form.Du is { } first && Form.Au is { } last)
        {
            try
            {
                foreach (var (category, _) in lines.DefaultIfEmpty())
                {
                    if (category is not null)
                    {
                        Loan.CheckPeriod(category, first, last, options.Value.Window(Today));
                    }
                    else
                    {
                        CheckDays(first, last);
                    }
                }
            }
            catch (RuleException e)
            {
                ModelState.AddModelError(e.Field == "LastDay" ? "Form.Au" : "Form.Du", e.Message);
            }
        }

        var borrower = await db.Communes.Where(c => c.Id == actor.CommuneId)
            .Select(c => new { c.Name, c.ReferencePoint }).SingleAsync(cancellationToken);
        Point location = borrower.ReferencePoint;
        var place = $"Mairie {FrenchNames.Of(borrower.Name)}";
        if (Form.Lieu == "point")
        {
            try
            {
                location = TerritoryPoints.Parse(Form.Longitude, Form.Latitude, "Longitude");
                if (await TerritoryPoints.CommuneAtAsync(db, location, cancellationToken) is not { } at)
                {
                    throw new RuleException(TerritoryPoints.OutsideMessage, "Longitude");
                }

                place = Form.Adresse?.Trim() is { Length: > 0 } address ? address : $"Lieu placé sur la carte, à {at.Name}";
                if (place.Length > EventRequest.MaxPlaceLength || place.Contains('\0', StringComparison.Ordinal))
                {
                    throw new RuleException($"L'adresse est limitée à {EventRequest.MaxPlaceLength} caractères.", "Adresse");
                }
            }
            catch (RuleException e)
            {
                ModelState.AddModelError("Form." + e.Field, e.Message);
            }
        }
        else if (Form.Lieu is not (null or "mairie"))
        {
            ModelState.AddModelError("Form.Lieu", "Choisissez le lieu : la mairie ou un point sur la carte.");
        }

        PlaceName = place;
        return ModelState.IsValid && name is not null
            ? new Need(name, Form.Du!.Value, Form.Au!.Value, place, location, lines)
            : null;
    }

    private void CheckDays(DateOnly first, DateOnly last)
    {
        var window = options.Value.Window(Today);
        if (last < first)
        {
            throw new RuleException("Le dernier jour doit être le même que le premier ou après lui.", "LastDay");
        }

        if (first < window.Earliest || last > window.Latest)
        {
            throw new RuleException($"Une demande va du {window.Earliest:dd/MM/yyyy} au {window.Latest:dd/MM/yyyy} au plus.", "FirstDay");
        }
    }

    /// <summary>For each item the nearest free units: as many as asked (or those in <paramref name="chosen"/>) ticked, and a few more.</summary>
    private async Task ProposeAsync(Need need, HashSet<int>? chosen, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var settings = options.Value;
        var days = need.Last.DayNumber - need.First.DayNumber + 1;
        var found = new List<(EquipmentCategory Category, int Quantity, IReadOnlyList<AvailableUnit> Units)>();
        foreach (var (category, quantity) in need.Lines)
        {
            var units = await NearestAvailable.FindAsync(db, new AvailabilityQuery(category.Id, need.Location.X, need.Location.Y,
                need.First, need.Last, actor.CommuneId, settings.SearchRadiusKm * 1000, quantity + Spare), cancellationToken);
            found.Add((category, quantity, units));
        }

        var priced = found.SelectMany(f => f.Units).Select(u => (u.UnitId, Price(u, days))).ToList();
        var needs = await UnitNeeds.ForAsync(db, priced, cancellationToken);
        Items = [.. found.Select(f => new Item(f.Category, f.Quantity, [.. f.Units.Select((u, i) =>
            new Offer(i + 1, u, Price(u, days), needs[u.UnitId], chosen?.Contains(u.UnitId) ?? i < f.Quantity))]))];
    }

    /// <summary>
    /// The ticked units, each checked free now and of a kind asked for, grouped by item; null when
    /// they are, else the status to answer (the messages are in the model state).
    /// </summary>
    private async Task<int?> ChosenAsync(Need need, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var ids = Choix.Distinct().ToList();
        if (ids.Count == 0)
        {
            ModelState.AddModelError(nameof(Choix), "Cochez au moins un matériel à demander.");
            await ProposeAsync(need, null, cancellationToken);
            Current = Stage.Choose;
            return StatusCodes.Status400BadRequest;
        }

        var kinds = await db.EquipmentUnits.Where(u => ids.Contains(u.Id) && u.Status != UnitStatus.Retired)
            .Select(u => new { u.Id, u.CategoryId }).ToListAsync(cancellationToken);
        if (kinds.Count != ids.Count || kinds.Any(k => need.Lines.All(l => l.Category.Id != k.CategoryId)) || ids.Count > need.Lines.Sum(l => l.Quantity + Spare))
        {
            ModelState.AddModelError(nameof(Choix), "Ce choix ne correspond pas au matériel proposé : choisissez parmi les propositions.");
            await ProposeAsync(need, null, cancellationToken);
            Current = Stage.Choose;
            return StatusCodes.Status400BadRequest;
        }

        var days = need.Last.DayNumber - need.First.DayNumber + 1;
        var items = new List<Item>();
        var taken = new List<int>();
        foreach (var (category, quantity) in need.Lines)
        {
            var offers = new List<Offer>();
            foreach (var id in kinds.Where(k => k.CategoryId == category.Id).Select(k => k.Id))
            {
                var free = await NearestAvailable.FindAsync(db, new AvailabilityQuery(category.Id, need.Location.X, need.Location.Y,
                    need.First, need.Last, actor.CommuneId, 1_000_000, 1, id), cancellationToken);
                if (free.Count == 0)
                {
                    taken.Add(id);
                }
                else
                {
                    offers.Add(new Offer(0, free[0], Price(free[0], days), null!, true));
                }
            }

            items.Add(new Item(category, quantity, [.. offers.OrderBy(o => o.Unit.DistanceMetres).Select((o, i) => o with { Rank = i + 1 })]));
        }

        if (taken.Count > 0)
        {
            ModelState.AddModelError(nameof(Choix), taken.Count == 1
                ? "Un des matériels choisis n'est plus libre sur ces dates (ou appartient à votre commune) : choisissez de nouveau."
                : $"{taken.Count} des matériels choisis ne sont plus libres sur ces dates : choisissez de nouveau.");
            var still = ids.Except(taken).ToHashSet();
            Choix = [.. still];
            await ProposeAsync(need, still, cancellationToken);
            Current = Stage.Choose;
            return StatusCodes.Status409Conflict;
        }

        var needs = await UnitNeeds.ForAsync(db, items.SelectMany(i => i.Offers).Select(o => (o.Unit.UnitId, o.Pricing)), cancellationToken);
        Items = [.. items.Select(i => i with { Offers = [.. i.Offers.Select(o => o with { Needs = needs[o.Unit.UnitId] })] })];
        return null;
    }

    /// <summary>The category whose requests waiting for a decision would pass the cap with this event's, if any (locks taken as a single request does).</summary>
    private async Task<EquipmentCategory?> CappedCategoryAsync(int borrowerId, EventRequest request, CancellationToken cancellationToken)
    {
        foreach (var group in request.Loans.Where(l => l.Status == LoanStatus.Requested).GroupBy(l => l.Unit.Category).OrderBy(g => g.Key.Id))
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({borrowerId}, {group.Key.Id})", cancellationToken);
            var pending = await db.Loans.CountAsync(
                l => l.BorrowerCommuneId == borrowerId && l.Status == LoanStatus.Requested && l.Unit.CategoryId == group.Key.Id, cancellationToken);
            if (pending + group.Count() > options.Value.MaxPendingPerCategory)
            {
                return group.Key;
            }
        }

        return null;
    }

    private LoanPricing Price(AvailableUnit unit, int days) =>
        LoanPricing.For(days, unit.DailyRate, unit.DistanceMetres, unit.Transport != nameof(TransportNeed.None), options.Value.TransportRatePerKm);


    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
