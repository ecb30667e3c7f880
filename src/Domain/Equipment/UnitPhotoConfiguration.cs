using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ValDrome.Domain.Equipment;

internal sealed class UnitPhotoConfiguration : IEntityTypeConfiguration<UnitPhoto>
{
    public void Configure(EntityTypeBuilder<UnitPhoto> builder)
    {
        // bytea in the database itself: one backup holds the catalogue and its photos (ADR 16).
        builder.ToTable("unit_photos", t =>
        {
            t.HasCheckConstraint("ck_unit_photos_sizes", "thumbnail_width > 0 AND thumbnail_height > 0 AND large_width > 0 AND large_height > 0");
            t.HasCheckConstraint("ck_unit_photos_position", "position >= 0");
        });
        builder.Property(p => p.Hash).HasMaxLength(16).IsFixedLength();
        builder.Property(p => p.AddedBy).HasMaxLength(256);
        builder.HasOne(p => p.Unit).WithMany().HasForeignKey(p => p.UnitId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(p => p.FaultReport).WithMany().HasForeignKey(p => p.FaultReportId).OnDelete(DeleteBehavior.Cascade);
        // The catalogue's question: the first photo of each unit's gallery, without reading the bytes.
        builder.HasIndex(p => new { p.UnitId, p.Position }).HasFilter("fault_report_id IS NULL")
            .IncludeProperties(p => new { p.Id, p.Hash, p.ThumbnailWidth, p.ThumbnailHeight });
        builder.HasIndex(p => p.FaultReportId);
        builder.Property<uint>(RowVersion.Property).IsRowVersion();
    }
}

internal sealed class FaultReportConfiguration : IEntityTypeConfiguration<FaultReport>
{
    public void Configure(EntityTypeBuilder<FaultReport> builder)
    {
        builder.ToTable("fault_reports", t => t.HasCheckConstraint("ck_fault_reports_closed", "(closed_at IS NULL) = (closed_by IS NULL)"));
        builder.Property(r => r.Description).HasMaxLength(FaultReport.MaxDescriptionLength);
        builder.Property(r => r.ReportedBy).HasMaxLength(256);
        builder.Property(r => r.ReporterName).HasMaxLength(256);
        builder.Property(r => r.ClosedBy).HasMaxLength(256);
        builder.HasOne(r => r.Unit).WithMany().HasForeignKey(r => r.UnitId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Communes.Commune>().WithMany().HasForeignKey(r => r.ReporterCommuneId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => r.UnitId).HasFilter("closed_at IS NULL").HasDatabaseName("ix_fault_reports_open_per_unit");
        builder.Ignore(r => r.IsOpen);
        builder.Property<uint>(RowVersion.Property).IsRowVersion();
    }
}
