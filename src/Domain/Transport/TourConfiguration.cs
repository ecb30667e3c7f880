using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ValDrome.Domain.Transport;

internal sealed class TourDayConfiguration : IEntityTypeConfiguration<TourDay>
{
    public const string UniqueDay = "ix_tour_days_day";

    public void Configure(EntityTypeBuilder<TourDay> builder)
    {
        builder.ToTable("tour_days");
        builder.HasIndex(t => t.Day).IsUnique().HasDatabaseName(UniqueDay);
        builder.Property(t => t.Vehicle).HasMaxLength(120);
        builder.HasMany(t => t.Stops).WithOne().HasForeignKey(s => s.TourDayId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.LeftOut).WithOne().HasForeignKey(s => s.TourDayId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(t => t.Stops).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Navigation(t => t.LeftOut).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Property<uint>(RowVersion.Property).IsRowVersion();
    }
}

internal sealed class TourStopConfiguration : IEntityTypeConfiguration<TourStopEntry>
{
    public void Configure(EntityTypeBuilder<TourStopEntry> builder)
    {
        builder.ToTable("tour_stops");
        builder.Property(s => s.Action).HasConversion<string>().HasMaxLength(10);
        builder.Property(s => s.Need).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.MovementKey).HasMaxLength(60);
        builder.Property(s => s.UnitName).HasMaxLength(120);
        builder.Property(s => s.PlaceKey).HasMaxLength(40);
        builder.Property(s => s.PlaceName).HasMaxLength(160);
        builder.Ignore(s => s.CarryLoanIds);
        builder.HasOne<Loans.Loan>().WithMany().HasForeignKey(s => s.CarryCollectsLoanId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Loans.Loan>().WithMany().HasForeignKey(s => s.CarryDeliversLoanId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Services.AgentBooking>().WithMany().HasForeignKey(s => s.VisitBookingId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(s => s.DoneBy).HasMaxLength(200);
        builder.HasIndex(s => new { s.TourDayId, s.Sequence });
        builder.Property<uint>(RowVersion.Property).IsRowVersion();
    }
}

internal sealed class TourLeftOutConfiguration : IEntityTypeConfiguration<TourLeftOut>
{
    public void Configure(EntityTypeBuilder<TourLeftOut> builder)
    {
        builder.ToTable("tour_left_out");
        builder.Ignore(s => s.IsVisit);
        builder.Property(s => s.MovementKey).HasMaxLength(60);
        builder.Property(s => s.Description).HasMaxLength(300);
        builder.Property(s => s.Reason).HasMaxLength(200);
    }
}
