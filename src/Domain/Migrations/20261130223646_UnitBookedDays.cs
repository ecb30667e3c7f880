using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ValDrome.Domain.Migrations
{
    /// <inheritdoc />
    public partial class UnitBookedDays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Each unit carries the union of its active bookings' periods (margins included), so
            // that the nearest-available query tests a candidate on the row it has already read
            // instead of probing unit_bookings once per candidate (ADR 9). unit_bookings and its
            // exclusion constraint stay the truth; triggers keep this copy in the same transaction.
            // Changes are applied as differences (+ and − of the row's own period), which
            // PostgreSQL re-applies to the newest version of the unit's row when two transactions
            // book the same unit at once; a recomputation from unit_bookings would read a snapshot
            // that misses the other's booking. Active periods of a unit never overlap (the
            // constraint), so removing one period never removes days of another.
            // EF has no model for multiranges or triggers: the column is not mapped.
            migrationBuilder.Sql("""
                ALTER TABLE equipment_units ADD COLUMN booked datemultirange NOT NULL DEFAULT '{}';
                COMMENT ON COLUMN equipment_units.booked IS
                    'Union of the periods (margins included) of the unit''s active bookings, kept by the triggers of unit_bookings.';

                UPDATE equipment_units u SET booked = b.booked
                FROM (SELECT unit_id, range_agg(period) AS booked FROM unit_bookings WHERE is_active GROUP BY unit_id) b
                WHERE b.unit_id = u.id;

                CREATE FUNCTION unit_bookings_keep_unit_booked() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'TRUNCATE' THEN
                        UPDATE equipment_units SET booked = '{}' WHERE NOT isempty(booked);
                        RETURN NULL;
                    END IF;
                    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.is_active THEN
                        UPDATE equipment_units SET booked = booked - datemultirange(OLD.period) WHERE id = OLD.unit_id;
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.is_active THEN
                        UPDATE equipment_units SET booked = booked + datemultirange(NEW.period) WHERE id = NEW.unit_id;
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER tr_unit_bookings_keep_unit_booked
                    AFTER INSERT OR DELETE OR UPDATE OF unit_id, first_day, last_day, margin_days, is_active ON unit_bookings
                    FOR EACH ROW EXECUTE FUNCTION unit_bookings_keep_unit_booked();
                CREATE TRIGGER tr_unit_bookings_truncate_unit_booked
                    AFTER TRUNCATE ON unit_bookings
                    FOR EACH STATEMENT EXECUTE FUNCTION unit_bookings_keep_unit_booked();

                -- The per-candidate probe it served (NearestAvailableAtNationalScale) is gone; plain
                -- lookups by unit keep ix_unit_bookings_unit_id and the constraint's GiST index.
                DROP INDEX IF EXISTS ix_unit_bookings_active_unit_id_period_end;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE INDEX ix_unit_bookings_active_unit_id_period_end
                    ON unit_bookings (unit_id, upper(period)) INCLUDE (period) WHERE is_active;
                DROP TRIGGER IF EXISTS tr_unit_bookings_truncate_unit_booked ON unit_bookings;
                DROP TRIGGER IF EXISTS tr_unit_bookings_keep_unit_booked ON unit_bookings;
                DROP FUNCTION IF EXISTS unit_bookings_keep_unit_booked();
                ALTER TABLE equipment_units DROP COLUMN IF EXISTS booked;
                """);
        }
    }
}
