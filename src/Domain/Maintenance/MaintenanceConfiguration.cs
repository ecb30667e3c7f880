using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ValDrome.Domain.Equipment;

namespace ValDrome.Domain.Maintenance;

internal sealed class MaintenancePlanConfiguration : IEntityTypeConfiguration<MaintenancePlan>
{
    public void Configure(EntityTypeBuilder<MaintenancePlan> builder)
    {
        builder.ToTable("maintenance_plans", t =>
        {
            t.HasCheckConstraint("ck_maintenance_plans_interval", "interval >= 1");
            t.HasCheckConstraint("ck_maintenance_plans_duration", "duration_days BETWEEN 1 AND 60");
        });
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Label).HasMaxLength(200).UseCollation(ValDromeDb.French);
        builder.Property(p => p.LastDoneMeter).HasPrecision(10, 1);
        builder.HasOne(p => p.Unit).WithMany().OnDelete(DeleteBehavior.Cascade);
        // Kept for the cascade from units and the plans of one unit, all kinds (the partial index below has only inspections).
        builder.HasIndex(p => p.UnitId);
        // The nearest-available walk probes a candidate's inspections by this index (ADR 18).
        builder.HasIndex(p => new { p.UnitId, p.NextDueOn }).HasFilter("kind = 'Inspection'").HasDatabaseName("ix_maintenance_plans_inspection_due");
    }
}

internal sealed class MaintenanceTaskConfiguration : IEntityTypeConfiguration<MaintenanceTask>
{
    public void Configure(EntityTypeBuilder<MaintenanceTask> builder)
    {
        builder.ToTable("maintenance_tasks", t => t.HasCheckConstraint("ck_maintenance_tasks_cost", "cost IS NULL OR cost >= 0"));
        builder.Property(t => t.Notes).HasMaxLength(2000);
        builder.Property(t => t.ClosedBy).HasMaxLength(200);
        builder.Property(t => t.Cost).HasPrecision(10, 2);
        builder.Property(t => t.MeterReading).HasPrecision(10, 1);
        builder.HasOne(t => t.Plan).WithMany().HasForeignKey(t => t.PlanId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<EquipmentUnit>().WithMany().HasForeignKey(t => t.UnitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(t => t.Booking).WithOne().HasForeignKey<UnitBooking>(b => b.MaintenanceTaskId).OnDelete(DeleteBehavior.Cascade);
        // At most one open task per plan: a job run twice creates it once.
        builder.HasIndex(t => t.PlanId).IsUnique().HasFilter("closed_on IS NULL").HasDatabaseName("ux_maintenance_tasks_open_per_plan");
        builder.Ignore(t => t.IsOpen);
        builder.Property<uint>(RowVersion.Property).IsRowVersion();
    }
}
