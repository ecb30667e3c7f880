using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <inheritdoc />
    public partial class NearestAvailableAtNationalScale : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // For each candidate unit, NearestAvailable asks for its first active booking that
            // ends after the wanted period starts: one B-tree descent, answered from the index
            // alone (the exclusion constraint's GiST index answers it several times slower).
            // EF has no model for expression indexes.
            migrationBuilder.Sql("""
                CREATE INDEX ix_unit_bookings_active_unit_id_period_end
                    ON unit_bookings (unit_id, upper(period)) INCLUDE (period) WHERE is_active;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_unit_bookings_active_unit_id_period_end;");
        }
    }
}
