using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ValDrome.Domain.Communes;

internal sealed class DepotConfiguration : IEntityTypeConfiguration<Depot>
{
    public void Configure(EntityTypeBuilder<Depot> builder)
    {
        builder.Property(d => d.Name).HasMaxLength(120).UseCollation(ValDromeDb.French);
        builder.HasIndex(d => d.Name).IsUnique();
        builder.Property(d => d.Address).HasMaxLength(250);
        builder.Property(d => d.Location).HasColumnType("geography (point, 4326)");
        builder.HasIndex(d => d.Location).HasMethod("gist");
        builder.HasOne(d => d.Commune).WithMany().OnDelete(DeleteBehavior.Restrict);
        // Staff move depots from the catalogue's pages: two edits at once, the second is told (ADR 14).
        builder.Property<uint>(RowVersion.Property).IsRowVersion();
    }
}
