using Microsoft.Playwright;
using ValDrome.Domain.Seed;

namespace ValDrome.BrowserTests;

[Collection(SharedBrowser.Name)]
public sealed class SecurityPolicyTests(BrowserSite site)
{
    [Fact]
    public async Task The_maps_and_page_scripts_run_under_the_content_security_policy_without_a_violation()
    {
        var page = await site.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)
                || message.Text.Contains("Permissions-Policy", StringComparison.Ordinal)))
            {
                violations.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => violations.Add($"{page.Url}: {error}");

        await page.GotoAsync("/carte");
        await page.Locator("#map[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.GotoAsync("/communes/26144");
        await page.Locator(".minimap[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await RequestFlowTests.SignInAsync(page, DevelopmentAccounts.Admin);
        await page.GotoAsync("/tournees");
        await page.GotoAsync("/decomptes");
        await page.GotoAsync("/maintenance");

        Assert.Empty(violations);
        var csp = (await page.GotoAsync("/"))!.Headers["content-security-policy"];
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
    }
}
