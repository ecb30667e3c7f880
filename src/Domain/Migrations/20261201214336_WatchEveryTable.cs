using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <summary>
    /// The tables created after <c>DataVersionNotify</c> (photos, fault reports, closure days,
    /// services…) were not watched: their writes by another node or psql moved no cache. One
    /// function watches every table a cache may read; a migration that creates tables ends with
    /// <c>select valdrome_watch_all()</c>, and a test fails when one is left unwatched (ADR 22).
    /// </summary>
    public partial class WatchEveryTable : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create or replace function valdrome_watch_all() returns void
                language plpgsql as $$
                declare t record;
                begin
                  -- Not the tables written on every sign-in or keyed request (accounts, sessions, keys), which no cache reads.
                  for t in select c.oid::regclass as target
                           from pg_class c join pg_namespace n on n.oid = c.relnamespace
                           where n.nspname = current_schema() and c.relkind = 'r'
                             and c.relname not in ('__EFMigrationsHistory', 'spatial_ref_sys', 'user_sessions', 'gis_access_keys', 'data_protection_keys')
                             and c.relname not like 'AspNet%'
                             and not exists (select 1 from pg_trigger g where g.tgrelid = c.oid and g.tgname = 'valdrome_notify_change')
                  loop
                    perform valdrome_watch(t.target);
                  end loop;
                end $$;

                select valdrome_watch_all();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop function if exists valdrome_watch_all();");
        }
    }
}
