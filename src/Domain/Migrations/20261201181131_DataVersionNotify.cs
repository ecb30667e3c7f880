using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <summary>
    /// Every write to a table a cache may read, by any process (another node, psql, a bulk
    /// <c>ExecuteUpdate</c>), sends <c>NOTIFY valdrome_data, '&lt;table&gt;'</c> at its commit; each
    /// node LISTENs and bumps its data versions (ADR 5, ADR 22). A table added later joins with
    /// <c>select valdrome_watch('its_table')</c> in its migration.
    /// </summary>
    public partial class DataVersionNotify : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create or replace function valdrome_notify_change() returns trigger
                language plpgsql as $$
                begin
                  -- Per statement: PostgreSQL folds identical notifications of one transaction and delivers them at commit only.
                  perform pg_notify('valdrome_data', tg_table_name);
                  return null;
                end $$;

                create or replace function valdrome_watch(target regclass) returns void
                language plpgsql as $$
                begin
                  execute format('drop trigger if exists valdrome_notify_change on %s', target);
                  execute format('create trigger valdrome_notify_change after insert or update or delete or truncate on %s '
                    'for each statement execute function valdrome_notify_change()', target);
                end $$;

                -- Not the tables written on every sign-in or keyed request (accounts, sessions, keys), which no cache reads.
                do $$
                declare t record;
                begin
                  for t in select c.oid::regclass as target
                           from pg_class c join pg_namespace n on n.oid = c.relnamespace
                           where n.nspname = current_schema() and c.relkind = 'r'
                             and c.relname not in ('__EFMigrationsHistory', 'spatial_ref_sys', 'user_sessions', 'gis_access_keys', 'data_protection_keys')
                             and c.relname not like 'AspNet%'
                  loop
                    perform valdrome_watch(t.target);
                  end loop;
                end $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                do $$
                declare t record;
                begin
                  for t in select tgrelid::regclass as target from pg_trigger where tgname = 'valdrome_notify_change' loop
                    execute format('drop trigger valdrome_notify_change on %s', t.target);
                  end loop;
                end $$;
                drop function if exists valdrome_watch(regclass);
                drop function if exists valdrome_notify_change();
                """);
        }
    }
}
