using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <inheritdoc />
    public partial class NoticeMails : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "body",
                table: "notices",
                type: "character varying(8000)",
                maxLength: 8000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "subject",
                table: "notices",
                type: "character varying(300)",
                maxLength: 300,
                nullable: false,
                defaultValue: "");

            // Notices written before mails were stored with them: a failed one retried by the sweep says at least what the page says.
            migrationBuilder.Sql("UPDATE notices SET subject = left(text, 300), body = text WHERE body = '';");

            migrationBuilder.CreateIndex(
                name: "ix_notices_mail",
                table: "notices",
                column: "mail",
                filter: "mail in ('Queued', 'Failed')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_notices_mail",
                table: "notices");

            migrationBuilder.DropColumn(
                name: "body",
                table: "notices");

            migrationBuilder.DropColumn(
                name: "subject",
                table: "notices");
        }
    }
}
