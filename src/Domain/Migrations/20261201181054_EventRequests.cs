using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <inheritdoc />
    public partial class EventRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "event_request_id",
                table: "loans",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "event_requests",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    borrower_commune_id = table.Column<int>(type: "integer", nullable: false),
                    first_day = table.Column<DateOnly>(type: "date", nullable: false),
                    last_day = table.Column<DateOnly>(type: "date", nullable: false),
                    place = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    location = table.Column<Point>(type: "geography (point, 4326)", nullable: false),
                    created_by_user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_event_requests", x => x.id);
                    table.CheckConstraint("ck_event_requests_days", "last_day >= first_day");
                    table.ForeignKey(
                        name: "fk_event_requests_communes_borrower_commune_id",
                        column: x => x.borrower_commune_id,
                        principalTable: "communes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_loans_event_request_id",
                table: "loans",
                column: "event_request_id");

            migrationBuilder.CreateIndex(
                name: "ix_event_requests_borrower_commune_id_first_day",
                table: "event_requests",
                columns: new[] { "borrower_commune_id", "first_day" });

            migrationBuilder.AddForeignKey(
                name: "fk_loans_event_requests_event_request_id",
                table: "loans",
                column: "event_request_id",
                principalTable: "event_requests",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_loans_event_requests_event_request_id",
                table: "loans");

            migrationBuilder.DropTable(
                name: "event_requests");

            migrationBuilder.DropIndex(
                name: "ix_loans_event_request_id",
                table: "loans");

            migrationBuilder.DropColumn(
                name: "event_request_id",
                table: "loans");
        }
    }
}
