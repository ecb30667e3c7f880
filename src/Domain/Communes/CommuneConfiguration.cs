using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ValDrome.Domain.Communes;

internal sealed class CommuneConfiguration : IEntityTypeConfiguration<Commune>
{
    public void Configure(EntityTypeBuilder<Commune> builder)
    {
        builder.Property(c => c.Insee).HasMaxLength(5).IsFixedLength();
        builder.HasIndex(c => c.Insee).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(100).UseCollation(ValDromeDb.French);
        builder.Property(c => c.Boundary).HasColumnType("geometry (multipolygon, 4326)");
        builder.Property(c => c.ReferencePoint).HasColumnType("geography (point, 4326)");
        builder.HasIndex(c => c.Boundary).HasMethod("gist");
        // Rows that existed before the feed got a token from the database (gen_random_uuid is a strong random source).
        builder.Property(c => c.OpeningHours).HasMaxLength(Transport.OpeningHours.StoredLength).HasDefaultValue(Transport.OpeningHours.Default);
        builder.Property(c => c.MairieAddress).HasMaxLength(Commune.MairieAddressMaxLength);
        builder.Property(c => c.MairiePhone).HasMaxLength(Commune.MairiePhoneMaxLength);
        builder.Property(c => c.CalendarToken).HasMaxLength(64)
            .HasDefaultValueSql("replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')");
        builder.HasIndex(c => c.CalendarToken).IsUnique();
        builder.HasIndex(c => c.ReferencePoint).HasMethod("gist");
        builder.ToTable(t => t.HasCheckConstraint("ck_communes_population", "population >= 0"));
    }
}
