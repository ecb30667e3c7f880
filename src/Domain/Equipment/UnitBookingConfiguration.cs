using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ValDrome.Domain.Equipment;

public sealed class UnitBookingConfiguration : IEntityTypeConfiguration<UnitBooking>
{
    /// <summary>The constraint the migration creates (EF has no model for exclusion constraints).</summary>
    public const string NoOverlapConstraint = "ex_unit_bookings_no_overlap";

    public void Configure(EntityTypeBuilder<UnitBooking> builder)
    {
        builder.ToTable("unit_bookings", t =>
        {
            t.HasCheckConstraint("ck_unit_bookings_days", "last_day >= first_day");
            t.HasCheckConstraint("ck_unit_bookings_margin", "margin_days BETWEEN 0 AND 14");
        });
        builder.Property(b => b.Period)
            .HasColumnType("daterange")
            .HasComputedColumnSql("daterange(first_day - margin_days, last_day + margin_days + 1, '[)')", stored: true);
        builder.HasOne<EquipmentUnit>().WithMany().HasForeignKey(b => b.UnitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(b => b.LoanId).IsUnique();
        builder.HasIndex(b => b.MaintenanceTaskId).IsUnique();
        builder.ToTable(t => t.HasCheckConstraint("ck_unit_bookings_one_owner", "loan_id IS NULL OR maintenance_task_id IS NULL"));
        builder.Ignore(b => b.BlockedDays);
    }
}
