using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ValDrome.Domain;
using ValDrome.Jobs;

namespace ValDrome.Web.Pages.Admin;

/// <summary>The recurring jobs, when they last ran and will run next, and a button to run one now.</summary>
public sealed class JobsModel(IRecurringJobManager jobs, JobStorage storage) : PageModel
{
    public sealed record Row(string Id, string Description, string Cron, DateTime? LastRun, string? LastState, DateTime? NextRun);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public void OnGet() => Load();

    public IActionResult OnPostRun(string id)
    {
        if (RecurringJobs.All.All(j => j.Id != id))
        {
            ModelState.AddModelError("", $"La tâche « {id} » n'existe pas.");
            Load();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // The set-up step registers the schedules; a database that never saw it gets them now, or there is nothing to trigger.
        RecurringJobs.Register(jobs);
        jobs.Trigger(id);
        TempData["Message"] = $"Tâche « {RecurringJobs.All.Single(j => j.Id == id).Description} » lancée : elle s'exécute en arrière-plan.";
        return RedirectToPage();
    }

    /// <summary>Hangfire's state names in French (« Réussie »); an unknown one is shown as it is.</summary>
    public static string State(string state) => state switch
    {
        "Enqueued" => "En file",
        "Scheduled" => "Planifiée",
        "Awaiting" => "En attente",
        "Processing" => "En cours",
        "Succeeded" => "Réussie",
        "Failed" => "Échouée",
        "Deleted" => "Supprimée",
        _ => state,
    };

    /// <summary>« 01/12/2026 à 0 h 15 », in Paris; « — » when there is none.</summary>
    public static string When(DateTime? utc) =>
        utc is { } at ? $"{new DateTimeOffset(at, TimeSpan.Zero).ToParis():dd/MM/yyyy} à {new DateTimeOffset(at, TimeSpan.Zero).Clock()}" : "—";

    private void Load()
    {
        using var connection = storage.GetConnection();
        var stored = connection.GetRecurringJobs().ToDictionary(j => j.Id, StringComparer.Ordinal);
        Rows = [.. RecurringJobs.All.Select(j => stored.TryGetValue(j.Id, out var s)
            ? new Row(j.Id, j.Description, j.Cron, s.LastExecution, s.LastJobState, s.NextExecution)
            : new Row(j.Id, j.Description, j.Cron, null, null, null))];
    }
}
