using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <inheritdoc />
    public partial class TourStopCarryLoanColumns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "carry_collects_loan_id",
                table: "tour_stops",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "carry_delivers_loan_id",
                table: "tour_stops",
                type: "integer",
                nullable: true);

            // The loans were a « 12,15 » string: the carry's key says which end each one is
            // (relais-A-B collects A and delivers B, livraison-B delivers B, retour-A collects A).
            // A loan that no longer exists is not carried over: the foreign keys would refuse it.
            migrationBuilder.Sql("""
                UPDATE tour_stops SET
                    carry_collects_loan_id = CASE
                        WHEN movement_key LIKE 'relais-%' OR movement_key LIKE 'retour-%'
                            THEN NULLIF(split_part(movement_loan_ids, ',', 1), '')::integer END,
                    carry_delivers_loan_id = CASE
                        WHEN movement_key LIKE 'relais-%' THEN NULLIF(split_part(movement_loan_ids, ',', 2), '')::integer
                        WHEN movement_key LIKE 'livraison-%' THEN NULLIF(split_part(movement_loan_ids, ',', 1), '')::integer END;
                UPDATE tour_stops SET carry_collects_loan_id = NULL
                    WHERE carry_collects_loan_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM loans WHERE loans.id = carry_collects_loan_id);
                UPDATE tour_stops SET carry_delivers_loan_id = NULL
                    WHERE carry_delivers_loan_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM loans WHERE loans.id = carry_delivers_loan_id);
                """);

            migrationBuilder.DropColumn(
                name: "movement_loan_ids",
                table: "tour_stops");

            migrationBuilder.CreateIndex(
                name: "ix_tour_stops_carry_collects_loan_id",
                table: "tour_stops",
                column: "carry_collects_loan_id");

            migrationBuilder.CreateIndex(
                name: "ix_tour_stops_carry_delivers_loan_id",
                table: "tour_stops",
                column: "carry_delivers_loan_id");

            migrationBuilder.AddForeignKey(
                name: "fk_tour_stops_loans_carry_collects_loan_id",
                table: "tour_stops",
                column: "carry_collects_loan_id",
                principalTable: "loans",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_tour_stops_loans_carry_delivers_loan_id",
                table: "tour_stops",
                column: "carry_delivers_loan_id",
                principalTable: "loans",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "movement_loan_ids",
                table: "tour_stops",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.Sql("UPDATE tour_stops SET movement_loan_ids = concat_ws(',', carry_collects_loan_id, carry_delivers_loan_id);");

            migrationBuilder.DropForeignKey(
                name: "fk_tour_stops_loans_carry_collects_loan_id",
                table: "tour_stops");

            migrationBuilder.DropForeignKey(
                name: "fk_tour_stops_loans_carry_delivers_loan_id",
                table: "tour_stops");

            migrationBuilder.DropIndex(
                name: "ix_tour_stops_carry_collects_loan_id",
                table: "tour_stops");

            migrationBuilder.DropIndex(
                name: "ix_tour_stops_carry_delivers_loan_id",
                table: "tour_stops");

            migrationBuilder.DropColumn(
                name: "carry_collects_loan_id",
                table: "tour_stops");

            migrationBuilder.DropColumn(
                name: "carry_delivers_loan_id",
                table: "tour_stops");
        }
    }
}
