using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <inheritdoc />
    public partial class UnitsKeptByOwners : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "equipment_categories",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "depots",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.AddColumn<string>(
                name: "conditions_of_use",
                table: "equipment_units",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<decimal>(
                name: "deposit",
                table: "equipment_units",
                type: "numeric(10,2)",
                precision: 10,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<int>(
                name: "edit_version",
                table: "equipment_units",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "max_loan_days_override",
                table: "equipment_units",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "retired_at",
                table: "equipment_units",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_equipment_units_deposit",
                table: "equipment_units",
                sql: "deposit >= 0");

            migrationBuilder.AddCheckConstraint(
                name: "ck_equipment_units_max_loan_days",
                table: "equipment_units",
                sql: "max_loan_days_override BETWEEN 1 AND 365");

            migrationBuilder.AddCheckConstraint(
                name: "ck_equipment_units_retired",
                table: "equipment_units",
                sql: "(status = 'Retired') = (retired_at IS NOT NULL)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "xmin",
                table: "equipment_categories");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "depots");

            migrationBuilder.DropCheckConstraint(
                name: "ck_equipment_units_deposit",
                table: "equipment_units");

            migrationBuilder.DropCheckConstraint(
                name: "ck_equipment_units_max_loan_days",
                table: "equipment_units");

            migrationBuilder.DropCheckConstraint(
                name: "ck_equipment_units_retired",
                table: "equipment_units");

            migrationBuilder.DropColumn(
                name: "conditions_of_use",
                table: "equipment_units");

            migrationBuilder.DropColumn(
                name: "deposit",
                table: "equipment_units");

            migrationBuilder.DropColumn(
                name: "edit_version",
                table: "equipment_units");

            migrationBuilder.DropColumn(
                name: "max_loan_days_override",
                table: "equipment_units");

            migrationBuilder.DropColumn(
                name: "retired_at",
                table: "equipment_units");
        }
    }
}
