using NetTopologySuite.Geometries;
using ValDrome.Geo.Territory;

namespace ValDrome.Domain.Communes;

/// <summary>A member commune, as the territory file describes it. The file is the only writer.</summary>
public sealed class Commune
{
    private Commune()
    {
    }

    public Commune(TerritoryCommune source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Insee = source.Insee;
        UpdateFrom(source);
    }

    public int Id { get; private set; }

    /// <summary>INSEE code, the natural key (upserts and URLs use it).</summary>
    public string Insee { get; private set; } = "";

    public string Name { get; private set; } = "";

    public int Population { get; private set; }

    /// <summary>Boundary, WGS84 geometry (drawn, intersected, tiled).</summary>
    public MultiPolygon Boundary { get; private set; } = null!;

    /// <summary>Reference point inside the boundary, WGS84 geography: the origin of every distance to the commune.</summary>
    public Point ReferencePoint { get; private set; } = null!;

    /// <summary>The area the source declares, km² (for checks, not for computations).</summary>
    public double? DeclaredAreaKm2 { get; private set; }

    /// <summary>Member of the community today (the file's 2025 flag); former members stay for history.</summary>
    public bool IsCurrentMember { get; private set; }

    public DateOnly? LeftOn { get; private set; }

    /// <summary>When the mairie can receive or hand over equipment (« 08:30-12:00 13:30-17:00 »).</summary>
    public string OpeningHours { get; private set; } = Transport.OpeningHours.Default;

    public void SetOpeningHours(string text) => OpeningHours = Transport.OpeningHours.Parse(text).ToString();

    /// <summary>The mairie's postal address, for the technician's stops and road sheet; unknown until staff type it.</summary>
    public string? MairieAddress { get; private set; }

    /// <summary>The mairie's phone, as typed (« 04 75 25 00 00 »); unknown until staff type it.</summary>
    public string? MairiePhone { get; private set; }

    public const int MairieAddressMaxLength = 200;

    public const int MairiePhoneMaxLength = 30;

    /// <summary>Blank means unknown; the page checked the lengths and the phone's characters.</summary>
    public void SetMairieContacts(string? address, string? phone)
    {
        MairieAddress = string.IsNullOrWhiteSpace(address) ? null : address.Trim();
        MairiePhone = string.IsNullOrWhiteSpace(phone) ? null : phone.Trim();
    }

    /// <summary>Secret in the URL of the commune's iCalendar feed (a calendar client cannot sign in).</summary>
    public string CalendarToken { get; private set; } = NewToken();

    public void RenewCalendarToken() => CalendarToken = NewToken();

    private static string NewToken() =>
        Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    /// <summary>Copies what changed; returns false when the source says nothing new (re-import is a no-op).</summary>
    public bool UpdateFrom(TerritoryCommune source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Insee != Insee)
        {
            throw new InvalidOperationException($"Commune {Insee} cannot be updated from {source.Insee}.");
        }

        var changed = false;
        Set(Name, source.Name, v => Name = v);
        Set(Population, source.Population, v => Population = v);
        Set(DeclaredAreaKm2, source.AreaKm2, v => DeclaredAreaKm2 = v);
        Set(IsCurrentMember, source.IsCurrentMember, v => IsCurrentMember = v);
        Set(LeftOn, source.LeftOn, v => LeftOn = v);
        if (Boundary is null || !Boundary.EqualsExact(source.Boundary))
        {
            Boundary = source.Boundary;
            changed = true;
        }

        if (ReferencePoint is null || !ReferencePoint.EqualsExact(source.LabelPoint))
        {
            ReferencePoint = source.LabelPoint;
            changed = true;
        }

        return changed;

        void Set<T>(T current, T next, Action<T> assign)
        {
            if (!EqualityComparer<T>.Default.Equals(current, next))
            {
                assign(next);
                changed = true;
            }
        }
    }
}
