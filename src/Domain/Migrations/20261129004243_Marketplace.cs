using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using NpgsqlTypes;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <inheritdoc />
    public partial class Marketplace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_equipment_units_category_id",
                table: "equipment_units");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:btree_gist", ",,")
                .Annotation("Npgsql:PostgresExtension:postgis", ",,")
                .Annotation("Npgsql:PostgresExtension:unaccent", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:postgis", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:unaccent", ",,");

            migrationBuilder.AddColumn<bool>(
                name: "auto_approve",
                table: "equipment_units",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "transport_margin_days_override",
                table: "equipment_units",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "max_loan_days",
                table: "equipment_categories",
                type: "integer",
                nullable: false,
                defaultValue: 30);

            migrationBuilder.AddColumn<int>(
                name: "transport_margin_days",
                table: "equipment_categories",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "calendar_token",
                table: "communes",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValueSql: "replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')");

            migrationBuilder.CreateTable(
                name: "AspNetRoles",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    concurrency_stamp = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_roles", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUsers",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    commune_id = table.Column<int>(type: "integer", nullable: true),
                    user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    password_hash = table.Column<string>(type: "text", nullable: true),
                    security_stamp = table.Column<string>(type: "text", nullable: true),
                    concurrency_stamp = table.Column<string>(type: "text", nullable: true),
                    phone_number = table.Column<string>(type: "text", nullable: true),
                    phone_number_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    two_factor_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    lockout_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lockout_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    access_failed_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_users", x => x.id);
                    table.ForeignKey(
                        name: "fk_asp_net_users_communes_commune_id",
                        column: x => x.commune_id,
                        principalTable: "communes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "loans",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    borrower_commune_id = table.Column<int>(type: "integer", nullable: false),
                    lender_commune_id = table.Column<int>(type: "integer", nullable: true),
                    first_day = table.Column<DateOnly>(type: "date", nullable: false),
                    last_day = table.Column<DateOnly>(type: "date", nullable: false),
                    purpose = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    requested_by_user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    distance_metres = table.Column<double>(type: "double precision", nullable: false),
                    daily_rate = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    transport_km = table.Column<decimal>(type: "numeric(10,1)", precision: 10, scale: 1, nullable: false),
                    transport_rate_per_km = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    estimated_cost = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    refusal_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    delivered_on = table.Column<DateOnly>(type: "date", nullable: true),
                    delivery_notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    delivery_meter = table.Column<decimal>(type: "numeric(10,1)", precision: 10, scale: 1, nullable: true),
                    returned_on = table.Column<DateOnly>(type: "date", nullable: true),
                    return_notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    return_meter = table.Column<decimal>(type: "numeric(10,1)", precision: 10, scale: 1, nullable: true),
                    damage_report = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    extension_last_day = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_loans", x => x.id);
                    table.CheckConstraint("ck_loans_borrower_is_not_lender", "lender_commune_id IS NULL OR lender_commune_id <> borrower_commune_id");
                    table.CheckConstraint("ck_loans_days", "last_day >= first_day");
                    table.CheckConstraint("ck_loans_money", "daily_rate >= 0 AND transport_km >= 0 AND transport_rate_per_km >= 0 AND estimated_cost >= 0");
                    table.ForeignKey(
                        name: "fk_loans_communes_borrower_commune_id",
                        column: x => x.borrower_commune_id,
                        principalTable: "communes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_loans_communes_lender_commune_id",
                        column: x => x.lender_commune_id,
                        principalTable: "communes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_loans_equipment_units_unit_id",
                        column: x => x.unit_id,
                        principalTable: "equipment_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoleClaims",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    role_id = table.Column<string>(type: "text", nullable: false),
                    claim_type = table.Column<string>(type: "text", nullable: true),
                    claim_value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_role_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_asp_net_role_claims_asp_net_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "AspNetRoles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserClaims",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    claim_type = table.Column<string>(type: "text", nullable: true),
                    claim_value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_user_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_asp_net_user_claims_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserLogins",
                columns: table => new
                {
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    provider_key = table.Column<string>(type: "text", nullable: false),
                    provider_display_name = table.Column<string>(type: "text", nullable: true),
                    user_id = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_user_logins", x => new { x.login_provider, x.provider_key });
                    table.ForeignKey(
                        name: "fk_asp_net_user_logins_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserRoles",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    role_id = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_user_roles", x => new { x.user_id, x.role_id });
                    table.ForeignKey(
                        name: "fk_asp_net_user_roles_asp_net_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "AspNetRoles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_asp_net_user_roles_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserTokens",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                    table.ForeignKey(
                        name: "fk_asp_net_user_tokens_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "loan_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    loan_id = table.Column<int>(type: "integer", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    actor_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    from = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    to = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_loan_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_loan_events_loans_loan_id",
                        column: x => x.loan_id,
                        principalTable: "loans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "unit_bookings",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    first_day = table.Column<DateOnly>(type: "date", nullable: false),
                    last_day = table.Column<DateOnly>(type: "date", nullable: false),
                    margin_days = table.Column<int>(type: "integer", nullable: false),
                    period = table.Column<NpgsqlRange<DateOnly>>(type: "daterange", nullable: false, computedColumnSql: "daterange(first_day - margin_days, last_day + margin_days + 1, '[)')", stored: true),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    loan_id = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_unit_bookings", x => x.id);
                    table.CheckConstraint("ck_unit_bookings_days", "last_day >= first_day");
                    table.CheckConstraint("ck_unit_bookings_margin", "margin_days BETWEEN 0 AND 14");
                    table.ForeignKey(
                        name: "fk_unit_bookings_equipment_units_unit_id",
                        column: x => x.unit_id,
                        principalTable: "equipment_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_unit_bookings_loans_loan_id",
                        column: x => x.loan_id,
                        principalTable: "loans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_equipment_units_category_id_home_location_knn",
                table: "equipment_units",
                columns: new[] { "category_id", "home_location" })
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.AddCheckConstraint(
                name: "ck_equipment_units_transport_margin_days",
                table: "equipment_units",
                sql: "transport_margin_days_override BETWEEN 0 AND 14");

            migrationBuilder.AddCheckConstraint(
                name: "ck_equipment_categories_max_loan_days",
                table: "equipment_categories",
                sql: "max_loan_days >= 1");

            migrationBuilder.AddCheckConstraint(
                name: "ck_equipment_categories_transport_margin_days",
                table: "equipment_categories",
                sql: "transport_margin_days BETWEEN 0 AND 14");

            migrationBuilder.CreateIndex(
                name: "ix_communes_calendar_token",
                table: "communes",
                column: "calendar_token",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_role_claims_role_id",
                table: "AspNetRoleClaims",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "AspNetRoles",
                column: "normalized_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_user_claims_user_id",
                table: "AspNetUserClaims",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_user_logins_user_id",
                table: "AspNetUserLogins",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_user_roles_role_id",
                table: "AspNetUserRoles",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "AspNetUsers",
                column: "normalized_email");

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_users_commune_id",
                table: "AspNetUsers",
                column: "commune_id");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "AspNetUsers",
                column: "normalized_user_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_loan_events_loan_id_at",
                table: "loan_events",
                columns: new[] { "loan_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_loans_borrower_commune_id_status",
                table: "loans",
                columns: new[] { "borrower_commune_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_loans_lender_commune_id_status",
                table: "loans",
                columns: new[] { "lender_commune_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_loans_unit_id_first_day",
                table: "loans",
                columns: new[] { "unit_id", "first_day" });

            migrationBuilder.CreateIndex(
                name: "ix_unit_bookings_loan_id",
                table: "unit_bookings",
                column: "loan_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_unit_bookings_unit_id",
                table: "unit_bookings",
                column: "unit_id");

            // Double booking is impossible in the database: no two active bookings of one unit
            // may overlap (margins are part of the period). EF has no model for this constraint.
            migrationBuilder.Sql("""
                ALTER TABLE unit_bookings ADD CONSTRAINT ex_unit_bookings_no_overlap
                    EXCLUDE USING gist (unit_id WITH =, period WITH &&) WHERE (is_active);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE unit_bookings DROP CONSTRAINT IF EXISTS ex_unit_bookings_no_overlap;");

            migrationBuilder.DropTable(
                name: "AspNetRoleClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserLogins");

            migrationBuilder.DropTable(
                name: "AspNetUserRoles");

            migrationBuilder.DropTable(
                name: "AspNetUserTokens");

            migrationBuilder.DropTable(
                name: "loan_events");

            migrationBuilder.DropTable(
                name: "unit_bookings");

            migrationBuilder.DropTable(
                name: "AspNetRoles");

            migrationBuilder.DropTable(
                name: "AspNetUsers");

            migrationBuilder.DropTable(
                name: "loans");

            migrationBuilder.DropIndex(
                name: "ix_equipment_units_category_id_home_location_knn",
                table: "equipment_units");

            migrationBuilder.DropCheckConstraint(
                name: "ck_equipment_units_transport_margin_days",
                table: "equipment_units");

            migrationBuilder.DropCheckConstraint(
                name: "ck_equipment_categories_max_loan_days",
                table: "equipment_categories");

            migrationBuilder.DropCheckConstraint(
                name: "ck_equipment_categories_transport_margin_days",
                table: "equipment_categories");

            migrationBuilder.DropIndex(
                name: "ix_communes_calendar_token",
                table: "communes");

            migrationBuilder.DropColumn(
                name: "auto_approve",
                table: "equipment_units");

            migrationBuilder.DropColumn(
                name: "transport_margin_days_override",
                table: "equipment_units");

            migrationBuilder.DropColumn(
                name: "max_loan_days",
                table: "equipment_categories");

            migrationBuilder.DropColumn(
                name: "transport_margin_days",
                table: "equipment_categories");

            migrationBuilder.DropColumn(
                name: "calendar_token",
                table: "communes");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:postgis", ",,")
                .Annotation("Npgsql:PostgresExtension:unaccent", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:btree_gist", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:postgis", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:unaccent", ",,");

            migrationBuilder.CreateIndex(
                name: "ix_equipment_units_category_id",
                table: "equipment_units",
                column: "category_id");
        }
    }
}
