using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ValDrome.Domain.Communes;
using ValDrome.Domain.Loans;

namespace ValDrome.Domain.Statements;

internal sealed class StatementConfiguration : IEntityTypeConfiguration<Statement>
{
    public const string UniqueMonth = "ix_statements_month_commune_id";

    public void Configure(EntityTypeBuilder<Statement> builder)
    {
        builder.ToTable("statements", t => t.HasCheckConstraint("ck_statements_month", "extract(day from month) = 1"));
        // One statement per commune and month, the community's (null) included: re-running a month adds nothing.
        builder.HasIndex(s => new { s.Month, s.CommuneId }).IsUnique().AreNullsDistinct(false).HasDatabaseName(UniqueMonth);
        builder.HasOne<Commune>().WithMany().HasForeignKey(s => s.CommuneId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(s => s.Lines).WithOne().HasForeignKey(l => l.StatementId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(s => s.Lines).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(s => s.Balance);
    }
}

internal sealed class StatementLineConfiguration : IEntityTypeConfiguration<StatementLine>
{
    public void Configure(EntityTypeBuilder<StatementLine> builder)
    {
        builder.ToTable("statement_lines");
        builder.Property(l => l.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(l => l.Label).HasMaxLength(300);
        builder.Property(l => l.DailyRate).HasPrecision(10, 2);
        builder.Property(l => l.TransportKm).HasPrecision(10, 1);
        builder.Property(l => l.Amount).HasPrecision(12, 2);
        builder.HasOne<Loan>().WithMany().HasForeignKey(l => l.LoanId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(l => l.LoanId);
    }
}
