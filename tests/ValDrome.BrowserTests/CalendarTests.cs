using Microsoft.Playwright;

namespace ValDrome.BrowserTests;

/// <summary>Issue 12: staff close a day on the calendar of working days, on a desktop and on a phone (ADR 18).</summary>
[Collection(SharedBrowser.Name)]
public sealed class CalendarTests(BrowserSite site)
{
    [Theory]
    [InlineData(1280, 900, "calendrier.png")]
    [InlineData(390, 844, "calendrier-telephone.png")]
    public async Task Staff_close_a_day_and_see_it_listed(int width, int height, string screenshot)
    {
        var page = await site.NewPageAsync(width, height);
        await RequestFlowTests.SignInAsync(page, "staff");
        await page.GotoAsync("/admin/calendrier");
        var day = site.App.Today.AddDays(width == 390 ? 38 : 52);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || Domain.Calendar.PublicHolidays.On(day) is not null)
        {
            day = day.AddDays(1);
        }

        await page.GetByLabel("Jour", new() { Exact = true }).FillAsync(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("form:has(button:text('Fermer ce jour'))").GetByLabel("Motif").FillAsync("Pont de fin d'année");
        await page.GetByRole(AriaRole.Button, new() { Name = "Fermer ce jour" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("enregistrée : aucune tournée ce jour-là.");
        await Assertions.Expect(page.Locator(".calendar-list").First).ToContainTextAsync("Pont de fin d'année");
        await Assertions.Expect(page.GetByText("Jours fériés des douze prochains mois")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.ScreenshotDirectory, screenshot), FullPage = true });
    }
}
