using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using ValDrome.Domain.Seed;

namespace ValDrome.Tests.Support;

/// <summary>What a person does in a browser, over HTTP: sign in, read a page, submit its form with its antiforgery token.</summary>
public static partial class Browsing
{
    /// <summary>A client that keeps cookies and does not follow redirects (tests read them).</summary>
    public static HttpClient Client(this ValDromeApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<HttpClient> SignedInAsync(this ValDromeApp app, string userName)
    {
        var client = app.Client();
        using var response = await client.SubmitAsync("/connexion", new()
        {
            ["Form.UserName"] = userName,
            ["Form.Password"] = DevelopmentAccounts.Password,
        });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"{userName} could not sign in: {(int)response.StatusCode}");
        }

        return client;
    }

    /// <summary>Reads <paramref name="pageUrl"/> for its antiforgery token, then posts the fields to <paramref name="postUrl"/>.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string pageUrl, Dictionary<string, string> fields, string? postUrl = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(fields);
        using var page = await client.GetAsync(pageUrl);
        var html = await page.Content.ReadAsStringAsync();
        var token = Token().Match(html);
        if (!token.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on {pageUrl} ({(int)page.StatusCode}).");
        }

        using var form = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value))));
        return await client.PostAsync(postUrl ?? pageUrl, form);
    }

    /// <summary>The page's text as a person reads it: entities decoded, no-break spaces as spaces.</summary>
    public static async Task<string> TextAsync(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        return WebUtility.HtmlDecode(body).Replace('\u00a0', ' ').Replace('\u202f', ' ');
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
