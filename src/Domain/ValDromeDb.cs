using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Calendar;
using ValDrome.Domain.Communes;
using ValDrome.Domain.Equipment;
using ValDrome.Domain.Loans;
using ValDrome.Domain.Maintenance;
using ValDrome.Domain.Notices;
using ValDrome.Domain.Services;
using ValDrome.Domain.Statements;
using ValDrome.Domain.Transport;

namespace ValDrome.Domain;

public sealed class ValDromeDb(DbContextOptions<ValDromeDb> options) : IdentityDbContext<ValDromeUser>(options), IDataProtectionKeyContext
{
    /// <summary>The ICU collation names are sorted by (created by a migration), the database side of <see cref="FrenchNames.Comparer"/>.</summary>
    public const string French = "french";

    public DbSet<Commune> Communes => Set<Commune>();

    public DbSet<Depot> Depots => Set<Depot>();

    public DbSet<EquipmentCategory> EquipmentCategories => Set<EquipmentCategory>();

    public DbSet<EquipmentUnit> EquipmentUnits => Set<EquipmentUnit>();

    public DbSet<UnitBooking> UnitBookings => Set<UnitBooking>();

    public DbSet<Loan> Loans => Set<Loan>();

    public DbSet<LoanEvent> LoanEvents => Set<LoanEvent>();

    public DbSet<EventRequest> EventRequests => Set<EventRequest>();

    public DbSet<Notice> Notices => Set<Notice>();

    public DbSet<MaintenancePlan> MaintenancePlans => Set<MaintenancePlan>();

    public DbSet<MaintenanceTask> MaintenanceTasks => Set<MaintenanceTask>();

    public DbSet<Statement> Statements => Set<Statement>();

    public DbSet<StatementLine> StatementLines => Set<StatementLine>();

    public DbSet<TourDay> TourDays => Set<TourDay>();

    public DbSet<TourStopEntry> TourStops => Set<TourStopEntry>();

    public DbSet<GisAccessKey> GisAccessKeys => Set<GisAccessKey>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();

    /// <summary>The site's data-protection key ring, shared by every node (ADR 22).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<UnitPhoto> UnitPhotos => Set<UnitPhoto>();

    public DbSet<FaultReport> FaultReports => Set<FaultReport>();

    public DbSet<ClosureDay> ClosureDays => Set<ClosureDay>();

    public DbSet<TechnicianAbsence> TechnicianAbsences => Set<TechnicianAbsence>();

    public DbSet<ServiceAgent> ServiceAgents => Set<ServiceAgent>();

    public DbSet<ServiceConvention> ServiceConventions => Set<ServiceConvention>();

    public DbSet<ServiceRequest> ServiceRequests => Set<ServiceRequest>();

    public DbSet<AgentBooking> AgentBookings => Set<AgentBooking>();

    public DbSet<TimeEntry> TimeEntries => Set<TimeEntry>();

    public DbSet<ServiceNotice> ServiceNotices => Set<ServiceNotice>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("postgis");
        builder.HasPostgresExtension("btree_gist");
        builder.HasPostgresExtension("unaccent");
        // Names sort as French does (« Bézaudun » before « Bouvières »), in every ORDER BY and index;
        // deterministic, so equality and unique keys stay byte-wise.
        builder.HasCollation(French, locale: FrenchCulture.Instance.Name, provider: "icu", deterministic: true);
        builder.ApplyConfiguration(new CommuneConfiguration());
        builder.ApplyConfiguration(new DepotConfiguration());
        builder.ApplyConfiguration(new UnitPhotoConfiguration());
        builder.ApplyConfiguration(new FaultReportConfiguration());
        builder.ApplyConfiguration(new EquipmentCategoryConfiguration());
        builder.ApplyConfiguration(new EquipmentUnitConfiguration());
        builder.ApplyConfiguration(new UnitBookingConfiguration());
        builder.ApplyConfiguration(new LoanConfiguration());
        builder.ApplyConfiguration(new LoanEventConfiguration());
        builder.ApplyConfiguration(new EventRequestConfiguration());
        builder.ApplyConfiguration(new NoticeConfiguration());
        builder.ApplyConfiguration(new MaintenancePlanConfiguration());
        builder.ApplyConfiguration(new MaintenanceTaskConfiguration());
        builder.ApplyConfiguration(new StatementConfiguration());
        builder.ApplyConfiguration(new StatementLineConfiguration());
        builder.ApplyConfiguration(new TourDayConfiguration());
        builder.ApplyConfiguration(new TourStopConfiguration());
        builder.ApplyConfiguration(new TourLeftOutConfiguration());
        builder.ApplyConfiguration(new GisAccessKeyConfiguration());
        builder.ApplyConfiguration(new UserSessionConfiguration());
        builder.ApplyConfiguration(new ClosureDayConfiguration());
        builder.ApplyConfiguration(new TechnicianAbsenceConfiguration());
        builder.ApplyConfiguration(new ServiceAgentConfiguration());
        builder.ApplyConfiguration(new ServiceConventionConfiguration());
        builder.ApplyConfiguration(new ConventionLineConfiguration());
        builder.ApplyConfiguration(new ServiceRequestConfiguration());
        builder.ApplyConfiguration(new AgentBookingConfiguration());
        builder.ApplyConfiguration(new TimeEntryConfiguration());
        builder.ApplyConfiguration(new ServiceNoticeConfiguration());
        builder.Entity<ValDromeUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.HasOne(u => u.Commune).WithMany().HasForeignKey(u => u.CommuneId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
