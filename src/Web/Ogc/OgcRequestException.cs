namespace ValDrome.Web.Ogc;

/// <summary>
/// A request the API refuses (bad parameter, unknown collection or feature): the endpoint filter
/// answers it as an RFC 9457 problem, in French.
/// </summary>
public sealed class OgcRequestException : Exception
{
    public OgcRequestException()
        : this(StatusCodes.Status400BadRequest, "Requête invalide", "La requête n'a pas pu être comprise.")
    {
    }

    public OgcRequestException(string message)
        : this(StatusCodes.Status400BadRequest, "Requête invalide", message)
    {
    }

    public OgcRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = StatusCodes.Status400BadRequest;
        Title = "Requête invalide";
    }

    public OgcRequestException(int status, string title, string detail)
        : base(detail)
    {
        Status = status;
        Title = title;
    }

    public int Status { get; }

    public string Title { get; }

    public static OgcRequestException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "Requête invalide", detail);

    public static OgcRequestException NotFound(string detail) => new(StatusCodes.Status404NotFound, "Ressource introuvable", detail);
}
