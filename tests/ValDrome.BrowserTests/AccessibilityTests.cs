using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ValDrome.BrowserTests;

/// <summary>axe-core on every page each role reaches: no serious or critical violation.</summary>
[Collection(SharedBrowser.Name)]
public sealed partial class AccessibilityTests(BrowserSite site)
{
    private static readonly string[] Anonymous =
        ["/", "/carte", "/materiel", "{unit}", "{unit}/disponibilites", "/communes", "/communes/26144", "/connexion", "/mot-de-passe-oublie", "/nulle-part"];

    private static readonly Dictionary<string, string[]> SignedIn = new()
    {
        ["mairie-26006"] = ["/prets", "{loan}", "/prets/demander", "/decomptes", "/maintenance", "/compte", "/materiel/nouveau", "{unit}/modifier"],
        ["staff"] = ["/admin/comptes", "/admin/categories", "/admin/depots", "/tournees", "/decomptes"],
        ["technicien"] = ["/tournees", "/maintenance"],
        ["admin"] = ["/admin/taches", "/prets"],
    };

    [Theory]
    [InlineData("")]
    [InlineData("mairie-26006")]
    [InlineData("staff")]
    [InlineData("technicien")]
    [InlineData("admin")]
    public async Task Every_page_of_a_role_has_no_serious_or_critical_violation(string user)
    {
        var page = await site.NewPageAsync();
        if (user.Length > 0)
        {
            await RequestFlowTests.SignInAsync(page, user);
        }

        await page.GotoAsync("/materiel");
        var unit = UnitLink().Match(await page.ContentAsync()).Value;
        var loan = "";
        if (user.Length > 0)
        {
            await page.GotoAsync("/prets");
            loan = LoanLink().Match(await page.ContentAsync()).Value;
        }

        var failures = new List<string>();
        foreach (var path in user.Length == 0 ? Anonymous : SignedIn[user])
        {
            var url = path.Replace("{unit}", unit, StringComparison.Ordinal).Replace("{loan}", loan, StringComparison.Ordinal);
            if (url.Length == 0)
            {
                continue;
            }

            await page.GotoAsync(url);
            // Map pages draw after their data arrives.
            await page.WaitForTimeoutAsync(url.Contains("carte", StringComparison.Ordinal) ? 1500 : 300);
            var result = await page.RunAxe();
            failures.AddRange(result.Violations
                .Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{url}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}"));
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, $"axe-{(user.Length == 0 ? "anonyme" : user)}.png") });
    }

    [GeneratedRegex("/materiel/[0-9]+(?=\")")]
    private static partial Regex UnitLink();

    [GeneratedRegex("/prets/[0-9]+(?=\")")]
    private static partial Regex LoanLink();
}
