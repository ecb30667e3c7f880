using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Communes;

namespace ValDrome.Domain.Services;

internal sealed class ServiceAgentConfiguration : IEntityTypeConfiguration<ServiceAgent>
{
    public const string NearestIndex = "ix_service_agents_service_home_location_knn";

    public void Configure(EntityTypeBuilder<ServiceAgent> builder)
    {
        builder.ToTable("service_agents", t => t.HasCheckConstraint("ck_service_agents_working_days", "working_days BETWEEN 1 AND 127"));
        builder.Property(a => a.Service).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.Name).HasMaxLength(120);
        builder.Property(a => a.Email).HasMaxLength(256);
        builder.Property(a => a.UserId).HasMaxLength(450);
        builder.Property(a => a.HomeLocation).HasColumnType("geography (point, 4326)");
        // The nearest agents of one service: KNN (<->) inside the service, one index (btree_gist).
        builder.HasIndex(a => new { a.Service, a.HomeLocation }).HasMethod("gist").HasDatabaseName(NearestIndex);
        builder.HasIndex(a => a.UserId).IsUnique();
        builder.HasOne(a => a.HomeCommune).WithMany().HasForeignKey(a => a.HomeCommuneId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ValDromeUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.SetNull);
        builder.Property<uint>(RowVersion.Property).IsRowVersion();
    }
}

public sealed class ServiceConventionConfiguration : IEntityTypeConfiguration<ServiceConvention>
{
    public const string OnePerYear = "ix_service_conventions_commune_id_year";

    public void Configure(EntityTypeBuilder<ServiceConvention> builder)
    {
        builder.ToTable("service_conventions", t =>
        {
            t.HasCheckConstraint("ck_service_conventions_days", "ends_on >= starts_on AND extract(year from starts_on) = year AND extract(year from ends_on) = year");
            t.HasCheckConstraint("ck_service_conventions_rate_per_km", "rate_per_km >= 0");
        });
        builder.Property(c => c.SignedBy).HasMaxLength(200);
        builder.Property(c => c.RatePerKm).HasPrecision(10, 2);
        builder.HasIndex(c => new { c.CommuneId, c.Year }).IsUnique().HasDatabaseName(OnePerYear);
        builder.HasOne<Commune>().WithMany().HasForeignKey(c => c.CommuneId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.Lines).WithOne().HasForeignKey(l => l.ConventionId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(c => c.Lines).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Property<uint>(RowVersion.Property).IsRowVersion();
    }
}

internal sealed class ConventionLineConfiguration : IEntityTypeConfiguration<ConventionLine>
{
    public void Configure(EntityTypeBuilder<ConventionLine> builder)
    {
        builder.ToTable("convention_lines", t => t.HasCheckConstraint("ck_convention_lines_money", "rate >= 0 AND minimum_units >= 0"));
        builder.Property(l => l.Service).HasConversion<string>().HasMaxLength(20);
        builder.Property(l => l.Unit).HasConversion<string>().HasMaxLength(20);
        builder.Property(l => l.Rate).HasPrecision(10, 2);
        builder.Property(l => l.MinimumUnits).HasPrecision(6, 2);
        builder.HasIndex(l => new { l.ConventionId, l.Service }).IsUnique();
    }
}

internal sealed class ServiceRequestConfiguration : IEntityTypeConfiguration<ServiceRequest>
{
    public void Configure(EntityTypeBuilder<ServiceRequest> builder)
    {
        builder.ToTable("service_requests", t =>
            t.HasCheckConstraint("ck_service_requests_assigned", "(status = 'Assigned') = (agent_id IS NOT NULL) OR status = 'Cancelled'"));
        builder.Property(r => r.Service).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Unit).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Purpose).HasMaxLength(500);
        builder.Property(r => r.Place).HasMaxLength(200);
        builder.Property(r => r.Contact).HasMaxLength(200);
        builder.Property(r => r.Rate).HasPrecision(10, 2);
        builder.Property(r => r.MinimumUnits).HasPrecision(6, 2);
        builder.Property(r => r.RatePerKm).HasPrecision(10, 2);
        builder.Property(r => r.RequestedByUserId).HasMaxLength(450);
        builder.Property(r => r.RequestedByName).HasMaxLength(200);
        builder.Property(r => r.AssignedByName).HasMaxLength(200);
        builder.HasOne(r => r.Commune).WithMany().HasForeignKey(r => r.CommuneId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.Agent).WithMany().HasForeignKey(r => r.AgentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ServiceConvention>().WithMany().HasForeignKey(r => r.ConventionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(r => r.Slots).WithOne(s => s.Request).HasForeignKey(s => s.RequestId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(r => r.Slots).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(r => new { r.CommuneId, r.Status });
        builder.HasIndex(r => new { r.Status, r.Service });
        builder.Ignore(r => r.Terms);
        builder.Ignore(r => r.EstimatedCost);
        // Two people assigning, or assigning and cancelling, at once: the second writes nothing (ADR 14).
        builder.Property<uint>(RowVersion.Property).IsRowVersion();
    }
}

public sealed class AgentBookingConfiguration : IEntityTypeConfiguration<AgentBooking>
{
    /// <summary>Created by the migration (EF has no model for exclusion constraints).</summary>
    public const string NoAgentOverlap = "ex_agent_bookings_no_agent_overlap";

    /// <summary>A commune does not ask twice for one service at the same time.</summary>
    public const string NoCommuneOverlap = "ex_agent_bookings_no_commune_overlap";

    public void Configure(EntityTypeBuilder<AgentBooking> builder)
    {
        builder.ToTable("agent_bookings", t =>
        {
            t.HasCheckConstraint("ck_agent_bookings_hours", "ends > starts");
            // A slot of a request, or an absence of an agent: never neither.
            t.HasCheckConstraint("ck_agent_bookings_owner",
                "(request_id IS NOT NULL AND commune_id IS NOT NULL AND service IS NOT NULL) OR (request_id IS NULL AND agent_id IS NOT NULL)");
        });
        builder.Property(b => b.Service).HasConversion<string>().HasMaxLength(20);
        builder.Property(b => b.Reason).HasMaxLength(200);
        builder.Property(b => b.Period)
            .HasColumnType("tsrange")
            .HasComputedColumnSql("tsrange(day + starts, day + ends, '[)')", stored: true);
        builder.HasOne(b => b.Agent).WithMany().HasForeignKey(b => b.AgentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Commune>().WithMany().HasForeignKey(b => b.CommuneId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(b => new { b.AgentId, b.Day });
        builder.HasIndex(b => new { b.RequestId, b.Day });
        builder.HasIndex(b => new { b.CommuneId, b.Day });
        builder.Ignore(b => b.IsAbsence);
    }
}

internal sealed class TimeEntryConfiguration : IEntityTypeConfiguration<TimeEntry>
{
    public void Configure(EntityTypeBuilder<TimeEntry> builder)
    {
        builder.ToTable("time_entries", t =>
        {
            t.HasCheckConstraint("ck_time_entries_hours", "ended > started");
            t.HasCheckConstraint("ck_time_entries_km", "travel_km >= 0");
        });
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Note).HasMaxLength(1000);
        builder.Property(e => e.DisputeReason).HasMaxLength(1000);
        builder.Property(e => e.RecordedByName).HasMaxLength(200);
        builder.Property(e => e.DecidedByName).HasMaxLength(200);
        builder.Property(e => e.TravelKm).HasPrecision(8, 1);
        // One entry per slot: the agent records it once and corrects it.
        builder.HasOne(e => e.Booking).WithOne(b => b.Time).HasForeignKey<TimeEntry>(e => e.BookingId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => e.Status).HasFilter("status = 'Disputed'");
        builder.Ignore(e => e.IsAgreed);
        builder.Property<uint>(RowVersion.Property).IsRowVersion();
    }
}

internal sealed class ServiceNoticeConfiguration : IEntityTypeConfiguration<ServiceNotice>
{
    public void Configure(EntityTypeBuilder<ServiceNotice> builder)
    {
        builder.ToTable("service_notices", t => t.HasCheckConstraint("ck_service_notices_addressee", "commune_id IS NOT NULL OR agent_id IS NOT NULL OR kind = 'TimeDisputed'"));
        Notices.MailedNoticeConfiguration.Outbox(builder);
        builder.Property(n => n.Kind).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(n => new { n.CommuneId, n.CreatedAt });
        builder.HasOne(n => n.Request).WithMany().HasForeignKey(n => n.RequestId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Commune>().WithMany().HasForeignKey(n => n.CommuneId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ServiceAgent>().WithMany().HasForeignKey(n => n.AgentId).OnDelete(DeleteBehavior.Restrict);
    }
}
