-- A département's roster for the urgent replacement (issue 13), made inside PostgreSQL on one
-- connection, step by step, on the real schema (the EF migrations run first). The caller puts
-- the sizes in place of {{communes}}, {{agents}} and {{bookings}} (integers). Used by the bench
-- verb `services` and by tests/ValDrome.Tests/Services/NearestAgentsPlanTests.cs.
--
--   {{communes}} communes over a rough outline of the Drôme, each with a 2027 convention;
--   {{agents}} agents of the four services, half of them itinerant secretaries, at communes drawn
--   at random, most working Monday to Friday;
--   {{bookings}} half-day bookings (8 h–12 h, 13 h 30–17 h 30) on the working days of the weeks
--   from Monday 1 March 2027, as many per agent, so that about a quarter of an agent's half-days
--   are taken: slots of requests (one request each) and some absences. Never two bookings of one
--   agent at once, nor two of one commune for one service: the exclusion constraints check it.
--   One « training day » (bench_busy: Tuesday 16 March 2027) takes every secretary within
--   25 km of the commune nearest the middle of the département: from there the nearest free
--   secretaries are found only past all of them.
--
-- setseed makes random() repeatable on this connection; ST_GeneratePoints takes its own seed.

-- step: randomness
SELECT setseed(0.1313);

-- step: communes
CREATE TEMP TABLE bench_departement AS
SELECT ST_GeomFromText('POLYGON((4.80 45.33, 5.05 45.35, 5.25 45.20, 5.48 45.05, 5.50 44.85, 5.72 44.75, 5.83 44.52,
    5.70 44.30, 5.55 44.15, 5.25 44.12, 5.05 44.20, 4.95 44.33, 4.65 44.33, 4.70 44.60, 4.78 44.85, 4.80 45.10, 4.80 45.33))', 4326) AS shape;
INSERT INTO communes (insee, name, population, boundary, reference_point, declared_area_km2, is_current_member)
SELECT '9' || lpad(n::text, 4, '0'), 'Commune du rôle ' || n,
       -- Log-normal: a few hundred people in most villages, some towns of several thousand.
       least(100000, exp(ln(500) + 1.2 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))::int,
       ST_Multi(ST_Expand(point, 0.01)), point::geography, ST_Area(ST_Expand(point, 0.01)::geography) / 1e6, true
FROM (
    SELECT row_number() OVER () AS n, geom AS point
    FROM (SELECT (ST_Dump(ST_GeneratePoints(shape, {{communes}}, 2027))).geom FROM bench_departement) p
) c
ORDER BY n;

-- step: conventions (each commune, 2027, every service by the half-day)
INSERT INTO service_conventions (commune_id, year, starts_on, ends_on, signed_by, signed_on, rate_per_km)
SELECT id, 2027, DATE '2027-01-01', DATE '2027-12-31', 'Le maire', DATE '2026-11-15', 0.50 FROM communes ORDER BY id;
INSERT INTO convention_lines (convention_id, service, unit, rate, minimum_units)
SELECT c.id, s.service, 'HalfDay', s.rate, 1
FROM service_conventions c
CROSS JOIN (VALUES ('Secretary', 95.00), ('Maintenance', 80.00), ('ItAssistance', 110.00), ('WorksSite', 120.00)) s (service, rate)
ORDER BY c.id, s.service;

-- step: agents
-- Working days, one bit per weekday from Sunday (bit 0): 62 Monday to Friday, 30 Monday to
-- Thursday, 54 all but Wednesday. Three in a hundred have left (inactive).
INSERT INTO service_agents (service, name, email, home_commune_id, home_location, working_days, user_id, is_coordinator, is_active)
SELECT CASE WHEN d.s < 0.5 THEN 'Secretary' WHEN d.s < 0.7 THEN 'Maintenance' WHEN d.s < 0.85 THEN 'ItAssistance' ELSE 'WorksSite' END,
       'Agent du rôle ' || d.g, 'agent-' || d.g || '@roster.test', c.id, c.reference_point,
       CASE WHEN d.w < 0.8 THEN 62 WHEN d.w < 0.9 THEN 30 ELSE 54 END, NULL, false, d.a >= 0.03
FROM (
    SELECT g, random() AS s, random() AS w, random() AS a, 1 + floor(random() * (SELECT count(*) FROM communes))::int AS k
    FROM generate_series(1, {{agents}}) g
) d
JOIN (SELECT id, reference_point, row_number() OVER (ORDER BY id) AS rn FROM communes) c ON c.rn = d.k
ORDER BY d.g;

-- step: half-days of the weeks booked
-- Enough weeks that an agent's bookings take about a quarter of its half-days (three at least,
-- so that the training day is inside); public holidays of 2027 are left out.
CREATE TEMP TABLE bench_halfdays AS
SELECT d::date AS day, h.starts, h.ends
FROM generate_series(DATE '2027-03-01',
         DATE '2027-03-01' + 7 * greatest(3, ceil({{bookings}}::numeric / {{agents}} / 0.25 / 10))::int - 1, interval '1 day') d
CROSS JOIN (VALUES (TIME '08:00', TIME '12:00'), (TIME '13:30', TIME '17:30')) h (starts, ends)
WHERE extract(isodow FROM d) <= 5
  AND d::date NOT IN (DATE '2027-03-29', DATE '2027-05-06', DATE '2027-05-17', DATE '2027-07-14', DATE '2027-11-01', DATE '2027-11-11');

-- step: the training day
CREATE TABLE bench_busy (commune_id integer NOT NULL, day date NOT NULL, radius_metres double precision NOT NULL);
INSERT INTO bench_busy
SELECT id, DATE '2027-03-16', 25000 FROM communes
ORDER BY reference_point <-> ST_SetSRID(ST_MakePoint(5.15, 44.73), 4326)::geography LIMIT 1;
CREATE TEMP TABLE bench_trained AS
SELECT a.id AS agent_id
FROM service_agents a, bench_busy b, communes c
WHERE c.id = b.commune_id AND a.service = 'Secretary' AND a.is_active AND (a.working_days & 4) <> 0
  AND ST_DWithin(a.home_location, c.reference_point, b.radius_metres);

-- step: bookings
-- The training day first (an absence of the whole day), then each agent's share of the rest
-- on half-days drawn among its working days.
CREATE TEMP TABLE bench_chosen AS
SELECT t.agent_id, NULL::text AS service, b.day, TIME '00:00' AS starts, TIME '23:59:59.999999' AS ends, 'training' AS kind
FROM bench_trained t, bench_busy b;
INSERT INTO bench_chosen
SELECT x.agent_id, x.service, x.day, x.starts, x.ends, CASE WHEN x.kind < 0.02 THEN 'released' WHEN x.kind < 0.10 THEN 'absence' ELSE 'request' END
FROM (
    SELECT a.id AS agent_id, a.service, h.day, h.starts, h.ends, random() AS kind, q.quota,
           row_number() OVER (PARTITION BY a.id ORDER BY random()) AS pick
    FROM service_agents a
    JOIN (
        SELECT id, ({{bookings}} - (SELECT count(*) FROM bench_chosen)) / {{agents}}
                   + CASE WHEN row_number() OVER (ORDER BY id) <= ({{bookings}} - (SELECT count(*) FROM bench_chosen)) % {{agents}} THEN 1 ELSE 0 END AS quota
        FROM service_agents
    ) q ON q.id = a.id
    JOIN bench_halfdays h ON (a.working_days & (1 << extract(dow FROM h.day)::int)) <> 0
    WHERE NOT EXISTS (SELECT 1 FROM bench_trained t, bench_busy b WHERE t.agent_id = a.id AND b.day = h.day)
) x
WHERE x.pick <= x.quota;
-- A commune holds one request per service and half-day: the n-th request of a half-day goes to
-- the n-th commune (shifted by the half-day); any beyond the communes is an absence instead.
CREATE TEMP TABLE bench_communes AS
SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS total FROM communes;
CREATE UNIQUE INDEX ON bench_communes (k);
CREATE TEMP TABLE bench_slots AS
SELECT row_number() OVER (ORDER BY b.day, b.starts, b.agent_id) AS n, b.*, bc.id AS commune_id
FROM bench_chosen b
LEFT JOIN (
    SELECT agent_id, day, starts,
           row_number() OVER (PARTITION BY service, day, starts ORDER BY random()) - 1 AS rank,
           extract(doy FROM day)::int * 7 + extract(hour FROM starts)::int AS shift
    FROM bench_chosen WHERE kind = 'request'
) r ON b.kind = 'request' AND r.agent_id = b.agent_id AND r.day = b.day AND r.starts = b.starts
LEFT JOIN bench_communes bc ON r.rank < bc.total AND bc.k = (r.rank + r.shift) % bc.total;
INSERT INTO service_requests (id, commune_id, service, convention_id, purpose, place, contact, is_urgent, status, agent_id, unit,
    rate, minimum_units, rate_per_km, requested_by_user_id, requested_by_name, requested_at, assigned_by_name, assigned_at)
SELECT s.n, s.commune_id, s.service, v.id, 'Banc d''essai', 'Mairie', 'Le maire', false, 'Assigned', s.agent_id, 'HalfDay',
       l.rate, 1, 0.50, 'roster', 'Banc d''essai', TIMESTAMPTZ '2026-11-20 09:00+01', 'Banc d''essai', TIMESTAMPTZ '2026-11-20 09:05+01'
FROM bench_slots s
JOIN service_conventions v ON v.commune_id = s.commune_id AND v.year = 2027
JOIN convention_lines l ON l.convention_id = v.id AND l.service = s.service
WHERE s.commune_id IS NOT NULL
ORDER BY s.n;
SELECT setval(pg_get_serial_sequence('service_requests', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM service_requests), false);
INSERT INTO agent_bookings (agent_id, request_id, commune_id, service, day, starts, ends, is_active, reason)
SELECT s.agent_id,
       CASE WHEN s.commune_id IS NOT NULL THEN s.n END, s.commune_id,
       CASE WHEN s.commune_id IS NOT NULL THEN s.service END,
       s.day, s.starts, s.ends, s.kind <> 'released',
       CASE WHEN s.commune_id IS NOT NULL THEN NULL WHEN s.kind = 'training' THEN 'Formation départementale' ELSE 'Congé' END
FROM bench_slots s
ORDER BY s.n;

-- step: statistics
ANALYZE;
