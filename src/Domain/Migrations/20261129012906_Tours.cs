using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <inheritdoc />
    public partial class Tours : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "actual_transport_km",
                table: "loans",
                type: "numeric(10,1)",
                precision: 10,
                scale: 1,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "opening_hours",
                table: "communes",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "08:30-12:00 13:30-17:00");

            migrationBuilder.CreateTable(
                name: "tour_days",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    vehicle = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    planned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    metres = table.Column<double>(type: "double precision", nullable: false),
                    start_seconds = table.Column<int>(type: "integer", nullable: false),
                    end_seconds = table.Column<int>(type: "integer", nullable: false),
                    lunch_start_seconds = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tour_days", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tour_left_out",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tour_day_id = table.Column<int>(type: "integer", nullable: false),
                    movement_key = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    description = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    mandatory = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tour_left_out", x => x.id);
                    table.ForeignKey(
                        name: "fk_tour_left_out_tour_days_tour_day_id",
                        column: x => x.tour_day_id,
                        principalTable: "tour_days",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tour_stops",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tour_day_id = table.Column<int>(type: "integer", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    movement_key = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    action = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    unit_name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    need = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    place_key = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    place_name = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    longitude = table.Column<double>(type: "double precision", nullable: false),
                    latitude = table.Column<double>(type: "double precision", nullable: false),
                    collects_loan_id = table.Column<int>(type: "integer", nullable: true),
                    delivers_loan_id = table.Column<int>(type: "integer", nullable: true),
                    movement_loan_ids = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    arrival_seconds = table.Column<int>(type: "integer", nullable: false),
                    departure_seconds = table.Column<int>(type: "integer", nullable: false),
                    leg_metres = table.Column<double>(type: "double precision", nullable: false),
                    pinned = table.Column<bool>(type: "boolean", nullable: false),
                    done_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tour_stops", x => x.id);
                    table.ForeignKey(
                        name: "fk_tour_stops_tour_days_tour_day_id",
                        column: x => x.tour_day_id,
                        principalTable: "tour_days",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_tour_days_day",
                table: "tour_days",
                column: "day",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tour_left_out_tour_day_id",
                table: "tour_left_out",
                column: "tour_day_id");

            migrationBuilder.CreateIndex(
                name: "ix_tour_stops_tour_day_id_sequence",
                table: "tour_stops",
                columns: new[] { "tour_day_id", "sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tour_left_out");

            migrationBuilder.DropTable(
                name: "tour_stops");

            migrationBuilder.DropTable(
                name: "tour_days");

            migrationBuilder.DropColumn(
                name: "actual_transport_km",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "opening_hours",
                table: "communes");
        }
    }
}
