namespace ValDrome.Domain.Equipment;

/// <summary>
/// Damage or a breakdown told by whoever holds the unit (the borrower of the current loan) or by
/// its owner: what, who and when, with a photo perhaps. The owner deals with it (out of service,
/// a repair) and closes it.
/// </summary>
public sealed class FaultReport
{
    public const int MaxDescriptionLength = 2000;

    private FaultReport()
    {
    }

    public FaultReport(EquipmentUnit unit, string? description, string reportedBy, string reporterName, int? reporterCommuneId, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentException.ThrowIfNullOrWhiteSpace(reportedBy);
        if (string.IsNullOrWhiteSpace(description))
        {
            throw new RuleException("Décrivez la panne ou les dégâts (ce qui ne marche plus, depuis quand, ce que vous avez constaté).", "Description");
        }

        if (description.Trim().Length > MaxDescriptionLength)
        {
            throw new RuleException($"La description est limitée à {MaxDescriptionLength:N0} caractères.", "Description");
        }

        if (unit.Status == UnitStatus.Retired)
        {
            throw new RuleException("Ce matériel a été retiré du catalogue.") { IsConflict = true };
        }

        Unit = unit;
        Description = description.Trim();
        ReportedBy = reportedBy;
        ReporterName = string.IsNullOrWhiteSpace(reporterName) ? reportedBy : reporterName;
        ReporterCommuneId = reporterCommuneId;
        ReportedAt = at.ToUniversalTime();
    }

    public int Id { get; private set; }

    public int UnitId { get; private set; }

    public EquipmentUnit Unit { get; private set; } = null!;

    public string Description { get; private set; } = "";

    /// <summary>The reporter's user name.</summary>
    public string ReportedBy { get; private set; } = "";

    /// <summary>The reporter's name as the page shows it.</summary>
    public string ReporterName { get; private set; } = "";

    /// <summary>The commune the reporter acted for (the borrower, or the owner), if any.</summary>
    public int? ReporterCommuneId { get; private set; }

    public DateTimeOffset ReportedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public string? ClosedBy { get; private set; }

    public bool IsOpen => ClosedAt is null;

    /// <summary>Dealt with (repaired, or nothing to do): it leaves the unit's page.</summary>
    public void Close(string by, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        if (!IsOpen)
        {
            throw new RuleException("Ce signalement est déjà clos.") { IsConflict = true };
        }

        ClosedBy = by;
        ClosedAt = at.ToUniversalTime();
    }
}
