namespace ValDrome.Web.Pages;

/// <summary>
/// What a person whose move came second reads (409): what the other move did, that theirs wrote
/// nothing, and a link back to what they were looking at, as it is now (ADR 14).
/// </summary>
public sealed record ConflictNotice(string Message, string BackUrl, string BackLabel);
