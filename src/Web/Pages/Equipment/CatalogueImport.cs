using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Communes;
using ValDrome.Domain.Equipment;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>What is wrong in an imported file: at a line (0: the whole file) and a column.</summary>
public sealed record ImportProblem(int Line, string? Column, string Message)
{
    public string Text => Line == 0 ? Message
        : Column is null ? $"Ligne {Line} : {Message}"
        : $"Ligne {Line}, colonne « {Column} » : {Message}";
}

/// <summary>One checked line of the file, ready to become (or update) a unit.</summary>
public sealed record ImportRow(
    int Line, string Code, UnitDescription Description, int CategoryId, string CategoryName, bool HasHourMeter,
    bool InService, string? StatusReason, int? DepotId, Point Location, string PlaceLabel, int? ExistingUnitId);

public sealed record ImportCheck(IReadOnlyList<ImportRow> Rows, IReadOnlyList<ImportProblem> Problems)
{
    public bool IsValid => Problems.Count == 0 && Rows.Count > 0;

    /// <summary>Problems of the first line only: the columns themselves are wrong.</summary>
    public bool WrongColumns => Problems.Any(p => p.Line == 1 && Rows.Count == 0);
}

/// <summary>
/// Import of an owner's catalogue from a spreadsheet: every line is checked first, against the
/// same rules as the catalogue's form; nothing is written unless every line is valid, and then
/// all lines at once. A line whose inventory code is already the owner's updates that unit.
/// </summary>
public static class CatalogueImport
{
    public const int MaxBytes = 1024 * 1024;

    public const int MaxUnits = 1000;

    public const int MaxCodeLength = 40;

    /// <summary>An agent imports its commune's units; staff and admins any commune's and the community's (setting a commune up).</summary>
    public static bool MayImport(Actor actor, int? ownerCommuneId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsAdmin || actor.IsStaff || (ownerCommuneId is { } owner && actor.ActsFor(owner));
    }

    private static string OwnerLabel(Commune? owner) => owner?.Name ?? EquipmentLabels.CommunityOwner;

    public static async Task<ImportCheck> CheckAsync(ValDromeDb db, string text, Commune? owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(text);
        var problems = new List<ImportProblem>();
        var rows = new List<ImportRow>();
        ImportCheck Fail(int line, string? column, string message)
        {
            problems.Add(new(line, column, message));
            return new(rows, problems);
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return Fail(0, null, "Ce fichier n'est pas un texte : enregistrez le tableau au format « CSV (séparateur : point-virgule) ».");
        }

        var (records, unclosed) = CatalogueCsv.Read(text);
        if (unclosed is { } open)
        {
            return Fail(open, null, "un guillemet ouvert n'est jamais fermé.");
        }

        if (records.Count == 0)
        {
            return Fail(0, null, "Le fichier est vide : la première ligne nomme les colonnes, chaque ligne suivante décrit un matériel.");
        }

        // The columns, in any order, named as in the export.
        var header = records[0];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Cells.Count; i++)
        {
            var name = CatalogueCsv.Unneutralise(header.Cells[i]).Trim();
            var column = CatalogueCsv.Columns.FirstOrDefault(c => CatalogueCsv.Key(c) == CatalogueCsv.Key(name));
            if (column is null)
            {
                if (name.Length > 0)
                {
                    problems.Add(new(header.Line, Shorten(name), $"colonne inconnue. Les colonnes possibles sont : {string.Join(", ", CatalogueCsv.Columns.Select(c => $"« {c} »"))} (séparées par des points-virgules)."));
                }
            }
            else if (!index.TryAdd(column, i))
            {
                problems.Add(new(header.Line, column, "cette colonne est présente deux fois."));
            }
        }

        foreach (var missing in CatalogueCsv.RequiredColumns.Where(c => !index.ContainsKey(c)))
        {
            problems.Add(new(header.Line, missing, "cette colonne manque (le plus simple : partir de l'export du catalogue)."));
        }

        if (problems.Count > 0)
        {
            return new(rows, problems);
        }

        var lines = records.Skip(1).ToList();
        if (lines.Count == 0)
        {
            return Fail(0, null, "Le fichier ne décrit aucun matériel : sous la ligne des colonnes, une ligne par matériel.");
        }

        if (lines.Count > MaxUnits)
        {
            return Fail(0, null, $"Le fichier décrit {lines.Count} matériels : {MaxUnits} au plus par import. Coupez-le en plusieurs fichiers.");
        }

        var categories = await db.EquipmentCategories.AsNoTracking().Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken);
        var depots = await db.Depots.AsNoTracking().Select(d => new { d.Id, d.Name, d.Location }).ToListAsync(cancellationToken);
        var codes = lines.Select(l => Cell(l, CatalogueCsv.Code)).Where(c => c.Length > 0).Distinct().ToList();
        var existing = (await db.EquipmentUnits.AsNoTracking().Where(u => codes.Contains(u.InventoryCode))
                .Select(u => new { u.Id, u.InventoryCode, u.OwnerCommuneId, u.Status }).ToListAsync(cancellationToken))
            .ToDictionary(u => u.InventoryCode, StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var placed = new List<(int Line, Point Point)>();
        var ownerKeys = owner is null
            ? new[] { CatalogueCsv.Key(EquipmentLabels.CommunityOwner), CatalogueCsv.Key(IndexModel.CommunityOwnerFilter), "communaute" }
            : [CatalogueCsv.Key(owner.Name), owner.Insee];

        foreach (var record in lines)
        {
            var before = problems.Count;
            void Problem(string column, string message) => problems.Add(new(record.Line, column, message));

            if (record.Cells.Count > header.Cells.Count && record.Cells.Skip(header.Cells.Count).Any(c => c.Trim().Length > 0))
            {
                problems.Add(new(record.Line, null, $"la ligne a {FrenchCount.Of(record.Cells.Count, "cellule")} pour {FrenchCount.Of(header.Cells.Count, "colonne")} (un point-virgule de trop dans un texte ? Mettez ce texte entre guillemets)."));
                continue;
            }

            var ownerCell = Cell(record, CatalogueCsv.Owner);
            if (ownerCell.Length > 0 && !ownerKeys.Contains(CatalogueCsv.Key(ownerCell)))
            {
                Problem(CatalogueCsv.Owner, $"« {Shorten(ownerCell)} » n'est pas le propriétaire choisi pour cet import ({OwnerLabel(owner)}).");
            }

            var code = Cell(record, CatalogueCsv.Code);
            int? existingId = null;
            if (code.Length is 0 or > MaxCodeLength)
            {
                Problem(CatalogueCsv.Code, $"donnez un code d'inventaire de 1 à {MaxCodeLength} caractères (par exemple « 26144-MP-01 »).");
            }
            else if (seen.TryGetValue(code, out var firstLine))
            {
                Problem(CatalogueCsv.Code, $"le code « {code} » est déjà celui de la ligne {firstLine}.");
            }
            else
            {
                seen[code] = record.Line;
                if (existing.TryGetValue(code, out var unit))
                {
                    if (unit.OwnerCommuneId != owner?.Id)
                    {
                        Problem(CatalogueCsv.Code, $"le code « {code} » est déjà pris par le matériel d'un autre propriétaire.");
                    }
                    else if (unit.Status == UnitStatus.Retired)
                    {
                        Problem(CatalogueCsv.Code, $"« {code} » a été retiré du catalogue : il ne se modifie plus (donnez un nouveau code).");
                    }
                    else
                    {
                        existingId = unit.Id;
                    }
                }
            }

            var categoryName = Cell(record, CatalogueCsv.Category);
            var category = categories.FirstOrDefault(c => CatalogueCsv.Key(c.Name) == CatalogueCsv.Key(categoryName));
            if (category is null)
            {
                Problem(CatalogueCsv.Category, categoryName.Length == 0
                    ? "donnez la catégorie."
                    : $"aucune catégorie ne s'appelle « {Shorten(categoryName)} » (catégories : {string.Join(", ", categories.Select(c => c.Name).Order(StringComparer.Ordinal))}).");
            }

            var dailyRate = Amount(CatalogueCsv.DailyRate, "tarif");
            var deposit = Amount(CatalogueCsv.Deposit, "montant de caution");
            int? maxLoanDays = null;
            var maxCell = Cell(record, CatalogueCsv.MaxLoanDays);
            if (maxCell.Length > 0)
            {
                if (int.TryParse(maxCell, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
                {
                    maxLoanDays = days;
                }
                else
                {
                    Problem(CatalogueCsv.MaxLoanDays, $"« {Shorten(maxCell)} » n'est pas un nombre de jours (laissez vide pour la durée de la catégorie).");
                }
            }

            var transportCell = Cell(record, CatalogueCsv.Transport);
            var transport = CatalogueCsv.ParseTransport(transportCell);
            if (transport is null)
            {
                Problem(CatalogueCsv.Transport, $"« {Shorten(transportCell)} » : écrivez « emprunteur » (retrait par l'emprunteur), « fourgon » (livré par le technicien) ou « porte-engin ».");
            }

            var autoApprove = YesNo(CatalogueCsv.AutoApprove, false);
            var hourMeter = YesNo(CatalogueCsv.HourMeter, false);
            var inService = YesNo(CatalogueCsv.InService, true);
            var reason = Cell(record, CatalogueCsv.StatusReason);
            if (!inService && reason.Length == 0)
            {
                Problem(CatalogueCsv.StatusReason, "dites pourquoi le matériel est hors service (les emprunteurs le liront).");
            }
            else if (reason.Length > 300)
            {
                Problem(CatalogueCsv.StatusReason, "la raison est limitée à 300 caractères.");
            }

            var (location, depotId, placeLabel) = Place();

            if (problems.Count > before)
            {
                continue;
            }

            var description = new UnitDescription(
                Cell(record, CatalogueCsv.Name), Cell(record, CatalogueCsv.Description), dailyRate, deposit,
                Cell(record, CatalogueCsv.Conditions), Cell(record, CatalogueCsv.Licence), transport!.Value, maxLoanDays, autoApprove);
            try
            {
                description.Check();
            }
            catch (RuleException e)
            {
                Problem(ColumnOf(e.Field), Lower(e.Message));
                continue;
            }

            rows.Add(new(record.Line, code, description, category!.Id, category.Name, hourMeter, inService, inService ? null : reason,
                depotId, location!, placeLabel, existingId));

            decimal Amount(string column, string what)
            {
                try
                {
                    return FormNumbers.Parse(Cell(record, column), what, column) ?? 0m;
                }
                catch (RuleException e)
                {
                    Problem(column, Lower(e.Message));
                    return 0m;
                }
            }

            bool YesNo(string column, bool absent)
            {
                var cell = Cell(record, column);
                if (cell.Length == 0)
                {
                    return absent;
                }

                if (CatalogueCsv.ParseYesNo(cell) is { } value)
                {
                    return value;
                }

                Problem(column, $"« {Shorten(cell)} » : écrivez « oui » ou « non ».");
                return absent;
            }

            (Point? Location, int? DepotId, string Label) Place()
            {
                var place = Cell(record, CatalogueCsv.Place);
                var key = CatalogueCsv.Key(place);
                if (key.Length == 0 || key == CatalogueCsv.MairiePlace)
                {
                    if (owner is null)
                    {
                        Problem(CatalogueCsv.Place, "le matériel de la communauté n'a pas de mairie : écrivez le nom d'un dépôt, ou « point » avec la latitude et la longitude.");
                        return (null, null, "");
                    }

                    return ((Point)owner.ReferencePoint.Copy(), null, "Mairie");
                }

                if (key == CatalogueCsv.PointPlace)
                {
                    try
                    {
                        // Whether it lies in the territory is asked once for all the file's points, after the loop.
                        var point = TerritoryPoints.Parse(Cell(record, CatalogueCsv.Longitude), Cell(record, CatalogueCsv.Latitude), CatalogueCsv.Latitude);
                        placed.Add((record.Line, point));
                        return (point, null, $"Point {CatalogueCsv.Coordinate(point.Y)} ; {CatalogueCsv.Coordinate(point.X)}");
                    }
                    catch (RuleException e)
                    {
                        Problem(CatalogueCsv.Latitude, Lower(e.Message));
                        return (null, null, "");
                    }
                }

                var depot = depots.FirstOrDefault(d => CatalogueCsv.Key(d.Name) == key);
                if (depot is null)
                {
                    Problem(CatalogueCsv.Place, $"« {Shorten(place)} » : écrivez « mairie », « point » (avec la latitude et la longitude) ou le nom d'un dépôt"
                        + (depots.Count == 0 ? " (il n'y en a aucun)." : $" ({string.Join(", ", depots.Select(d => d.Name).Order(StringComparer.Ordinal))})."));
                    return (null, null, "");
                }

                return (depot.Location, depot.Id, "Dépôt " + depot.Name);
            }
        }

        var outside = await TerritoryPoints.OutsideAsync(db, [.. placed.Select(p => p.Point)], cancellationToken);
        foreach (var line in outside.Select(i => placed[i].Line))
        {
            problems.Add(new(line, CatalogueCsv.Latitude, Lower(TerritoryPoints.OutsideMessage)));
            rows.RemoveAll(r => r.Line == line);
        }

        return new(rows, [.. problems.OrderBy(p => p.Line)]);

        string Cell(CatalogueCsv.Record record, string column) =>
            index.TryGetValue(column, out var i) && i < record.Cells.Count ? CatalogueCsv.Unneutralise(record.Cells[i]).Trim() : "";
    }

    /// <summary>
    /// Writes every checked line in one <c>SaveChanges</c> (one transaction): false, having written
    /// nothing, when a unit was edited or a code taken by someone else in the meantime.
    /// </summary>
    public static async Task<bool> ApplyAsync(ValDromeDb db, IReadOnlyList<ImportRow> rows, Commune? owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        var categories = await db.EquipmentCategories.ToDictionaryAsync(c => c.Id, cancellationToken);
        var depots = await db.Depots.ToDictionaryAsync(d => d.Id, cancellationToken);
        var ids = rows.Where(r => r.ExistingUnitId is not null).Select(r => r.ExistingUnitId!.Value).ToList();
        var units = await db.EquipmentUnits.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        foreach (var row in rows)
        {
            if (!categories.TryGetValue(row.CategoryId, out var category)
                || (row.DepotId is { } depotId && !depots.ContainsKey(depotId))
                || (row.ExistingUnitId is { } unitId && !units.ContainsKey(unitId)))
            {
                db.ChangeTracker.Clear();
                return false;
            }

            var unit = row.ExistingUnitId is { } id ? units[id] : null;
            if (unit is null)
            {
                unit = new EquipmentUnit(row.Code, row.Description.Name.Trim(), category, owner, row.Location, row.Description.DailyRate, row.Description.Transport);
                db.EquipmentUnits.Add(unit);
            }

            unit.Describe(row.Description, category);
            unit.SetInService(row.InService, row.StatusReason);
            unit.HasHourMeter = row.HasHourMeter;
            if (row.DepotId is { } depot)
            {
                unit.KeepAt(depots[depot]);
            }
            else
            {
                unit.KeepAt(row.Location);
            }
        }

        return await RowVersion.TrySaveAsync(db, cancellationToken, "ix_equipment_units_inventory_code");
    }

    /// <summary>The form's messages start a sentence; after « Ligne 3, colonne … : » they go on one.</summary>
    private static string Lower(string message) =>
        message.Length > 1 && char.IsUpper(message[0]) && !char.IsUpper(message[1]) ? char.ToLowerInvariant(message[0]) + message[1..] : message;

    private static string ColumnOf(string? field) => field switch
    {
        nameof(UnitDescription.Name) => CatalogueCsv.Name,
        nameof(UnitDescription.Description) => CatalogueCsv.Description,
        nameof(UnitDescription.DailyRate) => CatalogueCsv.DailyRate,
        nameof(UnitDescription.Deposit) => CatalogueCsv.Deposit,
        nameof(UnitDescription.ConditionsOfUse) => CatalogueCsv.Conditions,
        nameof(UnitDescription.LicenceRequirement) => CatalogueCsv.Licence,
        nameof(UnitDescription.Transport) => CatalogueCsv.Transport,
        nameof(UnitDescription.MaxLoanDays) => CatalogueCsv.MaxLoanDays,
        _ => CatalogueCsv.Name,
    };

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
