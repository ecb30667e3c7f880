using Hangfire;
using ValDrome.Domain;

namespace ValDrome.Jobs;

/// <summary>The one place with schedules: every recurring job, its explicit id, its time in Europe/Paris.</summary>
public static class RecurringJobs
{
    public const string Maintenance = "maintenance-echeances";
    public const string Overdue = "prets-en-retard";
    public const string Reminders = "rappels-de-retour";
    public const string Statements = "decomptes-mensuels";
    public const string Expiry = "demandes-expirees";
    public const string PendingNotices = "avis-en-attente";
    public const string PendingServiceNotices = "avis-services-en-attente";

    /// <summary>Id, French description and cron, for the jobs page.</summary>
    public static IReadOnlyList<(string Id, string Description, string Cron)> All { get; } =
    [
        (Maintenance, "Maintenances et vérifications arrivées à échéance", "15 0 * * *"),
        (Overdue, "Prêts en retard et réservations compromises", "30 6 * * *"),
        (Reminders, "Rappels de retour (la veille du dernier jour)", "0 7 * * *"),
        (Statements, "Décomptes du mois précédent (le 1er)", "0 4 1 * *"),
        (Expiry, "Demandes restées sans réponse : expirées", "45 0 * * *"),
        (PendingNotices, "Courriels des avis en attente ou refusés par le serveur", "*/5 * * * *"),
        (PendingServiceNotices, "Courriels des avis des services aux communes en attente", "*/5 * * * *"),
    ];

    public static void Register(IRecurringJobManager jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var paris = new RecurringJobOptions { TimeZone = ParisTime.Zone };
        jobs.AddOrUpdate<ScheduleDueMaintenance>(Maintenance, j => j.RunAsync(CancellationToken.None), Cron(Maintenance), paris);
        jobs.AddOrUpdate<MarkOverdueLoans>(Overdue, j => j.RunAsync(CancellationToken.None), Cron(Overdue), paris);
        jobs.AddOrUpdate<SendReturnReminders>(Reminders, j => j.RunAsync(CancellationToken.None), Cron(Reminders), paris);
        jobs.AddOrUpdate<BuildMonthlyStatements>(Statements, j => j.RunAsync(CancellationToken.None), Cron(Statements), paris);
        jobs.AddOrUpdate<ExpirePendingRequests>(Expiry, j => j.RunAsync(CancellationToken.None), Cron(Expiry), paris);
        jobs.AddOrUpdate<Notices.SendPendingNotices>(PendingNotices, j => j.RunAsync(CancellationToken.None), Cron(PendingNotices), paris);
        jobs.AddOrUpdate<Notices.SendPendingServiceNotices>(PendingServiceNotices, j => j.RunAsync(CancellationToken.None), Cron(PendingServiceNotices), paris);
    }

    private static string Cron(string id) => All.Single(j => j.Id == id).Cron;
}
