using ValDrome.Jobs;

namespace ValDrome.Tests.French;

public sealed class CronInFrenchTests
{
    [Theory]
    [InlineData("15 0 * * *", "tous les jours à 0\u00a0h\u00a015")]
    [InlineData("30 6 * * *", "tous les jours à 6\u00a0h\u00a030")]
    [InlineData("0 7 * * *", "tous les jours à 7\u00a0h")]
    [InlineData("0 4 1 * *", "le 1er de chaque mois à 4\u00a0h")]
    [InlineData("0 6 15 * *", "le 15 de chaque mois à 6\u00a0h")]
    [InlineData("*/5 * * * *", "toutes les 5 minutes")]
    [InlineData("0 8 * * 1", "chaque lundi à 8\u00a0h")]
    public void A_schedule_reads_as_a_sentence(string cron, string french)
    {
        Assert.Equal(french, CronInFrench.Describe(cron));
    }

    [Theory]
    [InlineData("0 8 * 3 *")]
    [InlineData("0 25 * * *")]
    [InlineData("nonsense")]
    public void A_schedule_it_cannot_say_is_shown_as_it_is(string cron)
    {
        Assert.Equal(cron, CronInFrench.Describe(cron));
    }

    [Fact]
    public void Every_recurring_job_of_the_app_has_a_sentence()
    {
        Assert.All(RecurringJobs.All, job => Assert.DoesNotContain("*", CronInFrench.Describe(job.Cron), StringComparison.Ordinal));
    }
}
