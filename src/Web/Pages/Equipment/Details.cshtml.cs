using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValDrome.Domain;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Notices;
using ValDrome.Geo.Encoding;
using ValDrome.Jobs.Notices;
using ValDrome.Web.Pages.Account;

namespace ValDrome.Web.Pages.Equipment;

public sealed class DetailsModel(ValDromeDb db, TimeProvider time, IOptions<PhotoOptions> photoOptions, NoticeDispatch notices) : PageModel
{
    /// <summary>« Quand ? » carried from the catalogue or the map: the unit says whether it is free then.</summary>
    [BindProperty(SupportsGet = true, Name = "du")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "au")]
    public string? To { get; set; }

    public WhenFilter? When { get; private set; }

    public bool FreeThen { get; private set; }

    /// <summary>« Demander ce matériel », with the days of « Quand ? » when there are some.</summary>
    public string RequestUrl => $"/prets/demander?materiel={Unit.Id}" + (When is { } w ? "&" + w.Query : "");

    public sealed record PhotoView(int Id, string Hash, int ThumbnailWidth, int ThumbnailHeight, int LargeWidth, int LargeHeight);

    public sealed record ReportView(int Id, string Description, string ReporterName, DateTimeOffset ReportedAt, PhotoView? Photo);

    public IReadOnlyList<PhotoView> Photos { get; private set; } = [];

    /// <summary>Open fault reports, for those who may see them.</summary>
    public IReadOnlyList<ReportView> Reports { get; private set; } = [];

    /// <summary>Shows « Signaler une panne » to whoever holds the unit, its keepers, staff and the technician.</summary>
    public bool MayReport { get; private set; }

    /// <summary>Out of service and closing a report: the unit's keepers.</summary>
    public bool MayDeal { get; private set; }

    public long MaxPhotoBytes => photoOptions.Value.MaxBytes;

    public ConflictNotice? Conflict { get; private set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public IFormFile? Photo { get; set; }

    [BindProperty]
    public int? ReportId { get; set; }

    public sealed record UnitView(
        int Id, string Name, string InventoryCode, string Description, string Category, string CategoryCode,
        string Owner, string? OwnerInsee, string? Depot, decimal DailyRate, TransportNeed Transport,
        string? LicenceRequirement, bool HasHourMeter, UnitStatus Status, string HomeGeoJson)
    {
        public decimal Deposit { get; init; }

        public string ConditionsOfUse { get; init; } = "";

        public int MaxLoanDays { get; init; }

        public bool AutoApprove { get; init; }

        public string? StatusReason { get; init; }
    }

    /// <summary>Shows the « Modifier » link to the unit's keepers.</summary>
    public bool MayKeep { get; private set; }

    public UnitView Unit { get; private set; } = null!;

    /// <summary>« VGP en retard de 8 jours (prévue le …) »: not lendable until it is done (ADR 18).</summary>
    public string? LateInspection { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    /// <summary>« Signaler une panne »: the report, its photo and the owner's notice are written together, or nothing is.</summary>
    public async Task<IActionResult> OnPostFaultAsync(int id, CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }

        var unit = await db.EquipmentUnits.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (unit is null)
        {
            return NotFound();
        }

        var actor = User.ToActor();
        if (!FaultReports.MayReport(actor, unit.OwnerCommuneId, await HolderAsync(id, cancellationToken)))
        {
            return Forbid();
        }

        if (Photo is { } file && file.Length > photoOptions.Value.MaxBytes)
        {
            return UnitPhotos.TooLarge(this, photoOptions.Value);
        }

        FaultReport report;
        try
        {
            report = new FaultReport(unit, Description, User.Identity?.Name ?? actor.UserId, actor.Name, actor.CommuneId, time.GetUtcNow());
            if (Photo is not null)
            {
                var photo = new UnitPhoto(unit, 0, await UnitPhotos.ResizeAsync(Photo, nameof(Photo), cancellationToken), User.Identity?.Name ?? actor.UserId, time.GetUtcNow());
                photo.Illustrate(report);
                db.UnitPhotos.Add(photo);
            }
        }
        catch (RuleException e) when (e.IsConflict)
        {
            return await ConflictAsync(id, e.Message, cancellationToken);
        }
        catch (RuleException e)
        {
            db.ChangeTracker.Clear();
            ModelState.AddModelError(e.Field ?? "", e.Message);
            await LoadAsync(id, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        db.FaultReports.Add(report);
        var side = actor.CommuneId is { } communeId
            ? await db.Communes.Where(c => c.Id == communeId).Select(c => "mairie de " + c.Name).SingleAsync(cancellationToken)
            : "communauté de communes";
        var notice = FaultNotices.Reported(report, unit, side, time.GetUtcNow());
        db.Notices.Add(notice);
        await db.SaveChangesAsync(cancellationToken);
        notices.Enqueue(notice);
        TempData["Message"] = "Panne signalée : le propriétaire est prévenu.";
        return Redirect($"/materiel/{id}#pannes");
    }

    /// <summary>The owner takes the unit out of lending because of a report (it stays open until closed).</summary>
    public Task<IActionResult> OnPostOutOfServiceAsync(int id, CancellationToken cancellationToken) =>
        DealAsync(id, (unit, report) =>
        {
            var reason = $"En panne depuis le {report.ReportedAt.ToParis():dd/MM/yyyy} : {report.Description}";
            unit.SetInService(false, reason.Length <= 300 ? reason : reason[..299] + "…");
            return "Le matériel est hors service : il ne se prête plus jusqu'à sa remise en service (page « Modifier »).";
        }, cancellationToken);

    public Task<IActionResult> OnPostCloseReportAsync(int id, CancellationToken cancellationToken) =>
        DealAsync(id, (unit, report) =>
        {
            report.Close(User.Identity?.Name ?? "?", time.GetUtcNow());
            return "Le signalement est clos.";
        }, cancellationToken);

    private async Task<IActionResult> DealAsync(int id, Func<EquipmentUnit, FaultReport, string> deal, CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }

        var unit = await db.EquipmentUnits.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (unit is null)
        {
            return NotFound();
        }

        if (!FaultReports.MayDeal(User.ToActor(), unit.OwnerCommuneId))
        {
            return Forbid();
        }

        var report = ReportId is { } reportId
            ? await db.FaultReports.SingleOrDefaultAsync(r => r.Id == reportId && r.UnitId == id, cancellationToken)
            : null;
        if (report is null || !report.IsOpen || unit.Status == UnitStatus.Retired)
        {
            return await ConflictAsync(id, "Ce signalement vient d'être clos (ou n'existe pas) : voici la fiche telle qu'elle est maintenant.", cancellationToken);
        }

        string message;
        try
        {
            message = deal(unit, report);
        }
        catch (RuleException e)
        {
            return await ConflictAsync(id, e.Message, cancellationToken);
        }

        if (!await RowVersion.TrySaveAsync(db, cancellationToken))
        {
            return await ConflictAsync(id, "Ce matériel ou ce signalement vient d'être modifié par quelqu'un d'autre : voici la fiche telle qu'elle est maintenant.", cancellationToken);
        }

        TempData["Message"] = message;
        return Redirect($"/materiel/{id}#pannes");
    }

    private async Task<IActionResult> ConflictAsync(int id, string message, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        ModelState.Clear();
        Conflict = new ConflictNotice(message, $"/materiel/{id}", "Voir la fiche du matériel");
        await LoadAsync(id, cancellationToken);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    /// <summary>The borrower holding the unit now: its loan delivered and not yet returned.</summary>
    private Task<int?> HolderAsync(int id, CancellationToken cancellationToken) =>
        db.Loans.Where(l => l.UnitId == id && l.Status == LoanStatus.Delivered)
            .Select(l => (int?)l.BorrowerCommuneId).FirstOrDefaultAsync(cancellationToken);

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        var unit = await db.EquipmentUnits
            .Where(u => u.Id == id)
            .Select(u => new
            {
                u.Id, u.Name, u.InventoryCode, u.Description,
                Category = u.Category.Name, CategoryCode = u.Category.Code,
                Owner = u.OwnerCommune != null ? u.OwnerCommune.Name : EquipmentLabels.CommunityOwner,
                OwnerInsee = u.OwnerCommune != null ? u.OwnerCommune.Insee : null,
                Depot = u.HomeDepot != null ? u.HomeDepot.Name + ", " + u.HomeDepot.Address : null,
                u.DailyRate, u.Transport, u.LicenceRequirement, u.HasHourMeter, u.Status, u.HomeLocation,
                u.OwnerCommuneId, u.Deposit, u.ConditionsOfUse, MaxLoanDays = u.MaxLoanDaysOverride ?? u.Category.MaxLoanDays, u.AutoApprove, u.StatusReason,
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (unit is null)
        {
            return false;
        }

        Unit = new UnitView(
            unit.Id, unit.Name, unit.InventoryCode, unit.Description, unit.Category, unit.CategoryCode,
            unit.Owner, unit.OwnerInsee, unit.Depot, unit.DailyRate, unit.Transport,
            unit.LicenceRequirement, unit.HasHourMeter, unit.Status, GeoJson.Serialize(unit.HomeLocation))
        {
            Deposit = unit.Deposit, ConditionsOfUse = unit.ConditionsOfUse, MaxLoanDays = unit.MaxLoanDays,
            AutoApprove = unit.AutoApprove, StatusReason = unit.StatusReason,
        };
        if (!WhenFilter.TryRead(From, To, time.Today(), out var when, out var error, out _))
        {
            ModelState.AddModelError("du", error);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else if (when is not null)
        {
            When = when;
            FreeThen = (await FreeUnits.AmongAsync(db, [unit.Id], when.First, when.Last, cancellationToken)).Count > 0;
        }

        var actor = User.ToActor();
        MayKeep = unit.Status != UnitStatus.Retired && Keepers.MayKeep(actor, unit.OwnerCommuneId);
        Photos = await db.UnitPhotos.Where(p => p.UnitId == id && p.FaultReportId == null).OrderBy(p => p.Position)
            .Select(p => new PhotoView(p.Id, p.Hash, p.ThumbnailWidth, p.ThumbnailHeight, p.LargeWidth, p.LargeHeight))
            .ToListAsync(cancellationToken);
        if (User.Identity?.IsAuthenticated == true && unit.Status != UnitStatus.Retired)
        {
            MayReport = FaultReports.MayReport(actor, unit.OwnerCommuneId, await HolderAsync(id, cancellationToken));
            MayDeal = FaultReports.MayDeal(actor, unit.OwnerCommuneId);
            var reports = db.FaultReports.Where(r => r.UnitId == id && r.ClosedAt == null);
            if (!FaultReports.MaySee(actor, unit.OwnerCommuneId, null))
            {
                // Others see the reports their own commune made.
                reports = reports.Where(r => actor.CommuneId != null && r.ReporterCommuneId == actor.CommuneId);
            }

            Reports = await reports.OrderByDescending(r => r.ReportedAt)
                .Select(r => new ReportView(r.Id, r.Description, r.ReporterName, r.ReportedAt,
                    db.UnitPhotos.Where(p => p.FaultReportId == r.Id)
                        .Select(p => new PhotoView(p.Id, p.Hash, p.ThumbnailWidth, p.ThumbnailHeight, p.LargeWidth, p.LargeHeight)).FirstOrDefault()))
                .ToListAsync(cancellationToken);
        }

        LateInspection = (await Domain.Maintenance.Inspections.LateAsync(db, unit.Id, time.Today(), cancellationToken))?.Describe(time.Today());
        return true;
    }
}
