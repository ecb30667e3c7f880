using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ValDrome.Domain.Calendar;

internal sealed class ClosureDayConfiguration : IEntityTypeConfiguration<ClosureDay>
{
    public void Configure(EntityTypeBuilder<ClosureDay> builder)
    {
        builder.HasIndex(c => c.Day).IsUnique().HasDatabaseName(ClosureDay.UniqueDay);
        builder.Property(c => c.Reason).HasMaxLength(WorkingCalendar.MaxReasonLength);
        builder.Property(c => c.CreatedBy).HasMaxLength(200);
    }
}

internal sealed class TechnicianAbsenceConfiguration : IEntityTypeConfiguration<TechnicianAbsence>
{
    public void Configure(EntityTypeBuilder<TechnicianAbsence> builder)
    {
        builder.HasIndex(a => new { a.FirstDay, a.LastDay });
        builder.Property(a => a.Reason).HasMaxLength(WorkingCalendar.MaxReasonLength);
        builder.Property(a => a.CreatedBy).HasMaxLength(200);
        builder.ToTable(t => t.HasCheckConstraint("ck_technician_absences_days", "last_day >= first_day"));
    }
}
