using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ValDrome.Domain.Loans;

namespace ValDrome.Domain.Notices;

internal sealed class NoticeConfiguration : IEntityTypeConfiguration<Notice>
{
    public void Configure(EntityTypeBuilder<Notice> builder)
    {
        builder.ToTable("notices");
        builder.Property(n => n.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(n => n.Mail).HasConversion<string>().HasMaxLength(20);
        builder.Property(n => n.Text).HasMaxLength(2000);
        builder.Property(n => n.Version).IsRowVersion();
        // The claim: one notice of a kind per loan, whoever runs the job and however often.
        builder.HasIndex(n => new { n.LoanId, n.Kind }).IsUnique();
        builder.HasIndex(n => new { n.CommuneId, n.CreatedAt });
        builder.HasOne<Loan>().WithMany().HasForeignKey(n => n.LoanId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Communes.Commune>().WithMany().HasForeignKey(n => n.CommuneId).OnDelete(DeleteBehavior.Restrict);
    }
}
