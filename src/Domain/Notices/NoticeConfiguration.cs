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
        MailedNotice.Configure(builder);
        builder.Property(n => n.Kind).HasConversion<string>().HasMaxLength(20);
        // The claim: one notice of a kind per loan, whoever runs the job and however often.
        builder.HasIndex(n => new { n.LoanId, n.Kind }).IsUnique().HasDatabaseName(OnePerLoanAndKind);
        builder.HasIndex(n => new { n.CommuneId, n.CreatedAt });
        builder.HasOne(n => n.Loan).WithMany().HasForeignKey(n => n.LoanId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(n => n.FaultReport).WithMany().HasForeignKey(n => n.FaultReportId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Communes.Commune>().WithMany().HasForeignKey(n => n.CommuneId).OnDelete(DeleteBehavior.Restrict);
    }
}
