using System.Globalization;
using System.Net;
using ValDrome.Domain.Loans;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Loans;

/// <summary>
/// Each role × each action × own or other commune, over HTTP, on a loan of Livron's backhoe to
/// Grane (and one of the community's): what is allowed happens, what is not answers 403 (the
/// move is not yours) or 404 (the loan is not even yours to see), and changes nothing.
/// </summary>
public sealed class RightsTests(MarketSite site) : IClassFixture<MarketSite>
{
    public enum Outcome
    {
        Done,
        Forbidden,
        NotFound,
    }

    // Borrower (Grane), lender (Livron), another commune (Mirmande), and the community's people.
    private static readonly string[] People = ["mairie-26144", "mairie-26165", "mairie-26185", "staff", "technicien", "admin"];

    public static TheoryData<string, string, Outcome> CommuneUnitMatrix()
    {
        var expected = new Dictionary<string, Outcome[]>
        {
            // borrower, lender, other, staff, technician, admin
            ["View"] = [Outcome.Done, Outcome.Done, Outcome.NotFound, Outcome.Done, Outcome.Done, Outcome.Done],
            ["Approve"] = [Outcome.Forbidden, Outcome.Done, Outcome.NotFound, Outcome.Forbidden, Outcome.Forbidden, Outcome.Done],
            ["Refuse"] = [Outcome.Forbidden, Outcome.Done, Outcome.NotFound, Outcome.Forbidden, Outcome.Forbidden, Outcome.Done],
            ["Cancel"] = [Outcome.Done, Outcome.Forbidden, Outcome.NotFound, Outcome.Forbidden, Outcome.Forbidden, Outcome.Done],
            ["Deliver"] = [Outcome.Forbidden, Outcome.Done, Outcome.NotFound, Outcome.Done, Outcome.Done, Outcome.Done],
            ["Return"] = [Outcome.Forbidden, Outcome.Done, Outcome.NotFound, Outcome.Done, Outcome.Done, Outcome.Done],
            ["Close"] = [Outcome.Forbidden, Outcome.Done, Outcome.NotFound, Outcome.Forbidden, Outcome.Forbidden, Outcome.Done],
            ["Extend"] = [Outcome.Done, Outcome.Forbidden, Outcome.NotFound, Outcome.Forbidden, Outcome.Forbidden, Outcome.Done],
        };
        var data = new TheoryData<string, string, Outcome>();
        foreach (var (action, outcomes) in expected)
        {
            for (var i = 0; i < People.Length; i++)
            {
                data.Add(action, People[i], outcomes[i]);
            }
        }

        return data;
    }

    public static TheoryData<string, string, Outcome> CommunityUnitMatrix() => new()
    {
        { "Approve", "staff", Outcome.Done },
        { "Approve", "mairie-26185", Outcome.NotFound },
        { "Approve", "technicien", Outcome.Forbidden },
        { "Approve", "mairie-26144", Outcome.Forbidden },
        { "Close", "staff", Outcome.Done },
        { "Deliver", "technicien", Outcome.Done },
    };

    [Theory]
    [MemberData(nameof(CommuneUnitMatrix))]
    public Task A_commune_unit_loan(string action, string user, Outcome expected) => CheckAsync("26165-TP-01", action, user, expected);

    [Theory]
    [MemberData(nameof(CommunityUnitMatrix))]
    public Task A_community_unit_loan(string action, string user, Outcome expected) => CheckAsync("CCVD-TP-01", action, user, expected);

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        var first = site.Week();
        var loan = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first);

        using var response = await site.App.Client().GetAsync($"/prets/{loan.Id}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/connexion", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_only_sees_the_loans_of_their_commune()
    {
        var first = site.Week();
        var ours = await Make.LoanAsync(site.Database, "26165-TP-01", "26144", first, first);
        var theirs = await Make.LoanAsync(site.Database, "26006-MP-01", "26185", first, first);

        var html = await (await (await site.As("mairie-26144")).GetAsync("/prets")).TextAsync();

        Assert.Contains($"href=\"/prets/{ours.Id}\"", html);
        Assert.DoesNotContain($"href=\"/prets/{theirs.Id}\"", html);
    }

    private async Task CheckAsync(string unitCode, string action, string user, Outcome expected)
    {
        var first = site.Week();
        var setUp = action switch
        {
            "Deliver" or "Extend" => LoanStatus.Approved,
            "Return" => LoanStatus.Delivered,
            "Close" => LoanStatus.Returned,
            _ => LoanStatus.Requested,
        };
        var loan = await Make.LoanAsync(site.Database, unitCode, "26144", first, first.AddDays(1), setUp);
        var client = await site.As(user);

        HttpResponseMessage response;
        if (action == "View")
        {
            response = await client.GetAsync($"/prets/{loan.Id}");
        }
        else
        {
            // Any page of the site gives the antiforgery token to a signed-in person (the sign-out form).
            var day = first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            // A delivery or a return is recorded on its day or later.
            if (action is "Deliver" or "Return")
            {
                site.App.SetToday(first);
            }

            try
            {
                response = await client.SubmitAsync("/", new()
                {
                    ["Reason"] = "Essai",
                    ["Day"] = day,
                    ["Meter"] = action == "Return" ? "120" : "100",
                    ["NewLastDay"] = first.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                }, $"/prets/{loan.Id}?handler={action}");
            }
            finally
            {
                site.App.Clock.Now = ValDromeApp.DefaultNow;
            }
        }

        using (response)
        {
            var (after, extension) = await Make.StateAsync(site.Database, loan.Id);
            var changed = after != setUp || extension is not null;
            switch (expected)
            {
                case Outcome.Done when action == "View":
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    break;
                case Outcome.Done:
                    Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                    Assert.Equal($"/prets/{loan.Id}", response.Headers.Location!.OriginalString);
                    Assert.True(changed, $"{action} by {user} changed nothing");
                    break;
                case Outcome.Forbidden:
                    Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                    Assert.StartsWith("/acces-refuse", response.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
                    Assert.False(changed);
                    break;
                case Outcome.NotFound:
                    Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                    Assert.False(changed);
                    break;
            }
        }
    }
}

internal static class UriExtensions
{
    public static string PathAndQuery(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}
