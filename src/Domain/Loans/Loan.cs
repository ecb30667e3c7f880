using ValDrome.Domain.Accounts;
using ValDrome.Domain.Communes;
using ValDrome.Domain.Equipment;

namespace ValDrome.Domain.Loans;

/// <summary>
/// A commune borrows a unit for whole days: requested → approved or refused → delivered →
/// returned → closed, or cancelled by the borrower before delivery. Each move is a method that
/// refuses impossible moves and writes a line to the audit trail. While the loan is requested,
/// approved or delivered it holds a <see cref="UnitBooking"/>, which the database keeps from
/// overlapping any other.
/// </summary>
public sealed class Loan
{
    private readonly List<LoanEvent> _events = [];

    private Loan()
    {
    }

    private Loan(EquipmentUnit unit, Commune borrower, DateOnly firstDay, DateOnly lastDay, string purpose, LoanPricing pricing, double distanceMetres)
    {
        Unit = unit;
        UnitId = unit.Id;
        BorrowerCommune = borrower;
        BorrowerCommuneId = borrower.Id;
        LenderCommuneId = unit.OwnerCommuneId;
        FirstDay = firstDay;
        LastDay = lastDay;
        Purpose = purpose;
        DistanceMetres = distanceMetres;
        Price(pricing);
        Booking = new UnitBooking(unit.Id, firstDay, lastDay, unit.TransportMarginDays);
    }

    public int Id { get; private set; }

    public int UnitId { get; private set; }

    public EquipmentUnit Unit { get; private set; } = null!;

    public int BorrowerCommuneId { get; private set; }

    public Commune BorrowerCommune { get; private set; } = null!;

    /// <summary>The owner when the loan was made; null when it is the community.</summary>
    public int? LenderCommuneId { get; private set; }

    public Commune? LenderCommune { get; private set; }

    public DateOnly FirstDay { get; private set; }

    public DateOnly LastDay { get; private set; }

    public int Days => LastDay.DayNumber - FirstDay.DayNumber + 1;

    public string Purpose { get; private set; } = "";

    public LoanStatus Status { get; private set; }

    public string RequestedByUserId { get; private set; } = "";

    public DateTimeOffset RequestedAt { get; private set; }

    /// <summary>Geodesic distance from the unit's home to the borrower's reference point.</summary>
    public double DistanceMetres { get; private set; }

    public decimal DailyRate { get; private set; }

    public decimal TransportKm { get; private set; }

    public decimal TransportRatePerKm { get; private set; }

    public decimal EstimatedCost { get; private set; }

    /// <summary>Kilometres the technician actually drove for this loan (recorded from the tours); null until then.</summary>
    public decimal? ActualTransportKm { get; private set; }

    /// <summary>Adds the road kilometres of a carry done for this loan (delivery, pick-up, or half of a carry to the next borrower).</summary>
    public void RecordTransport(decimal km)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(km);
        ActualTransportKm = Math.Round((ActualTransportKm ?? 0) + km, 1, MidpointRounding.AwayFromZero);
    }

    public string? RefusalReason { get; private set; }

    public DateOnly? DeliveredOn { get; private set; }

    public string? DeliveryNotes { get; private set; }

    public decimal? DeliveryMeter { get; private set; }

    public DateOnly? ReturnedOn { get; private set; }

    public string? ReturnNotes { get; private set; }

    public decimal? ReturnMeter { get; private set; }

    public string? DamageReport { get; private set; }

    /// <summary>The last day the borrower asked to extend to, awaiting the owner's decision.</summary>
    public DateOnly? ExtensionLastDay { get; private set; }

    public UnitBooking Booking { get; private set; } = null!;

    /// <summary>The first day the loan was found overdue (not returned after its last day).</summary>
    public DateOnly? OverdueSince { get; private set; }

    /// <summary>An earlier loan of the same unit is overdue: this one may not get its unit in time.</summary>
    public int? AtRiskBecauseOfLoanId { get; private set; }

    public IReadOnlyList<LoanEvent> Events => _events;

    public bool HoldsBooking => Status is LoanStatus.Requested or LoanStatus.Approved or LoanStatus.Delivered;

    /// <summary>The states in which a loan holds its booking, for SQL that selects live loans (the GIS layer).</summary>
    public static IReadOnlyList<LoanStatus> BookingStates { get; } =
        [.. Enum.GetValues<LoanStatus>().Where(status => new Loan { Status = status }.HoldsBooking)];

    /// <summary>Longest refusal reason (the column's size).</summary>
    public const int MaxReasonLength = 1000;

    /// <summary>Longest condition notes, damage report or note on a move (the columns' size).</summary>
    public const int MaxNoteLength = 2000;

    /// <summary>
    /// A commune's request. Refuses (in French) an empty purpose, a period that ends before it
    /// starts or lies outside the request window, one longer than the category allows, a unit
    /// out of service, and a commune asking for its own unit. Availability is the database's to decide.
    /// </summary>
    public static Loan Request(
        EquipmentUnit unit, Commune borrower, DateOnly firstDay, DateOnly lastDay, string purpose,
        Actor by, DateTimeOffset at, RequestWindow window, double distanceMetres, decimal ratePerKm)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(borrower);
        ArgumentNullException.ThrowIfNull(by);
        if (!by.ActsFor(borrower.Id))
        {
            throw new UnauthorizedAccessException($"{by.Name} does not act for commune {borrower.Insee}.");
        }

        CheckPeriod(unit, firstDay, lastDay, window);
        if (string.IsNullOrWhiteSpace(purpose))
        {
            throw new RuleException("Indiquez l'usage prévu (par exemple « fête du village », « curage de fossé »).", "Purpose");
        }

        if (purpose.Trim().Length > 500)
        {
            throw new RuleException("L'usage prévu est limité à 500 caractères.", "Purpose");
        }

        if (unit.OwnerCommuneId == borrower.Id)
        {
            throw new RuleException("Ce matériel appartient déjà à votre commune : inutile de l'emprunter.", "UnitId");
        }

        if (unit.Status != UnitStatus.InService)
        {
            throw new RuleException(
                "Ce matériel n'est pas en service en ce moment : il ne peut pas être prêté." + (unit.StatusReason is { } why ? $" ({why})" : ""), "UnitId");
        }

        var days = lastDay.DayNumber - firstDay.DayNumber + 1;
        var pricing = LoanPricing.For(days, unit.DailyRate, distanceMetres, unit.Transport != TransportNeed.None, ratePerKm);
        var loan = new Loan(unit, borrower, firstDay, lastDay, purpose.Trim(), pricing, distanceMetres)
        {
            Status = LoanStatus.Requested,
            RequestedByUserId = by.UserId,
            RequestedAt = at.ToUniversalTime(),
        };
        loan.Record(by, at, null, LoanStatus.Requested, null);
        if (unit.AutoApprove)
        {
            loan.Move(Actor.System, at, LoanStatus.Approved, "Approbation automatique pour ce matériel.");
        }

        return loan;
    }

    /// <summary>The checks a period must pass before any availability is looked up.</summary>
    public static void CheckPeriod(EquipmentUnit unit, DateOnly firstDay, DateOnly lastDay, RequestWindow window)
    {
        ArgumentNullException.ThrowIfNull(unit);
        CheckWindow(firstDay, lastDay, window);

        // The unit's own longest loan, when its owner set one, rules over its category's.
        var days = lastDay.DayNumber - firstDay.DayNumber + 1;
        if (unit.MaxLoanDaysOverride is { } max && days > max)
        {
            throw new RuleException($"« {unit.Name} » se prête au plus {FrenchCount.Of(max, "jour")} ; vous en demandez {days}.", "LastDay");
        }

        if (unit.MaxLoanDaysOverride is null)
        {
            CheckDays(unit.Category, days);
        }
    }

    public static void CheckPeriod(EquipmentCategory category, DateOnly firstDay, DateOnly lastDay, RequestWindow window)
    {
        ArgumentNullException.ThrowIfNull(category);
        CheckWindow(firstDay, lastDay, window);
        CheckDays(category, lastDay.DayNumber - firstDay.DayNumber + 1);
    }

    private static void CheckDays(EquipmentCategory category, int days)
    {
        if (days > category.MaxLoanDays)
        {
            throw new RuleException(
                $"Un prêt {FrenchNames.Of(category.Name.ToLowerInvariant())} dure au plus {FrenchCount.Of(category.MaxLoanDays, "jour")} ; vous en demandez {days}.", "LastDay");
        }
    }

    private static void CheckWindow(DateOnly firstDay, DateOnly lastDay, RequestWindow window)
    {
        if (lastDay < firstDay)
        {
            throw new RuleException("Le dernier jour doit être le même que le premier ou après lui.", "LastDay");
        }

        if (firstDay < window.Today)
        {
            throw new RuleException($"Le premier jour ({firstDay:dd/MM/yyyy}) est déjà passé.", "FirstDay");
        }

        if (firstDay < window.Earliest)
        {
            throw new RuleException($"Une demande commence au plus tôt demain, le {window.Earliest:dd/MM/yyyy} : le propriétaire doit pouvoir y répondre.", "FirstDay");
        }

        if (lastDay > window.Latest)
        {
            throw new RuleException($"Une demande ne peut pas aller au-delà du {window.Latest:dd/MM/yyyy}.", lastDay == firstDay || firstDay > window.Latest ? "FirstDay" : "LastDay");
        }
    }

    /// <summary>Days past the last day without the unit back: until its return, or until <paramref name="today"/>.</summary>
    public int OverdueDays(DateOnly today)
    {
        var end = ReturnedOn ?? (Status is LoanStatus.Approved or LoanStatus.Delivered ? today : LastDay);
        return Math.Max(0, end.DayNumber - LastDay.DayNumber);
    }

    /// <summary>Marks the loan overdue when its last day has passed and the unit is not back; true the first time.</summary>
    public bool MarkOverdue(DateOnly today)
    {
        if (OverdueSince is not null || Status is not (LoanStatus.Approved or LoanStatus.Delivered) || today <= LastDay)
        {
            return false;
        }

        OverdueSince = LastDay.AddDays(1);
        return true;
    }

    /// <summary>Flags a later loan of the unit whose earlier loan is overdue; true the first time.</summary>
    public bool FlagAtRisk(int overdueLoanId)
    {
        if (AtRiskBecauseOfLoanId is not null || Status is not (LoanStatus.Requested or LoanStatus.Approved))
        {
            return false;
        }

        AtRiskBecauseOfLoanId = overdueLoanId;
        return true;
    }

    // Who may do what. Pages answer 403/404 from these; the moves below assert them again.

    public bool IsVisibleTo(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsAdmin || actor.IsStaff || actor.IsTechnician
            || actor.ActsFor(BorrowerCommuneId) || (LenderCommuneId is { } lender && actor.ActsFor(lender));
    }

    /// <summary>The owner decides: the owning commune's agent, or staff for the community's units.</summary>
    public bool IsDecidedBy(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsAdmin || (LenderCommuneId is { } lender ? actor.ActsFor(lender) : actor.IsStaff);
    }

    /// <summary>Delivery and return: the technician, staff, or the owner's side.</summary>
    public bool IsHandledBy(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsTechnician || actor.IsStaff || IsDecidedBy(actor);
    }

    /// <summary>The borrowing commune's agents (and admins) cancel and ask for extensions.</summary>
    public bool IsBorrowedBy(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsAdmin || actor.ActsFor(BorrowerCommuneId);
    }

    public void Approve(Actor by, DateTimeOffset at)
    {
        Require(IsDecidedBy(by), by);
        RequireStatus("approuver", LoanStatus.Requested);
        Move(by, at, LoanStatus.Approved, null);
    }

    public void Refuse(Actor by, DateTimeOffset at, string reason)
    {
        Require(IsDecidedBy(by), by);
        RequireStatus("refuser", LoanStatus.Requested);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new RuleException("Indiquez la raison du refus : la commune qui demande la lira.", "Reason");
        }

        RefusalReason = Limited(reason, MaxReasonLength, "La raison du refus est limitée", "Reason");
        Move(by, at, LoanStatus.Refused, RefusalReason);
    }

    public void Cancel(Actor by, DateTimeOffset at, string? note)
    {
        Require(IsBorrowedBy(by), by);
        RequireStatus("annuler", LoanStatus.Requested, LoanStatus.Approved);
        Move(by, at, LoanStatus.Cancelled, Limited(note, MaxNoteLength, "La note est limitée", "Note"));
    }

    /// <summary>
    /// The last day the owner may decide on a request: <paramref name="decisionDays"/> days after
    /// it was made, and never later than the day the unit must leave (first day less the margin).
    /// </summary>
    public DateOnly DecisionDeadline(int decisionDays)
    {
        var byDelay = DateOnly.FromDateTime(RequestedAt.ToParis().DateTime).AddDays(decisionDays);
        var leaves = FirstDay.AddDays(-Booking.MarginDays);
        return byDelay < leaves ? byDelay : leaves;
    }

    /// <summary>A request the owner left undecided past its deadline lapses: refused by ValDrome, its days freed.</summary>
    public void Expire(DateTimeOffset at, DateOnly today, int decisionDays)
    {
        RequireStatus("faire expirer", LoanStatus.Requested);
        if (today <= DecisionDeadline(decisionDays))
        {
            throw new InvalidOperationException($"Request {Id} may still be decided until {DecisionDeadline(decisionDays)}.");
        }

        RefusalReason = "Demande expirée : le propriétaire n'a pas répondu à temps.";
        Move(Actor.System, at, LoanStatus.Refused, RefusalReason);
    }

    /// <summary>Check-out: the unit leaves its owner. A unit with an hour meter needs its reading.</summary>
    public void Deliver(Actor by, DateTimeOffset at, DateOnly day, string? conditionNotes, decimal? meter)
    {
        Require(IsHandledBy(by), by);
        RequireStatus("livrer", LoanStatus.Approved);
        if (day > LastDay)
        {
            throw new RuleException("La date de livraison ne peut pas être après le dernier jour du prêt.", "Day");
        }

        // The unit may leave its owner as early as the transport margin before the first day, and not in the future.
        var earliest = FirstDay.AddDays(-(Booking?.MarginDays ?? Unit.TransportMarginDays));
        if (day < earliest)
        {
            throw new RuleException($"La date de livraison ne peut pas précéder le {earliest:dd/MM/yyyy} (premier jour du prêt, transport compris).", "Day");
        }

        if (day > ParisDay(at))
        {
            throw new RuleException("La date de livraison ne peut pas être dans le futur.", "Day");
        }

        if (Unit.HasHourMeter && meter is null)
        {
            throw new RuleException("Relevez le compteur horaire de l'engin à la livraison.", "Meter");
        }

        if (meter is < 0)
        {
            throw new RuleException("Le compteur horaire ne peut pas être négatif.", "Meter");
        }

        EquipmentUnit.CheckMeterReading(meter, "Meter");
        DeliveredOn = day;
        DeliveryNotes = Limited(conditionNotes, MaxNoteLength, "L'état à la livraison est limité", "Note");
        DeliveryMeter = Unit.HasHourMeter ? meter : null;
        if (DeliveryMeter is { } reading && (Unit.MeterReading is null || reading >= Unit.MeterReading))
        {
            Unit.ReadMeter(reading);
        }

        Move(by, at, LoanStatus.Delivered, DeliveryNotes);
    }

    /// <summary>Check-in: the unit is back. The meter cannot go backwards.</summary>
    public void Return(Actor by, DateTimeOffset at, DateOnly day, string? conditionNotes, decimal? meter, string? damage)
    {
        Require(IsHandledBy(by), by);
        RequireStatus("rendre", LoanStatus.Delivered);
        if (DeliveredOn is { } delivered && day < delivered)
        {
            throw new RuleException("La date de retour ne peut pas précéder la livraison.", "Day");
        }

        if (day > ParisDay(at))
        {
            throw new RuleException("La date de retour ne peut pas être dans le futur.", "Day");
        }

        if (Unit.HasHourMeter && meter is null)
        {
            throw new RuleException("Relevez le compteur horaire de l'engin au retour.", "Meter");
        }

        if (meter is { } reading && DeliveryMeter is { } start && reading < start)
        {
            throw new RuleException($"Le compteur au retour ({reading:N1} h) ne peut pas être inférieur à celui de la livraison ({start:N1} h).", "Meter");
        }

        EquipmentUnit.CheckMeterReading(meter, "Meter");
        var damageReport = Limited(damage, MaxNoteLength, "Le constat de dommages est limité", "Damage");
        ReturnedOn = day;
        ReturnNotes = Limited(conditionNotes, MaxNoteLength, "L'état au retour est limité", "Note");
        ReturnMeter = Unit.HasHourMeter ? meter : null;
        if (ReturnMeter is { } returnReading && (Unit.MeterReading is null || returnReading >= Unit.MeterReading))
        {
            Unit.ReadMeter(returnReading);
        }

        DamageReport = damageReport;
        Move(by, at, LoanStatus.Returned, DamageReport is null ? ReturnNotes : $"Dommages : {DamageReport}");
    }

    public void Close(Actor by, DateTimeOffset at, string? note)
    {
        Require(IsDecidedBy(by), by);
        RequireStatus("clore", LoanStatus.Returned);
        Move(by, at, LoanStatus.Closed, Limited(note, MaxNoteLength, "La note est limitée", "Note"));
    }

    /// <summary>
    /// The borrower asks to keep the unit longer. The new period is checked like a new request;
    /// an automatically approved unit is extended at once, otherwise the owner decides.
    /// </summary>
    public void RequestExtension(Actor by, DateTimeOffset at, DateOnly newLastDay)
    {
        Require(IsBorrowedBy(by), by);
        RequireStatus("prolonger", LoanStatus.Approved, LoanStatus.Delivered);
        if (newLastDay <= LastDay)
        {
            throw new RuleException($"La nouvelle date de fin doit être après le {LastDay:dd/MM/yyyy}.", "NewLastDay");
        }

        var days = newLastDay.DayNumber - FirstDay.DayNumber + 1;
        if (Unit.MaxLoanDaysOverride is { } unitMax && days > unitMax)
        {
            throw new RuleException($"« {Unit.Name} » se prête au plus {FrenchCount.Of(unitMax, "jour")}, prolongation comprise.", "NewLastDay");
        }

        if (Unit.MaxLoanDaysOverride is null && days > Unit.Category.MaxLoanDays)
        {
            throw new RuleException(
                $"Un prêt {FrenchNames.Of(Unit.Category.Name.ToLowerInvariant())} dure au plus {FrenchCount.Of(Unit.Category.MaxLoanDays, "jour")}, prolongation comprise.", "NewLastDay");
        }

        ExtensionLastDay = newLastDay;
        Record(by, at, Status, Status, $"Prolongation demandée jusqu'au {newLastDay:dd/MM/yyyy}.");
        if (Unit.AutoApprove)
        {
            ApplyExtension(Actor.System, at);
        }
    }

    public void ApproveExtension(Actor by, DateTimeOffset at)
    {
        Require(IsDecidedBy(by), by);
        ApplyExtension(by, at);
    }

    public void RefuseExtension(Actor by, DateTimeOffset at, string? reason)
    {
        Require(IsDecidedBy(by), by);
        if (ExtensionLastDay is null)
        {
            throw new RuleException("Aucune prolongation n'est en attente pour ce prêt.");
        }

        var why = Limited(reason, MaxReasonLength, "La raison du refus est limitée", "Reason");
        ExtensionLastDay = null;
        Record(by, at, Status, Status, "Prolongation refusée." + (why is { } r ? " " + r : ""));
    }

    private void ApplyExtension(Actor by, DateTimeOffset at)
    {
        RequireStatus("prolonger", LoanStatus.Approved, LoanStatus.Delivered);
        if (ExtensionLastDay is not { } newLastDay)
        {
            throw new RuleException("Aucune prolongation n'est en attente pour ce prêt.");
        }

        // The booking grows with the loan: the exclusion constraint refuses it if the days are taken.
        LastDay = newLastDay;
        ExtensionLastDay = null;
        Booking.Move(FirstDay, LastDay, Booking.MarginDays);
        Price(LoanPricing.For(Days, DailyRate, DistanceMetres, TransportKm > 0, TransportRatePerKm));
        Record(by, at, Status, Status, $"Prolongation accordée jusqu'au {newLastDay:dd/MM/yyyy}.");
    }

    private void Price(LoanPricing pricing)
    {
        DailyRate = pricing.DailyRate;
        TransportKm = pricing.TransportKm;
        TransportRatePerKm = pricing.RatePerKm;
        EstimatedCost = pricing.Total;
    }

    private void Move(Actor by, DateTimeOffset at, LoanStatus to, string? note)
    {
        var from = Status;
        Status = to;
        if (!HoldsBooking)
        {
            Booking.Release();
        }

        Record(by, at, from, to, note);
    }

    // A note is a copy of what the loan keeps in full (« Dommages : » and a 2,000-character report
    // would not fit the trail's column): the trail keeps its beginning.
    private void Record(Actor by, DateTimeOffset at, LoanStatus? from, LoanStatus to, string? note) =>
        _events.Add(new LoanEvent(at.ToUniversalTime(), by.UserId, by.Name, from, to,
            note is { Length: > MaxNoteLength } ? note[..(MaxNoteLength - 1)] + "…" : note));

    private void RequireStatus(string verb, params LoanStatus[] allowed)
    {
        if (!allowed.Contains(Status))
        {
            var of = "aeiouéè".Contains(verb[0], StringComparison.Ordinal) ? "d'" : "de ";
            throw new RuleException($"Impossible {of}{verb} ce prêt : il est {LoanWords.Status(Status)}.");
        }
    }

    private static void Require(bool allowed, Actor by)
    {
        if (!allowed)
        {
            throw new UnauthorizedAccessException($"{by.Name} may not do this on the loan.");
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The text trimmed, or a French refusal past <paramref name="max"/> characters (« La note est limitée »).</summary>
    private static string? Limited(string? text, int max, string isLimited, string field)
    {
        var trimmed = Blank(text);
        return trimmed is { Length: var length } && length > max
            ? throw new RuleException($"{isLimited} à {max:N0} caractères ; vous en avez saisi {length:N0}.", field)
            : trimmed;
    }

    private static DateOnly ParisDay(DateTimeOffset at) => DateOnly.FromDateTime(at.ToParis().DateTime);
}
