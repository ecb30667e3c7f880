using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <inheritdoc />
    public partial class TourStopWorksSiteVisits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(
                name: "unit_id",
                table: "tour_stops",
                type: "integer",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AddColumn<int>(
                name: "visit_booking_id",
                table: "tour_stops",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_tour_stops_visit_booking_id",
                table: "tour_stops",
                column: "visit_booking_id");

            migrationBuilder.AddForeignKey(
                name: "fk_tour_stops_agent_bookings_visit_booking_id",
                table: "tour_stops",
                column: "visit_booking_id",
                principalTable: "agent_bookings",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Without the column a visit's stop has no unit to stand for: the day is planned again.
            migrationBuilder.Sql("DELETE FROM tour_stops WHERE action = 'Visit'; DELETE FROM tour_left_out WHERE movement_key LIKE 'visite-%';");

            migrationBuilder.DropForeignKey(
                name: "fk_tour_stops_agent_bookings_visit_booking_id",
                table: "tour_stops");

            migrationBuilder.DropIndex(
                name: "ix_tour_stops_visit_booking_id",
                table: "tour_stops");

            migrationBuilder.DropColumn(
                name: "visit_booking_id",
                table: "tour_stops");

            migrationBuilder.AlterColumn<int>(
                name: "unit_id",
                table: "tour_stops",
                type: "integer",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);
        }
    }
}
