namespace ValDrome.Geo.Territory;

/// <summary>
/// The territory file cannot be imported. <see cref="Problems"/> holds one French sentence per
/// problem, each naming the feature it is about.
/// </summary>
public sealed class TerritoryFileException : Exception
{
    public TerritoryFileException(IReadOnlyList<string> problems)
        : base("Fichier du territoire refusé :" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "- " + p)))
    {
        Problems = problems;
    }

    public TerritoryFileException()
        : this(["Fichier du territoire refusé."])
    {
    }

    public TerritoryFileException(string message)
        : this([message])
    {
    }

    public TerritoryFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public IReadOnlyList<string> Problems { get; } = [];
}
