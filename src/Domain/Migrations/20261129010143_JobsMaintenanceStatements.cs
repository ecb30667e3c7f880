using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <inheritdoc />
    public partial class JobsMaintenanceStatements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "maintenance_task_id",
                table: "unit_bookings",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "at_risk_because_of_loan_id",
                table: "loans",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "overdue_since",
                table: "loans",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "meter_reading",
                table: "equipment_units",
                type: "numeric(10,1)",
                precision: 10,
                scale: 1,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "status_reason",
                table: "equipment_units",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "maintenance_plans",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    label = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    interval = table.Column<int>(type: "integer", nullable: false),
                    duration_days = table.Column<int>(type: "integer", nullable: false),
                    last_done_on = table.Column<DateOnly>(type: "date", nullable: false),
                    last_done_meter = table.Column<decimal>(type: "numeric(10,1)", precision: 10, scale: 1, nullable: true),
                    next_due_on = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_maintenance_plans", x => x.id);
                    table.CheckConstraint("ck_maintenance_plans_duration", "duration_days BETWEEN 1 AND 60");
                    table.CheckConstraint("ck_maintenance_plans_interval", "interval >= 1");
                    table.ForeignKey(
                        name: "fk_maintenance_plans_equipment_units_unit_id",
                        column: x => x.unit_id,
                        principalTable: "equipment_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "notices",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    loan_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    commune_id = table.Column<int>(type: "integer", nullable: false),
                    text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    mail = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    mailed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    mail_attempts = table.Column<int>(type: "integer", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notices", x => x.id);
                    table.ForeignKey(
                        name: "fk_notices_communes_commune_id",
                        column: x => x.commune_id,
                        principalTable: "communes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_notices_loans_loan_id",
                        column: x => x.loan_id,
                        principalTable: "loans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "statements",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    commune_id = table.Column<int>(type: "integer", nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_statements", x => x.id);
                    table.CheckConstraint("ck_statements_month", "extract(day from month) = 1");
                    table.ForeignKey(
                        name: "fk_statements_communes_commune_id",
                        column: x => x.commune_id,
                        principalTable: "communes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "maintenance_tasks",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    plan_id = table.Column<int>(type: "integer", nullable: false),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    due_on = table.Column<DateOnly>(type: "date", nullable: false),
                    planned_from = table.Column<DateOnly>(type: "date", nullable: false),
                    planned_to = table.Column<DateOnly>(type: "date", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    closed_on = table.Column<DateOnly>(type: "date", nullable: true),
                    notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    cost = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: true),
                    meter_reading = table.Column<decimal>(type: "numeric(10,1)", precision: 10, scale: 1, nullable: true),
                    closed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_maintenance_tasks", x => x.id);
                    table.CheckConstraint("ck_maintenance_tasks_cost", "cost IS NULL OR cost >= 0");
                    table.ForeignKey(
                        name: "fk_maintenance_tasks_equipment_units_unit_id",
                        column: x => x.unit_id,
                        principalTable: "equipment_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_maintenance_tasks_maintenance_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "maintenance_plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "statement_lines",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    statement_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    loan_id = table.Column<int>(type: "integer", nullable: true),
                    label = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    days = table.Column<int>(type: "integer", nullable: false),
                    daily_rate = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    transport_km = table.Column<decimal>(type: "numeric(10,1)", precision: 10, scale: 1, nullable: false),
                    amount = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_statement_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_statement_lines_loans_loan_id",
                        column: x => x.loan_id,
                        principalTable: "loans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_statement_lines_statements_statement_id",
                        column: x => x.statement_id,
                        principalTable: "statements",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_unit_bookings_maintenance_task_id",
                table: "unit_bookings",
                column: "maintenance_task_id",
                unique: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_unit_bookings_one_owner",
                table: "unit_bookings",
                sql: "loan_id IS NULL OR maintenance_task_id IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_loans_returned_on",
                table: "loans",
                column: "returned_on");

            migrationBuilder.CreateIndex(
                name: "ix_maintenance_plans_unit_id",
                table: "maintenance_plans",
                column: "unit_id");

            migrationBuilder.CreateIndex(
                name: "ix_maintenance_tasks_unit_id",
                table: "maintenance_tasks",
                column: "unit_id");

            migrationBuilder.CreateIndex(
                name: "ux_maintenance_tasks_open_per_plan",
                table: "maintenance_tasks",
                column: "plan_id",
                unique: true,
                filter: "closed_on IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_notices_commune_id_created_at",
                table: "notices",
                columns: new[] { "commune_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_notices_loan_id_kind",
                table: "notices",
                columns: new[] { "loan_id", "kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_statement_lines_loan_id",
                table: "statement_lines",
                column: "loan_id");

            migrationBuilder.CreateIndex(
                name: "ix_statement_lines_statement_id",
                table: "statement_lines",
                column: "statement_id");

            migrationBuilder.CreateIndex(
                name: "ix_statements_commune_id",
                table: "statements",
                column: "commune_id");

            migrationBuilder.CreateIndex(
                name: "ix_statements_month_commune_id",
                table: "statements",
                columns: new[] { "month", "commune_id" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.AddForeignKey(
                name: "fk_unit_bookings_maintenance_tasks_maintenance_task_id",
                table: "unit_bookings",
                column: "maintenance_task_id",
                principalTable: "maintenance_tasks",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_unit_bookings_maintenance_tasks_maintenance_task_id",
                table: "unit_bookings");

            migrationBuilder.DropTable(
                name: "maintenance_tasks");

            migrationBuilder.DropTable(
                name: "notices");

            migrationBuilder.DropTable(
                name: "statement_lines");

            migrationBuilder.DropTable(
                name: "maintenance_plans");

            migrationBuilder.DropTable(
                name: "statements");

            migrationBuilder.DropIndex(
                name: "ix_unit_bookings_maintenance_task_id",
                table: "unit_bookings");

            migrationBuilder.DropCheckConstraint(
                name: "ck_unit_bookings_one_owner",
                table: "unit_bookings");

            migrationBuilder.DropIndex(
                name: "ix_loans_returned_on",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "maintenance_task_id",
                table: "unit_bookings");

            migrationBuilder.DropColumn(
                name: "at_risk_because_of_loan_id",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "overdue_since",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "meter_reading",
                table: "equipment_units");

            migrationBuilder.DropColumn(
                name: "status_reason",
                table: "equipment_units");
        }
    }
}
