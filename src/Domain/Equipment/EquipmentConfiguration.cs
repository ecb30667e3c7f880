using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ValDrome.Domain.Equipment;

internal sealed class EquipmentCategoryConfiguration : IEntityTypeConfiguration<EquipmentCategory>
{
    public void Configure(EntityTypeBuilder<EquipmentCategory> builder)
    {
        builder.ToTable("equipment_categories");
        builder.Property(c => c.Code).HasMaxLength(40);
        builder.HasIndex(c => c.Code).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(80).UseCollation(ValDromeDb.French);
        builder.HasIndex(c => c.Name).IsUnique();
        builder.Property(c => c.Description).HasMaxLength(500);
        builder.Property(c => c.MaxLoanDays).HasDefaultValue(30);
        // Staff rename categories from the catalogue's pages: two renames at once, the second is told (ADR 14).
        builder.Property<uint>(RowVersion.Property).IsRowVersion();
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_equipment_categories_max_loan_days", "max_loan_days >= 1");
            t.HasCheckConstraint("ck_equipment_categories_transport_margin_days", "transport_margin_days BETWEEN 0 AND 14");
        });
    }
}

internal sealed class EquipmentUnitConfiguration : IEntityTypeConfiguration<EquipmentUnit>
{
    public void Configure(EntityTypeBuilder<EquipmentUnit> builder)
    {
        builder.ToTable("equipment_units", t =>
        {
            t.HasCheckConstraint("ck_equipment_units_daily_rate", "daily_rate >= 0");
            t.HasCheckConstraint("ck_equipment_units_transport_margin_days", "transport_margin_days_override BETWEEN 0 AND 14");
            t.HasCheckConstraint("ck_equipment_units_deposit", "deposit >= 0");
            t.HasCheckConstraint("ck_equipment_units_max_loan_days", "max_loan_days_override BETWEEN 1 AND 365");
            t.HasCheckConstraint("ck_equipment_units_retired", "(status = 'Retired') = (retired_at IS NOT NULL)");
        });
        builder.Property(u => u.Deposit).HasPrecision(10, 2);
        builder.Property(u => u.ConditionsOfUse).HasMaxLength(2000).HasDefaultValue("");
        builder.Property(u => u.EditVersion).IsConcurrencyToken();
        builder.Property(u => u.InventoryCode).HasMaxLength(40);
        builder.HasIndex(u => u.InventoryCode).IsUnique();
        builder.Property(u => u.Name).HasMaxLength(120).UseCollation(ValDromeDb.French);
        builder.Property(u => u.Description).HasMaxLength(2000);
        builder.Property(u => u.LicenceRequirement).HasMaxLength(120);
        builder.Property(u => u.DailyRate).HasPrecision(10, 2);
        builder.Property(u => u.Transport).HasConversion<string>().HasMaxLength(20);
        builder.Property(u => u.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(u => u.StatusReason).HasMaxLength(300);
        builder.Property(u => u.MeterReading).HasPrecision(10, 1);
        builder.Property(u => u.HomeLocation).HasColumnType("geography (point, 4326)");
        builder.HasIndex(u => u.HomeLocation).HasMethod("gist");
        // Nearest units of one category: KNN (<->) inside the category, driven by one index (btree_gist).
        builder.HasIndex(u => new { u.CategoryId, u.HomeLocation }).HasMethod("gist")
            .HasDatabaseName("ix_equipment_units_category_id_home_location_knn");
        builder.HasOne(u => u.Category).WithMany().OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(u => u.OwnerCommune).WithMany().OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(u => u.HomeDepot).WithMany().OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(u => u.IsCommunityOwned);
        builder.Ignore(u => u.TransportMarginDays);
    }
}
