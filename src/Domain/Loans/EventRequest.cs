using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NetTopologySuite.Geometries;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Communes;
using ValDrome.Domain.Equipment;

namespace ValDrome.Domain.Loans;

/// <summary>
/// A request for an event (« Fête du 14 juillet »): one commune, whole days, a place, and what is
/// needed. Each unit asked for is still its own <see cref="Loan"/>, decided by its own owner; the
/// event only groups them, so that the secretary asks once and follows them together.
/// </summary>
public sealed class EventRequest
{
    public const int MaxNameLength = 200;

    public const int MaxPlaceLength = 300;

    /// <summary>The loans' shadow property that names their event (null for a loan asked on its own).</summary>
    public const string LoanKey = "EventRequestId";

    private readonly List<Loan> _loans = [];

    private EventRequest()
    {
    }

    /// <summary>Refuses (in French) an empty or over-long name or place; the days are checked per unit by <see cref="Loan.Request"/>.</summary>
    public EventRequest(string name, Commune borrower, DateOnly firstDay, DateOnly lastDay, string place, Point location, Actor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(borrower);
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(by);
        if (!by.ActsFor(borrower.Id))
        {
            throw new UnauthorizedAccessException($"{by.Name} does not act for commune {borrower.Insee}.");
        }

        Name = CheckName(name);
        Place = string.IsNullOrWhiteSpace(place) ? $"Mairie de {borrower.Name}" : place.Trim();
        if (Place.Length > MaxPlaceLength)
        {
            throw new RuleException($"Le lieu est limité à {MaxPlaceLength} caractères.", "Adresse");
        }

        BorrowerCommune = borrower;
        BorrowerCommuneId = borrower.Id;
        FirstDay = firstDay;
        LastDay = lastDay;
        Location = location;
        CreatedByUserId = by.UserId;
        CreatedAt = at.ToUniversalTime();
    }

    public int Id { get; private set; }

    /// <summary>What the commune calls it: « Fête du 14 juillet ». It is also each loan's purpose.</summary>
    public string Name { get; private set; } = "";

    public int BorrowerCommuneId { get; private set; }

    public Commune BorrowerCommune { get; private set; } = null!;

    public DateOnly FirstDay { get; private set; }

    public DateOnly LastDay { get; private set; }

    /// <summary>Where it takes place, as people say it (« Mairie de Grane », « Place de l'église »).</summary>
    public string Place { get; private set; } = "";

    /// <summary>The point the proposals are measured from (WGS84 geography).</summary>
    public Point Location { get; private set; } = null!;

    public string CreatedByUserId { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public IReadOnlyList<Loan> Loans => _loans;

    /// <summary>
    /// One unit for the event: a loan request with the event's days and name as its purpose,
    /// approved at once when the unit says so (<see cref="Loan.Request"/>'s rules, unchanged).
    /// </summary>
    public Loan Ask(EquipmentUnit unit, Actor by, DateTimeOffset at, RequestWindow window, double distanceMetres, decimal ratePerKm)
    {
        var loan = Loan.Request(unit, BorrowerCommune, FirstDay, LastDay, Name, by, at, window, distanceMetres, ratePerKm);
        _loans.Add(loan);
        return loan;
    }

    public static string CheckName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new RuleException("Donnez un nom à l'événement (par exemple « Fête du 14 juillet »).", "Nom");
        }

        var trimmed = name.Trim();
        return trimmed.Length > MaxNameLength
            ? throw new RuleException($"Le nom de l'événement est limité à {MaxNameLength} caractères.", "Nom")
            : trimmed;
    }

    /// <summary>« Fête du 14 juillet à Grane : 4 prêts, 3 approuvés, 1 en attente ».</summary>
    public static string Summary(string name, string commune, IEnumerable<LoanStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var list = statuses.ToList();
        var parts = new List<string> { Count(list.Count, "prêt", "prêts") };
        var approved = list.Count(s => s is LoanStatus.Approved or LoanStatus.Delivered or LoanStatus.Returned or LoanStatus.Closed);
        var waiting = list.Count(s => s == LoanStatus.Requested);
        var refused = list.Count(s => s == LoanStatus.Refused);
        var cancelled = list.Count(s => s == LoanStatus.Cancelled);
        if (approved > 0)
        {
            parts.Add(Count(approved, "approuvé", "approuvés"));
        }

        if (waiting > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{waiting} en attente"));
        }

        if (refused > 0)
        {
            parts.Add(Count(refused, "refusé", "refusés"));
        }

        if (cancelled > 0)
        {
            parts.Add(Count(cancelled, "annulé", "annulés"));
        }

        return $"{name} à {commune}\u00a0: {string.Join(", ", parts)}";
    }

    private static string Count(int n, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {(n > 1 ? many : one)}");
}

internal sealed class EventRequestConfiguration : IEntityTypeConfiguration<EventRequest>
{
    public void Configure(EntityTypeBuilder<EventRequest> builder)
    {
        builder.ToTable("event_requests", t => t.HasCheckConstraint("ck_event_requests_days", "last_day >= first_day"));
        builder.Property(e => e.Name).HasMaxLength(EventRequest.MaxNameLength);
        builder.Property(e => e.Place).HasMaxLength(EventRequest.MaxPlaceLength);
        builder.Property(e => e.CreatedByUserId).HasMaxLength(450);
        builder.Property(e => e.Location).HasColumnType("geography (point, 4326)");
        builder.HasOne(e => e.BorrowerCommune).WithMany().HasForeignKey(e => e.BorrowerCommuneId).OnDelete(DeleteBehavior.Restrict);
        // The loans keep the link (a shadow key): Loan itself knows nothing of events.
        builder.HasMany(e => e.Loans).WithOne().HasForeignKey(EventRequest.LoanKey).OnDelete(DeleteBehavior.Restrict);
        builder.Navigation(e => e.Loans).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(e => new { e.BorrowerCommuneId, e.FirstDay });
    }
}
