using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <summary>
    /// The territory layer (ADR 26) reads the services' bookings and time entries, created after
    /// DataVersionNotify watched every table then known: a change to them now reaches every node's caches too (ADR 22).
    /// </summary>
    public partial class GlanceWatchesServiceTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("select valdrome_watch('agent_bookings'); select valdrome_watch('time_entries');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop trigger if exists valdrome_notify_change on agent_bookings;
                drop trigger if exists valdrome_notify_change on time_entries;
                """);
        }
    }
}
