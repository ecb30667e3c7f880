using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <inheritdoc />
    public partial class MovesGuardedByRowVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "done_by",
                table: "tour_stops",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "tour_stops",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "tour_days",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "closed_at",
                table: "maintenance_tasks",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "maintenance_tasks",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "loans",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "done_by",
                table: "tour_stops");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "tour_stops");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "tour_days");

            migrationBuilder.DropColumn(
                name: "closed_at",
                table: "maintenance_tasks");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "maintenance_tasks");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "loans");
        }
    }
}
