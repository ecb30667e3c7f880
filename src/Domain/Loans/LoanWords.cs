namespace ValDrome.Domain.Loans;

/// <summary>French words for a loan's states, used in rule messages, pages, mails and feeds.</summary>
public static class LoanWords
{
    /// <summary>As an adjective after "il est …".</summary>
    public static string Status(LoanStatus status) => status switch
    {
        LoanStatus.Requested => "demandé",
        LoanStatus.Approved => "approuvé",
        LoanStatus.Refused => "refusé",
        LoanStatus.Delivered => "livré",
        LoanStatus.Returned => "rendu",
        LoanStatus.Closed => "clos",
        LoanStatus.Cancelled => "annulé",
        _ => status.ToString(),
    };

    /// <summary>
    /// What another move just did, for the person whose move came second:
    /// « Ce prêt vient d'être approuvé par Marie Dupont à 10 h 42. »
    /// </summary>
    public static string JustMoved(LoanEvent last)
    {
        ArgumentNullException.ThrowIfNull(last);
        var who = $"par {last.ActorName} à {last.At.Clock()}";
        return last.From != last.To
            ? $"Ce prêt vient d'être {Status(last.To)} {who}."
            : $"Ce prêt vient d'être modifié {who}" + (last.Note is { } note ? $" : {note}" : ".");
    }

    /// <summary>As a label ("Demandé").</summary>
    public static string Label(LoanStatus status)
    {
        var word = Status(status);
        return char.ToUpperInvariant(word[0]) + word[1..];
    }
}
