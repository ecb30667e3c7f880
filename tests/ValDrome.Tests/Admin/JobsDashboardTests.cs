using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Admin;

public sealed class JobsDashboardTests(MarketSite site) : IClassFixture<MarketSite>
{
    [Fact]
    public async Task Dashboard_is_refused_to_anonymous_visitors()
    {
        using var response = await site.App.Client().GetAsync("/jobs");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("mairie-26125")]
    [InlineData("staff")]
    [InlineData("technicien")]
    public async Task Dashboard_is_refused_to_everyone_but_admins(string user)
    {
        using var response = await (await site.As(user)).GetAsync("/jobs");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_opens_for_an_admin()
    {
        using var response = await (await site.As("admin")).GetAsync("/jobs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ValDrome — tâches planifiées", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_jobs_page_lists_every_recurring_job_and_runs_one_on_demand()
    {
        var admin = await site.As("admin");

        var page = await (await admin.GetAsync("/admin/taches")).TextAsync();
        using var run = await admin.SubmitAsync("/admin/taches", new() { ["id"] = "rappels-de-retour" }, "/admin/taches?handler=Run");
        using var unknown = await admin.SubmitAsync("/admin/taches", new() { ["id"] = "fusee" }, "/admin/taches?handler=Run");

        foreach (var id in new[] { "maintenance-echeances", "prets-en-retard", "rappels-de-retour", "decomptes-mensuels" })
        {
            Assert.Contains(id, page);
        }

        Assert.Equal(HttpStatusCode.Redirect, run.StatusCode);
        var storage = site.App.Services.GetRequiredService<Hangfire.JobStorage>();
        Assert.Contains(storage.GetMonitoringApi().EnqueuedJobs("default", 0, 50), j => j.Value.Job.Type == typeof(ValDrome.Jobs.SendReturnReminders));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("La tâche « fusee » n'existe pas.", await unknown.TextAsync());
    }

    [Fact]
    public async Task The_jobs_page_is_for_admins_only()
    {
        using var response = await (await site.As("staff")).GetAsync("/admin/taches");

        Assert.StartsWith("/acces-refuse", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
