using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <summary>
    /// Sessions are kept in memory by every node (ADR 29): a change to a session row, or to the
    /// person (security stamp, lockout), must reach every node at its commit, as the other tables'
    /// changes do. No page reads these tables: the page cache leaves their versions out.
    /// </summary>
    public partial class WatchSessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                select valdrome_watch('user_sessions');
                select valdrome_watch('"AspNetUsers"');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop trigger if exists valdrome_notify_change on user_sessions;
                drop trigger if exists valdrome_notify_change on "AspNetUsers";
                """);
        }
    }
}
