using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <inheritdoc />
    public partial class UnitPhotosAndFaultReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(
                name: "loan_id",
                table: "notices",
                type: "integer",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AlterColumn<int>(
                name: "commune_id",
                table: "notices",
                type: "integer",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AddColumn<int>(
                name: "fault_report_id",
                table: "notices",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "fault_reports",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    reported_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    reporter_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    reporter_commune_id = table.Column<int>(type: "integer", nullable: true),
                    reported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_fault_reports", x => x.id);
                    table.CheckConstraint("ck_fault_reports_closed", "(closed_at IS NULL) = (closed_by IS NULL)");
                    table.ForeignKey(
                        name: "fk_fault_reports_communes_reporter_commune_id",
                        column: x => x.reporter_commune_id,
                        principalTable: "communes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_fault_reports_equipment_units_unit_id",
                        column: x => x.unit_id,
                        principalTable: "equipment_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "unit_photos",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    fault_report_id = table.Column<int>(type: "integer", nullable: true),
                    position = table.Column<int>(type: "integer", nullable: false),
                    hash = table.Column<string>(type: "character(16)", fixedLength: true, maxLength: 16, nullable: false),
                    thumbnail = table.Column<byte[]>(type: "bytea", nullable: false),
                    thumbnail_width = table.Column<int>(type: "integer", nullable: false),
                    thumbnail_height = table.Column<int>(type: "integer", nullable: false),
                    large = table.Column<byte[]>(type: "bytea", nullable: false),
                    large_width = table.Column<int>(type: "integer", nullable: false),
                    large_height = table.Column<int>(type: "integer", nullable: false),
                    added_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_unit_photos", x => x.id);
                    table.CheckConstraint("ck_unit_photos_position", "position >= 0");
                    table.CheckConstraint("ck_unit_photos_sizes", "thumbnail_width > 0 AND thumbnail_height > 0 AND large_width > 0 AND large_height > 0");
                    table.ForeignKey(
                        name: "fk_unit_photos_equipment_units_unit_id",
                        column: x => x.unit_id,
                        principalTable: "equipment_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_unit_photos_fault_reports_fault_report_id",
                        column: x => x.fault_report_id,
                        principalTable: "fault_reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // JPEG does not compress: keep PostgreSQL from trying (pglz) on every write; still stored out of line (TOAST).
            migrationBuilder.Sql("ALTER TABLE unit_photos ALTER COLUMN thumbnail SET STORAGE EXTERNAL, ALTER COLUMN large SET STORAGE EXTERNAL;");

            migrationBuilder.CreateIndex(
                name: "ix_notices_fault_report_id",
                table: "notices",
                column: "fault_report_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_notices_subject",
                table: "notices",
                sql: "(loan_id IS NULL) <> (fault_report_id IS NULL)");

            migrationBuilder.CreateIndex(
                name: "ix_fault_reports_open_per_unit",
                table: "fault_reports",
                column: "unit_id",
                filter: "closed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_fault_reports_reporter_commune_id",
                table: "fault_reports",
                column: "reporter_commune_id");

            migrationBuilder.CreateIndex(
                name: "ix_unit_photos_fault_report_id",
                table: "unit_photos",
                column: "fault_report_id");

            migrationBuilder.CreateIndex(
                name: "ix_unit_photos_unit_id_position",
                table: "unit_photos",
                columns: new[] { "unit_id", "position" },
                filter: "fault_report_id IS NULL")
                .Annotation("Npgsql:IndexInclude", new[] { "id", "hash", "thumbnail_width", "thumbnail_height" });

            migrationBuilder.AddForeignKey(
                name: "fk_notices_fault_reports_fault_report_id",
                table: "notices",
                column: "fault_report_id",
                principalTable: "fault_reports",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_notices_fault_reports_fault_report_id",
                table: "notices");

            migrationBuilder.DropTable(
                name: "unit_photos");

            migrationBuilder.DropTable(
                name: "fault_reports");

            migrationBuilder.DropIndex(
                name: "ix_notices_fault_report_id",
                table: "notices");

            migrationBuilder.DropCheckConstraint(
                name: "ck_notices_subject",
                table: "notices");

            migrationBuilder.DropColumn(
                name: "fault_report_id",
                table: "notices");

            migrationBuilder.AlterColumn<int>(
                name: "loan_id",
                table: "notices",
                type: "integer",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);

            migrationBuilder.AlterColumn<int>(
                name: "commune_id",
                table: "notices",
                type: "integer",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);
        }
    }
}
