using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <inheritdoc />
    public partial class WorkingDaysCalendar : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "opening_hours",
                table: "communes",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                defaultValue: "08:30-12:00 13:30-17:00",
                oldClrType: typeof(string),
                oldType: "character varying(100)",
                oldMaxLength: 100,
                oldDefaultValue: "08:30-12:00 13:30-17:00");

            migrationBuilder.CreateTable(
                name: "closure_days",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_closure_days", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "technician_absences",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    first_day = table.Column<DateOnly>(type: "date", nullable: false),
                    last_day = table.Column<DateOnly>(type: "date", nullable: false),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_technician_absences", x => x.id);
                    table.CheckConstraint("ck_technician_absences_days", "last_day >= first_day");
                });

            migrationBuilder.CreateIndex(
                name: "ix_maintenance_plans_inspection_due",
                table: "maintenance_plans",
                columns: new[] { "unit_id", "next_due_on" },
                filter: "kind = 'Inspection'");

            migrationBuilder.CreateIndex(
                name: "ix_closure_days_day",
                table: "closure_days",
                column: "day",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_technician_absences_first_day_last_day",
                table: "technician_absences",
                columns: new[] { "first_day", "last_day" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "closure_days");

            migrationBuilder.DropTable(
                name: "technician_absences");

            migrationBuilder.DropIndex(
                name: "ix_maintenance_plans_inspection_due",
                table: "maintenance_plans");

            migrationBuilder.AlterColumn<string>(
                name: "opening_hours",
                table: "communes",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "08:30-12:00 13:30-17:00",
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400,
                oldDefaultValue: "08:30-12:00 13:30-17:00");
        }
    }
}
