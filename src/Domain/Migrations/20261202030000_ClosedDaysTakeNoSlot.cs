using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <summary>
    /// A slot booked at the moment staff close its day would have stayed on a closed day: closing
    /// read the day's slots before the new one committed (ADR 32). Both now meet on one transaction
    /// lock per day: closing takes it alone (the page takes it before it reads the day's slots, and
    /// the insert again), booking a service slot shares it and then finds the closure, if any, and
    /// is refused with SQLSTATE VD001 (<c>ClosureDay.SlotOnClosedDay</c>). Only active slots of a
    /// request are concerned: absences, and slots released by the closure, are not.
    /// </summary>
    public partial class ClosedDaysTakeNoSlot : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create or replace function valdrome_lock_closure_day() returns trigger
                language plpgsql as $$
                begin
                  perform pg_advisory_xact_lock(1447, new.day - date '0001-01-01');
                  return new;
                end $$;

                create trigger closure_days_lock before insert on closure_days
                  for each row execute function valdrome_lock_closure_day();

                create or replace function valdrome_refuse_slot_on_closed_day() returns trigger
                language plpgsql as $$
                begin
                  if new.is_active and new.request_id is not null then
                    perform pg_advisory_xact_lock_shared(1447, new.day - date '0001-01-01');
                    if exists (select 1 from closure_days c where c.day = new.day) then
                      raise exception using errcode = 'VD001', constraint = 'agent_bookings_open_day',
                        message = format('%s is a closure day: no service slot', new.day);
                    end if;
                  end if;
                  return new;
                end $$;

                create trigger agent_bookings_open_day before insert or update of day, is_active on agent_bookings
                  for each row execute function valdrome_refuse_slot_on_closed_day();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop trigger if exists agent_bookings_open_day on agent_bookings;
                drop function if exists valdrome_refuse_slot_on_closed_day();
                drop trigger if exists closure_days_lock on closure_days;
                drop function if exists valdrome_lock_closure_day();
                """);
        }
    }
}
