-- The marketplace benchmark's data set, made inside PostgreSQL on one connection, step by step
-- (the bench runs each "-- step:" block as one command and prints its duration). The schema is
-- the real one, made by the EF migrations before this runs; this fills it.
--
--   35,000 communes over metropolitan France (three in ten clustered around 30 cities),
--   1,000,000 units in 50 categories, placed at communes weighted by √population,
--   10,000,000 bookings: one per unit in each of ten 73-day slots of a two-year calendar,
--   so a unit's bookings never overlap, margins included.
--   One region per category (120 km around a commune) whose units are all booked for the same
--   fortnight: the "nothing free within the radius" case.
--
-- setseed makes random() repeatable on this connection; ST_GeneratePoints takes its own seed.

-- step: randomness and memory for the index builds
SELECT setseed(0.2026);
SET maintenance_work_mem = '1GB';
SET work_mem = '256MB';

-- step: set aside the secondary indexes and constraints of the two big tables
-- Building an index once over the loaded table is much cheaper than maintaining it row by row,
-- and re-adding a constraint checks every row: the exclusion constraint is recreated after the
-- load, which proves the generated periods never overlap. Definitions are read from the catalog,
-- so whatever the migrations created comes back exactly.
CREATE TEMP TABLE bench_deferred (ord serial, tbl regclass, kind text, name text, definition text);
INSERT INTO bench_deferred (tbl, kind, name, definition)
SELECT conrelid::regclass, 'constraint', conname, pg_get_constraintdef(oid)
FROM pg_constraint
WHERE conrelid IN ('equipment_units'::regclass, 'unit_bookings'::regclass) AND contype IN ('f', 'x')
ORDER BY conrelid, conname;
INSERT INTO bench_deferred (tbl, kind, name, definition)
SELECT i.indrelid::regclass, 'index', c.relname, pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid IN ('equipment_units'::regclass, 'unit_bookings'::regclass)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
ORDER BY i.indrelid, c.relname;
DO $$
DECLARE d record;
BEGIN
    FOR d IN SELECT * FROM bench_deferred ORDER BY ord LOOP
        IF d.kind = 'constraint' THEN
            EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', d.tbl, d.name);
        ELSE
            EXECUTE format('DROP INDEX %I', d.name);
        END IF;
    END LOOP;
END $$;

-- step: communes (35,000 points, boundaries as small squares)
-- A rough outline of the hexagon (Corsica left out), and 30 cities with a weight and a spread.
CREATE TEMP TABLE bench_france AS
SELECT ST_GeomFromText('POLYGON((2.55 51.08, 4.20 50.00, 4.85 50.15, 6.20 49.50, 8.20 49.00, 7.60 47.60, 6.90 47.40,
    6.10 46.20, 7.00 45.90, 6.70 45.00, 7.00 44.20, 7.50 43.80, 6.60 43.10, 4.80 43.35, 3.10 43.10, 3.10 42.45,
    1.70 42.50, 0.00 42.75, -1.75 43.35, -1.25 44.60, -1.20 46.00, -2.10 46.80, -2.50 47.30, -4.40 47.80,
    -4.75 48.40, -3.50 48.80, -1.60 48.65, -1.90 49.70, -1.00 49.40, 0.20 49.45, 1.40 50.10, 1.60 50.90, 2.55 51.08))', 4326) AS shape;
CREATE TEMP TABLE bench_cities (lon float8, lat float8, weight float8, spread_km float8);
INSERT INTO bench_cities VALUES
    (2.35, 48.86, 12, 45), (4.84, 45.76, 4, 30), (5.37, 43.30, 3.5, 28), (1.44, 43.60, 3, 28),
    (7.26, 43.70, 2, 20), (-1.55, 47.22, 2.5, 28), (7.75, 48.58, 2.2, 25), (3.88, 43.61, 2, 25),
    (-0.58, 44.84, 2.8, 30), (3.06, 50.63, 3.5, 25), (-1.68, 48.11, 2, 28), (4.03, 49.26, 1, 20),
    (5.93, 43.12, 1.5, 18), (5.72, 45.19, 1.8, 22), (5.04, 47.32, 1.2, 22), (-0.55, 47.47, 1.2, 22),
    (3.08, 45.78, 1.3, 22), (1.26, 45.83, 0.9, 20), (0.69, 47.39, 1.2, 22), (1.91, 47.90, 1.2, 22),
    (1.10, 49.44, 1.6, 22), (-0.37, 49.18, 1.1, 20), (-4.49, 48.39, 0.9, 20), (6.18, 49.12, 1.2, 20),
    (6.18, 48.69, 1.1, 20), (6.02, 47.24, 0.9, 20), (2.90, 42.70, 0.8, 18), (-0.37, 43.30, 0.7, 18),
    (0.34, 46.58, 0.8, 20), (4.89, 44.93, 0.8, 18);
CREATE TEMP TABLE bench_points (point geometry(point, 4326), clustered boolean);
-- 24,500 spread over the whole country: rural France has a commune every 15 km² or so.
INSERT INTO bench_points
SELECT (ST_Dump(ST_GeneratePoints(shape, 24500, 2026))).geom, false FROM bench_france;
-- 10,500 around the cities, Gaussian, as many per city as its weight says; those at sea are dropped.
INSERT INTO bench_points
SELECT p.point, true
FROM (
    SELECT ST_SetSRID(ST_MakePoint(
               c.lon + c.spread_km * g.radius * cos(g.angle) / (111.32 * cos(radians(c.lat))),
               c.lat + c.spread_km * g.radius * sin(g.angle) / 110.57), 4326) AS point,
           g.shuffle
    FROM bench_cities c
    CROSS JOIN LATERAL generate_series(1, (16000 * c.weight / (SELECT sum(weight) FROM bench_cities))::int) n
    CROSS JOIN LATERAL (SELECT sqrt(-2 * ln(1 - random())) AS radius, 2 * pi() * random() AS angle, random() AS shuffle, n) g
) p, bench_france f
WHERE ST_Intersects(p.point, f.shape)
ORDER BY p.shuffle
LIMIT 10500;
INSERT INTO communes (insee, name, population, boundary, reference_point, declared_area_km2, is_current_member)
SELECT lpad(n::text, 5, '0'), 'Commune de banc ' || n, population,
       ST_Multi(ST_Expand(point, 0.01)), point::geography,
       ST_Area(ST_Expand(point, 0.01)::geography) / 1e6, true
FROM (
    SELECT row_number() OVER (ORDER BY random()) AS n, point,
           -- Log-normal populations: a few hundred in the countryside, thousands near the cities.
           least(2000000, exp(CASE WHEN clustered THEN ln(4000) ELSE ln(400) END
                 + 1.1 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))::int AS population
    FROM bench_points
) c
ORDER BY n;
DO $$
BEGIN
    IF (SELECT count(*) FROM communes) <> 35000 THEN
        RAISE EXCEPTION 'expected 35000 communes, made %', (SELECT count(*) FROM communes);
    END IF;
END $$;

-- step: categories (50, transport margin 0 or 1 day)
INSERT INTO equipment_categories (code, name, description, max_loan_days, transport_margin_days)
SELECT 'banc-' || lpad(k::text, 2, '0'), 'Catégorie de banc ' || lpad(k::text, 2, '0'),
       'Catégorie synthétique du banc d''essai', 30, k % 2
FROM generate_series(1, 50) k;

-- step: units (1,000,000)
-- A unit belongs to a commune drawn with probability ∝ √population (bigger communes own more),
-- 8 % to the community itself; it is kept within a kilometre of the commune's point.
CREATE TEMP TABLE bench_pick AS
SELECT id AS commune_id, reference_point, sum(sqrt(population)) OVER (ORDER BY id) AS upto FROM communes;
CREATE INDEX ON bench_pick (upto);
ANALYZE bench_pick;
CREATE TEMP TABLE bench_category_ids AS
SELECT array_agg(id ORDER BY id) AS ids FROM equipment_categories;
INSERT INTO equipment_units (inventory_code, name, description, category_id, owner_commune_id, home_depot_id, home_location,
    daily_rate, transport, licence_requirement, has_hour_meter, status, auto_approve, transport_margin_days_override)
SELECT 'BANC-' || d.g, 'Matériel de banc ' || d.g, '', (SELECT ids FROM bench_category_ids)[1 + floor(d.c * 50)::int],
       CASE WHEN d.community < 0.08 THEN NULL ELSE p.commune_id END, NULL,
       ST_Project(p.reference_point, 1000 * sqrt(d.j1), 2 * pi() * d.j2),
       round((5 + 195 * d.rate)::numeric, 2),
       (ARRAY['None', 'Van', 'TruckAndTrailer'])[1 + floor(d.t * 3)::int], NULL, d.t > 0.66,
       CASE WHEN d.s < 0.03 THEN 'InMaintenance' WHEN d.s < 0.035 THEN 'Retired' ELSE 'InService' END,
       d.s > 0.9, CASE WHEN d.o < 0.02 THEN 2 END
FROM (
    SELECT g, random() * (SELECT max(upto) FROM bench_pick) AS r, random() AS c, random() AS community,
           random() AS j1, random() AS j2, random() AS rate, random() AS t, random() AS s, random() AS o
    FROM generate_series(1, 1000000) g
) d
CROSS JOIN LATERAL (SELECT commune_id, reference_point FROM bench_pick p WHERE p.upto >= d.r ORDER BY p.upto LIMIT 1) p
ORDER BY d.g;

-- step: indexes and constraints of the units, rebuilt
DO $$
DECLARE d record;
BEGIN
    FOR d IN SELECT * FROM bench_deferred WHERE tbl = 'equipment_units'::regclass ORDER BY kind DESC, ord LOOP
        IF d.kind = 'constraint' THEN
            EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', d.tbl, d.name, d.definition);
        ELSE
            EXECUTE d.definition;
        END IF;
    END LOOP;
END $$;
ANALYZE equipment_units;

-- step: the fully booked regions (one per category, 120 km around a commune, one fortnight)
CREATE TABLE bench_blocked_regions (
    category_id integer PRIMARY KEY,
    commune_id integer NOT NULL,
    centre geography(point, 4326) NOT NULL,
    radius_metres double precision NOT NULL,
    first_day date NOT NULL,
    last_day date NOT NULL);
INSERT INTO bench_blocked_regions
SELECT k.id, c.id, c.reference_point, 120000, DATE '2028-01-24', DATE '2028-02-06'
FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM equipment_categories) k
JOIN (SELECT id, reference_point, row_number() OVER (ORDER BY random()) AS rn FROM communes) c ON c.rn = k.rn;
CREATE TEMP TABLE bench_blocked_units AS
SELECT u.id AS unit_id
FROM bench_blocked_regions r
JOIN equipment_units u ON u.category_id = r.category_id AND ST_DWithin(u.home_location, r.centre, r.radius_metres);
CREATE UNIQUE INDEX ON bench_blocked_units (unit_id);
ANALYZE bench_blocked_units;

-- step: bookings (10,000,000)
-- Slot s covers [2027-01-04 + 73 s, 2027-01-04 + 73 (s + 1)); each unit has one booking of
-- 1–14 days per slot, placed so that its period (margins included) stays inside the slot.
-- Slot 5 (2028-01-04 …) holds the fortnight 2028-01-24 – 2028-02-06 for the blocked units.
-- About 1 % are released (cancelled loans), never in a blocked region. Rows go in slot order,
-- as bookings accumulate over time: a unit's ten rows are far apart in the table.
-- The triggers that keep equipment_units.booked (ADR 9) are off for the load: ten million
-- single-row updates of the units would take longer than the rest together; the next step
-- writes the same unions in one pass.
ALTER TABLE unit_bookings DISABLE TRIGGER USER;
INSERT INTO unit_bookings (unit_id, first_day, last_day, margin_days, is_active, loan_id)
SELECT b.unit_id,
       CASE WHEN b.blocked THEN DATE '2028-01-24' ELSE b.slot_start + b.offset_days END,
       CASE WHEN b.blocked THEN DATE '2028-02-06' ELSE b.slot_start + b.offset_days + b.days - 1 END,
       b.margin, b.blocked OR b.release >= 0.01, NULL
FROM (
    SELECT x.*, x.margin + floor(x.place * (73 - x.days - 2 * x.margin + 1))::int AS offset_days
    FROM (
        SELECT u.id AS unit_id, DATE '2027-01-04' + 73 * s AS slot_start,
               COALESCE(u.transport_margin_days_override, c.transport_margin_days) AS margin,
               1 + floor(random() * 14)::int AS days, random() AS place, random() AS release,
               s = 5 AND bu.unit_id IS NOT NULL AS blocked
        FROM generate_series(0, 9) s
        CROSS JOIN equipment_units u
        JOIN equipment_categories c ON c.id = u.category_id
        LEFT JOIN bench_blocked_units bu ON bu.unit_id = u.id
        ORDER BY s, u.id
    ) x
) b;

-- step: the units' booked days, the union of their active bookings (what the triggers keep)
UPDATE equipment_units u SET booked = b.booked
FROM (SELECT unit_id, range_agg(period) AS booked FROM unit_bookings WHERE is_active GROUP BY unit_id) b
WHERE b.unit_id = u.id;
ALTER TABLE unit_bookings ENABLE TRIGGER USER;

-- step: indexes and constraints of the bookings, rebuilt (this validates the exclusion constraint)
DO $$
DECLARE d record;
BEGIN
    FOR d IN SELECT * FROM bench_deferred WHERE tbl = 'unit_bookings'::regclass ORDER BY kind DESC, ord LOOP
        IF d.kind = 'constraint' THEN
            EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', d.tbl, d.name, d.definition);
        ELSE
            EXECUTE d.definition;
        END IF;
    END LOOP;
END $$;

-- step: vacuum and statistics
VACUUM (ANALYZE);
