using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using NpgsqlTypes;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <inheritdoc />
    public partial class ServicesAndConventions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "service_agents",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    service = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    home_commune_id = table.Column<int>(type: "integer", nullable: false),
                    home_location = table.Column<Point>(type: "geography (point, 4326)", nullable: false),
                    working_days = table.Column<int>(type: "integer", nullable: false),
                    user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    is_coordinator = table.Column<bool>(type: "boolean", nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_service_agents", x => x.id);
                    table.CheckConstraint("ck_service_agents_working_days", "working_days BETWEEN 1 AND 127");
                    table.ForeignKey(
                        name: "fk_service_agents_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_service_agents_communes_home_commune_id",
                        column: x => x.home_commune_id,
                        principalTable: "communes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "service_conventions",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    commune_id = table.Column<int>(type: "integer", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: false),
                    signed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    signed_on = table.Column<DateOnly>(type: "date", nullable: true),
                    rate_per_km = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_service_conventions", x => x.id);
                    table.CheckConstraint("ck_service_conventions_days", "ends_on >= starts_on AND extract(year from starts_on) = year AND extract(year from ends_on) = year");
                    table.CheckConstraint("ck_service_conventions_rate_per_km", "rate_per_km >= 0");
                    table.ForeignKey(
                        name: "fk_service_conventions_communes_commune_id",
                        column: x => x.commune_id,
                        principalTable: "communes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "convention_lines",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    convention_id = table.Column<int>(type: "integer", nullable: false),
                    service = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    unit = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    rate = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    minimum_units = table.Column<decimal>(type: "numeric(6,2)", precision: 6, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_convention_lines", x => x.id);
                    table.CheckConstraint("ck_convention_lines_money", "rate >= 0 AND minimum_units >= 0");
                    table.ForeignKey(
                        name: "fk_convention_lines_service_conventions_convention_id",
                        column: x => x.convention_id,
                        principalTable: "service_conventions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "service_requests",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    commune_id = table.Column<int>(type: "integer", nullable: false),
                    service = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    convention_id = table.Column<int>(type: "integer", nullable: false),
                    purpose = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    place = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    contact = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    is_urgent = table.Column<bool>(type: "boolean", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    agent_id = table.Column<int>(type: "integer", nullable: true),
                    unit = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    rate = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    minimum_units = table.Column<decimal>(type: "numeric(6,2)", precision: 6, scale: 2, nullable: false),
                    rate_per_km = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    requested_by_user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    requested_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    assigned_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    assigned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_service_requests", x => x.id);
                    table.CheckConstraint("ck_service_requests_assigned", "(status = 'Assigned') = (agent_id IS NOT NULL) OR status = 'Cancelled'");
                    table.ForeignKey(
                        name: "fk_service_requests_communes_commune_id",
                        column: x => x.commune_id,
                        principalTable: "communes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_service_requests_service_agents_agent_id",
                        column: x => x.agent_id,
                        principalTable: "service_agents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_service_requests_service_conventions_convention_id",
                        column: x => x.convention_id,
                        principalTable: "service_conventions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "agent_bookings",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    agent_id = table.Column<int>(type: "integer", nullable: true),
                    request_id = table.Column<int>(type: "integer", nullable: true),
                    commune_id = table.Column<int>(type: "integer", nullable: true),
                    service = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    starts = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    ends = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    period = table.Column<NpgsqlRange<DateTime>>(type: "tsrange", nullable: false, computedColumnSql: "tsrange(day + starts, day + ends, '[)')", stored: true),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agent_bookings", x => x.id);
                    table.CheckConstraint("ck_agent_bookings_hours", "ends > starts");
                    table.CheckConstraint("ck_agent_bookings_owner", "(request_id IS NOT NULL AND commune_id IS NOT NULL AND service IS NOT NULL) OR (request_id IS NULL AND agent_id IS NOT NULL)");
                    table.ForeignKey(
                        name: "fk_agent_bookings_communes_commune_id",
                        column: x => x.commune_id,
                        principalTable: "communes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_agent_bookings_service_agents_agent_id",
                        column: x => x.agent_id,
                        principalTable: "service_agents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_agent_bookings_service_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "service_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "service_notices",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    request_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    commune_id = table.Column<int>(type: "integer", nullable: true),
                    agent_id = table.Column<int>(type: "integer", nullable: true),
                    text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    body = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    mail = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    mailed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    mail_attempts = table.Column<int>(type: "integer", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_service_notices", x => x.id);
                    table.CheckConstraint("ck_service_notices_addressee", "commune_id IS NOT NULL OR agent_id IS NOT NULL OR kind = 'TimeDisputed'");
                    table.ForeignKey(
                        name: "fk_service_notices_communes_commune_id",
                        column: x => x.commune_id,
                        principalTable: "communes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_service_notices_service_agents_agent_id",
                        column: x => x.agent_id,
                        principalTable: "service_agents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_service_notices_service_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "service_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "time_entries",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    booking_id = table.Column<int>(type: "integer", nullable: false),
                    started = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    ended = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    travel_km = table.Column<decimal>(type: "numeric(8,1)", precision: 8, scale: 1, nullable: false),
                    recorded_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    dispute_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    decided_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_time_entries", x => x.id);
                    table.CheckConstraint("ck_time_entries_hours", "ended > started");
                    table.CheckConstraint("ck_time_entries_km", "travel_km >= 0");
                    table.ForeignKey(
                        name: "fk_time_entries_agent_bookings_booking_id",
                        column: x => x.booking_id,
                        principalTable: "agent_bookings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agent_bookings_agent_id_day",
                table: "agent_bookings",
                columns: new[] { "agent_id", "day" });

            migrationBuilder.CreateIndex(
                name: "ix_agent_bookings_commune_id_day",
                table: "agent_bookings",
                columns: new[] { "commune_id", "day" });

            migrationBuilder.CreateIndex(
                name: "ix_agent_bookings_request_id_day",
                table: "agent_bookings",
                columns: new[] { "request_id", "day" });

            migrationBuilder.CreateIndex(
                name: "ix_convention_lines_convention_id_service",
                table: "convention_lines",
                columns: new[] { "convention_id", "service" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_service_agents_home_commune_id",
                table: "service_agents",
                column: "home_commune_id");

            migrationBuilder.CreateIndex(
                name: "ix_service_agents_service_home_location_knn",
                table: "service_agents",
                columns: new[] { "service", "home_location" })
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_service_agents_user_id",
                table: "service_agents",
                column: "user_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_service_conventions_commune_id_year",
                table: "service_conventions",
                columns: new[] { "commune_id", "year" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_service_notices_agent_id",
                table: "service_notices",
                column: "agent_id");

            migrationBuilder.CreateIndex(
                name: "ix_service_notices_commune_id_created_at",
                table: "service_notices",
                columns: new[] { "commune_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_service_notices_mail",
                table: "service_notices",
                column: "mail",
                filter: "mail in ('Queued', 'Failed')");

            migrationBuilder.CreateIndex(
                name: "ix_service_notices_request_id",
                table: "service_notices",
                column: "request_id");

            migrationBuilder.CreateIndex(
                name: "ix_service_requests_agent_id",
                table: "service_requests",
                column: "agent_id");

            migrationBuilder.CreateIndex(
                name: "ix_service_requests_commune_id_status",
                table: "service_requests",
                columns: new[] { "commune_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_service_requests_convention_id",
                table: "service_requests",
                column: "convention_id");

            migrationBuilder.CreateIndex(
                name: "ix_service_requests_status_service",
                table: "service_requests",
                columns: new[] { "status", "service" });

            migrationBuilder.CreateIndex(
                name: "ix_time_entries_booking_id",
                table: "time_entries",
                column: "booking_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_time_entries_status",
                table: "time_entries",
                column: "status",
                filter: "status = 'Disputed'");

            // Two active bookings of one agent never overlap, and a commune never holds two
            // overlapping slots of one service: in the database, whatever code writes them (ADR 24).
            migrationBuilder.Sql("""
                ALTER TABLE agent_bookings ADD CONSTRAINT ex_agent_bookings_no_agent_overlap
                    EXCLUDE USING gist (agent_id WITH =, period WITH &&) WHERE (is_active AND agent_id IS NOT NULL);
                ALTER TABLE agent_bookings ADD CONSTRAINT ex_agent_bookings_no_commune_overlap
                    EXCLUDE USING gist (commune_id WITH =, service WITH =, period WITH &&) WHERE (is_active AND request_id IS NOT NULL);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE agent_bookings DROP CONSTRAINT IF EXISTS ex_agent_bookings_no_agent_overlap;
                ALTER TABLE agent_bookings DROP CONSTRAINT IF EXISTS ex_agent_bookings_no_commune_overlap;
                """);

            migrationBuilder.DropTable(
                name: "convention_lines");

            migrationBuilder.DropTable(
                name: "service_notices");

            migrationBuilder.DropTable(
                name: "time_entries");

            migrationBuilder.DropTable(
                name: "agent_bookings");

            migrationBuilder.DropTable(
                name: "service_requests");

            migrationBuilder.DropTable(
                name: "service_agents");

            migrationBuilder.DropTable(
                name: "service_conventions");
        }
    }
}
