using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ValDrome.Domain.Accounts;

internal sealed class GisAccessKeyConfiguration : IEntityTypeConfiguration<GisAccessKey>
{
    public void Configure(EntityTypeBuilder<GisAccessKey> builder)
    {
        builder.ToTable("gis_access_keys", t => t.HasCheckConstraint("ck_gis_access_keys_secret_hash", "octet_length(secret_hash) = 32"));
        builder.Property(k => k.UserId).HasMaxLength(450);
        builder.Property(k => k.Name).HasMaxLength(GisAccessKey.NameMaxLength);
        builder.Property(k => k.SecretHash).IsRequired();
        builder.Property(k => k.Hint).HasMaxLength(GisAccessKey.HintLength);
        builder.HasIndex(k => k.SecretHash).IsUnique();
        builder.HasIndex(k => k.UserId);
        builder.HasOne<ValDromeUser>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
