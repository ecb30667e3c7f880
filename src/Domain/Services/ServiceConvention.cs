namespace ValDrome.Domain.Services;

/// <summary>
/// What a commune and the community signed for one year: the services it may book, each at its
/// rate, and the travel rate. A commune books a service only inside a convention that covers it.
/// A signed convention is amended by staff, not by the commune.
/// </summary>
public sealed class ServiceConvention
{
    private readonly List<ConventionLine> _lines = [];

    private ServiceConvention()
    {
    }

    public ServiceConvention(int communeId, int year, DateOnly startsOn, DateOnly endsOn, string signedBy, DateOnly? signedOn, decimal ratePerKm)
    {
        CommuneId = communeId;
        Year = year;
        Update(startsOn, endsOn, signedBy, signedOn, ratePerKm);
    }

    public int Id { get; private set; }

    public int CommuneId { get; private set; }

    public int Year { get; private set; }

    public DateOnly StartsOn { get; private set; }

    public DateOnly EndsOn { get; private set; }

    /// <summary>Who signed for the commune (« M. le maire, Jean Dupont »).</summary>
    public string SignedBy { get; private set; } = "";

    public DateOnly? SignedOn { get; private set; }

    public decimal RatePerKm { get; private set; }

    public IReadOnlyList<ConventionLine> Lines => _lines;

    public void Update(DateOnly startsOn, DateOnly endsOn, string signedBy, DateOnly? signedOn, decimal ratePerKm)
    {
        if (startsOn.Year != Year || endsOn.Year != Year || endsOn < startsOn)
        {
            throw new RuleException($"La convention {Year} commence et se termine dans l'année {Year}, la fin après le début.", "EndsOn");
        }

        if (string.IsNullOrWhiteSpace(signedBy) || signedBy.Trim().Length > 200)
        {
            throw new RuleException("Indiquez qui a signé pour la commune (200 caractères au plus).", "SignedBy");
        }

        if (ratePerKm is < 0 or > 10)
        {
            throw new RuleException("Le tarif kilométrique va de 0 à 10 € par km.", "RatePerKm");
        }

        StartsOn = startsOn;
        EndsOn = endsOn;
        SignedBy = signedBy.Trim();
        SignedOn = signedOn;
        RatePerKm = ratePerKm;
    }

    /// <summary>Adds the service, or changes its terms when it is there (for bookings to come: booked ones keep theirs).</summary>
    public void SetService(ServiceKind service, BillingUnit unit, decimal rate, decimal minimumUnits)
    {
        if (rate is < 0 or > 10_000)
        {
            throw new RuleException("Le tarif va de 0 à 10 000 €.", "Rate");
        }

        if (minimumUnits is < 0 or > 100)
        {
            throw new RuleException("Le minimum facturé va de 0 à 100 heures ou demi-journées.", "Minimum");
        }

        var line = _lines.SingleOrDefault(l => l.Service == service);
        if (line is null)
        {
            _lines.Add(new ConventionLine(service, unit, rate, minimumUnits));
        }
        else
        {
            line.Change(unit, rate, minimumUnits);
        }
    }

    public bool RemoveService(ServiceKind service) => _lines.RemoveAll(l => l.Service == service) > 0;

    public ConventionLine? For(ServiceKind service) => _lines.SingleOrDefault(l => l.Service == service);

    public bool Covers(DateOnly day) => day >= StartsOn && day <= EndsOn;
}

/// <summary>One service of a convention and its terms.</summary>
public sealed class ConventionLine
{
    private ConventionLine()
    {
    }

    internal ConventionLine(ServiceKind service, BillingUnit unit, decimal rate, decimal minimumUnits)
    {
        Service = service;
        Change(unit, rate, minimumUnits);
    }

    public int Id { get; private set; }

    public int ConventionId { get; private set; }

    public ServiceKind Service { get; private set; }

    public BillingUnit Unit { get; private set; }

    /// <summary>Per hour or per half-day, in euros.</summary>
    public decimal Rate { get; private set; }

    /// <summary>The least billed for one intervention, in <see cref="Unit"/>s (2 hours, 1 half-day).</summary>
    public decimal MinimumUnits { get; private set; }

    internal void Change(BillingUnit unit, decimal rate, decimal minimumUnits)
    {
        Unit = unit;
        Rate = rate;
        MinimumUnits = minimumUnits;
    }
}
