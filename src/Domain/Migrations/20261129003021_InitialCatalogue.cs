using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <inheritdoc />
    public partial class InitialCatalogue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:postgis", ",,")
                .Annotation("Npgsql:PostgresExtension:unaccent", ",,");

            migrationBuilder.CreateTable(
                name: "communes",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    insee = table.Column<string>(type: "character(5)", fixedLength: true, maxLength: 5, nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    population = table.Column<int>(type: "integer", nullable: false),
                    boundary = table.Column<MultiPolygon>(type: "geometry (multipolygon, 4326)", nullable: false),
                    reference_point = table.Column<Point>(type: "geography (point, 4326)", nullable: false),
                    declared_area_km2 = table.Column<double>(type: "double precision", nullable: true),
                    is_current_member = table.Column<bool>(type: "boolean", nullable: false),
                    left_on = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_communes", x => x.id);
                    table.CheckConstraint("ck_communes_population", "population >= 0");
                });

            migrationBuilder.CreateTable(
                name: "equipment_categories",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_equipment_categories", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "depots",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    address = table.Column<string>(type: "character varying(250)", maxLength: 250, nullable: false),
                    commune_id = table.Column<int>(type: "integer", nullable: false),
                    location = table.Column<Point>(type: "geography (point, 4326)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_depots", x => x.id);
                    table.ForeignKey(
                        name: "fk_depots_communes_commune_id",
                        column: x => x.commune_id,
                        principalTable: "communes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "equipment_units",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    inventory_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    category_id = table.Column<int>(type: "integer", nullable: false),
                    owner_commune_id = table.Column<int>(type: "integer", nullable: true),
                    home_depot_id = table.Column<int>(type: "integer", nullable: true),
                    home_location = table.Column<Point>(type: "geography (point, 4326)", nullable: false),
                    daily_rate = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    transport = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    licence_requirement = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    has_hour_meter = table.Column<bool>(type: "boolean", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_equipment_units", x => x.id);
                    table.CheckConstraint("ck_equipment_units_daily_rate", "daily_rate >= 0");
                    table.ForeignKey(
                        name: "fk_equipment_units_communes_owner_commune_id",
                        column: x => x.owner_commune_id,
                        principalTable: "communes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_equipment_units_depots_home_depot_id",
                        column: x => x.home_depot_id,
                        principalTable: "depots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_equipment_units_equipment_categories_category_id",
                        column: x => x.category_id,
                        principalTable: "equipment_categories",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_communes_boundary",
                table: "communes",
                column: "boundary")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_communes_insee",
                table: "communes",
                column: "insee",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_communes_reference_point",
                table: "communes",
                column: "reference_point")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_depots_commune_id",
                table: "depots",
                column: "commune_id");

            migrationBuilder.CreateIndex(
                name: "ix_depots_location",
                table: "depots",
                column: "location")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_depots_name",
                table: "depots",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_equipment_categories_code",
                table: "equipment_categories",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_equipment_categories_name",
                table: "equipment_categories",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_equipment_units_category_id",
                table: "equipment_units",
                column: "category_id");

            migrationBuilder.CreateIndex(
                name: "ix_equipment_units_home_depot_id",
                table: "equipment_units",
                column: "home_depot_id");

            migrationBuilder.CreateIndex(
                name: "ix_equipment_units_home_location",
                table: "equipment_units",
                column: "home_location")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_equipment_units_inventory_code",
                table: "equipment_units",
                column: "inventory_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_equipment_units_owner_commune_id",
                table: "equipment_units",
                column: "owner_commune_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "equipment_units");

            migrationBuilder.DropTable(
                name: "depots");

            migrationBuilder.DropTable(
                name: "equipment_categories");

            migrationBuilder.DropTable(
                name: "communes");
        }
    }
}
