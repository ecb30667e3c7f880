using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Communes;
using ValDrome.Domain.Equipment;

namespace ValDrome.Domain;

public sealed class ValDromeDb(DbContextOptions<ValDromeDb> options) : DbContext(options)
{
    public DbSet<Commune> Communes => Set<Commune>();

    public DbSet<Depot> Depots => Set<Depot>();

    public DbSet<EquipmentCategory> EquipmentCategories => Set<EquipmentCategory>();

    public DbSet<EquipmentUnit> EquipmentUnits => Set<EquipmentUnit>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("postgis");
        modelBuilder.HasPostgresExtension("unaccent");
        modelBuilder.ApplyConfiguration(new CommuneConfiguration());
        modelBuilder.ApplyConfiguration(new DepotConfiguration());
        modelBuilder.ApplyConfiguration(new EquipmentCategoryConfiguration());
        modelBuilder.ApplyConfiguration(new EquipmentUnitConfiguration());
    }
}
