using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ValDrome.Domain.Equipment;

namespace ValDrome.Domain.Loans;

internal sealed class LoanConfiguration : IEntityTypeConfiguration<Loan>
{
    public void Configure(EntityTypeBuilder<Loan> builder)
    {
        builder.ToTable("loans", t =>
        {
            t.HasCheckConstraint("ck_loans_days", "last_day >= first_day");
            t.HasCheckConstraint("ck_loans_borrower_is_not_lender", "lender_commune_id IS NULL OR lender_commune_id <> borrower_commune_id");
            t.HasCheckConstraint("ck_loans_money", "daily_rate >= 0 AND transport_km >= 0 AND transport_rate_per_km >= 0 AND estimated_cost >= 0");
        });
        builder.Property(l => l.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(l => l.Purpose).HasMaxLength(500);
        builder.Property(l => l.RequestedByUserId).HasMaxLength(450);
        builder.Property(l => l.DailyRate).HasPrecision(10, 2);
        builder.Property(l => l.TransportKm).HasPrecision(10, 1);
        builder.Property(l => l.ActualTransportKm).HasPrecision(10, 1);
        builder.Property(l => l.TransportRatePerKm).HasPrecision(10, 2);
        builder.Property(l => l.EstimatedCost).HasPrecision(12, 2);
        builder.Property(l => l.DeliveryMeter).HasPrecision(10, 1);
        builder.Property(l => l.ReturnMeter).HasPrecision(10, 1);
        builder.Property(l => l.RefusalReason).HasMaxLength(1000);
        builder.Property(l => l.DeliveryNotes).HasMaxLength(2000);
        builder.Property(l => l.ReturnNotes).HasMaxLength(2000);
        builder.Property(l => l.DamageReport).HasMaxLength(2000);
        builder.HasOne(l => l.Unit).WithMany().OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(l => l.BorrowerCommune).WithMany().HasForeignKey(l => l.BorrowerCommuneId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(l => l.LenderCommune).WithMany().HasForeignKey(l => l.LenderCommuneId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(l => l.Booking).WithOne().HasForeignKey<UnitBooking>(b => b.LoanId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(l => l.Events).WithOne().HasForeignKey(e => e.LoanId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(l => l.Events).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(l => new { l.BorrowerCommuneId, l.Status });
        builder.HasIndex(l => new { l.LenderCommuneId, l.Status });
        builder.HasIndex(l => new { l.UnitId, l.FirstDay });
        builder.HasIndex(l => l.ReturnedOn);
        builder.Ignore(l => l.Days);
        builder.Ignore(l => l.HoldsBooking);
        // Two moves on one loan at once: the second one's UPDATE finds another xmin and writes nothing (ADR 14).
        builder.Property<uint>(RowVersion.Property).IsRowVersion();
    }
}

internal sealed class LoanEventConfiguration : IEntityTypeConfiguration<LoanEvent>
{
    public void Configure(EntityTypeBuilder<LoanEvent> builder)
    {
        builder.ToTable("loan_events");
        builder.Property(e => e.From).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.To).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.ActorUserId).HasMaxLength(450);
        builder.Property(e => e.ActorName).HasMaxLength(200);
        builder.Property(e => e.Note).HasMaxLength(2000);
        builder.HasIndex(e => new { e.LoanId, e.At });
    }
}
