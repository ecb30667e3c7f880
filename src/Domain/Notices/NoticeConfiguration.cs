using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ValDrome.Domain.Notices;

internal sealed class NoticeConfiguration : IEntityTypeConfiguration<Notice>
{
    /// <summary>The unique index on (loan, kind): a second notice of a kind means a second move of that kind.</summary>
    public const string OnePerLoanAndKind = "ix_notices_loan_id_kind";

    public void Configure(EntityTypeBuilder<Notice> builder)
    {
        builder.ToTable("notices", t => t.HasCheckConstraint("ck_notices_subject", "(loan_id IS NULL) <> (fault_report_id IS NULL)"));
        MailedNoticeConfiguration.Outbox(builder);
        builder.Property(n => n.Kind).HasConversion<string>().HasMaxLength(20);
        // The claim: one notice of a kind per loan, whoever runs the job and however often.
        builder.HasIndex(n => new { n.LoanId, n.Kind }).IsUnique().HasDatabaseName(OnePerLoanAndKind);
        builder.HasIndex(n => new { n.CommuneId, n.CreatedAt });
        builder.HasOne(n => n.Loan).WithMany().HasForeignKey(n => n.LoanId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(n => n.FaultReport).WithMany().HasForeignKey(n => n.FaultReportId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Communes.Commune>().WithMany().HasForeignKey(n => n.CommuneId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>What every notice table holds of <see cref="MailedNotice"/>, loan or service.</summary>
internal static class MailedNoticeConfiguration
{
    /// <summary>The outbox's columns and the sweep's index, the same in each notice table.</summary>
    public static void Outbox<T>(EntityTypeBuilder<T> builder)
        where T : MailedNotice
    {
        builder.Property(n => n.Mail).HasConversion<string>().HasMaxLength(20);
        builder.Property(n => n.Text).HasMaxLength(2000);
        builder.Property(n => n.Subject).HasMaxLength(300);
        builder.Property(n => n.Body).HasMaxLength(8000);
        builder.Property(n => n.Version).IsRowVersion();
        // The sweep's question: what is still waiting for a sender (few rows, so a partial index).
        builder.HasIndex(n => n.Mail).HasFilter("mail in ('Queued', 'Failed')");
    }
}
