#!/usr/bin/env bash
# The clinic under load: seeds a large clinic (bench/seed.sh sizes; BENCH_PATIENTS etc. to change)
# on PostgreSQL, starts the API in Release and runs wrk for patient search, patient by id,
# appointments by date and booking, 32 connections each.
#   bench/clinic.sh          (a throwaway PostgreSQL; or BENCH_PG=… for an existing, seeded one with BENCH_SKIP_SEED=1)
BENCH_PROVIDER=${BENCH_PROVIDER:-PostgreSQL}
source "$(dirname "$0")/lib.sh"
CS=$(connection_string)
build_release
if [ -z "${BENCH_SKIP_SEED:-}" ]; then
  CS="$CS" bash "$root/bench/seed.sh" "${BENCH_PATIENTS:-100000}" "${BENCH_APPOINTMENTS:-300000}" "${BENCH_TREATMENTS:-500000}"
fi
start_server
TOKEN=$(login_token)
auth=(-H "authorization: Bearer $TOKEN")

# Samples the scripts rotate through: real ids, busy dates, a type to book. By date is served from
# memory while a day is unchanged (README, "Day calendars are kept in memory"); the line after it
# measures it under changes.
patient_paths=$(curl -sf "${auth[@]}" "$BASE/api/patients?limit=100" | python3 -c 'import json,sys; print(",".join("/api/patients/"+p["id"] for p in json.load(sys.stdin)["data"]))')
date_paths=$(python3 -c 'import datetime; t=datetime.date.today(); print(",".join("/api/appointments/by-date/"+(t-datetime.timedelta(days=d)).isoformat() for d in range(0,200,7)))')
search_paths="/api/patients?search=joh,/api/patients?search=garc,/api/patients?search=m%C3%BCller,/api/patients?search=menard,/api/patients?search=li%20wang,/api/patients?search=2302,/api/patients?search=415%20231,/api/patients?search=zoe"
patient_id=$(curl -sf "${auth[@]}" "$BASE/api/patients?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["id"])')
type_id=$(curl -sf "${auth[@]}" "$BASE/api/appointment-types" | python3 -c 'import json,sys; print(min(json.load(sys.stdin), key=lambda t: t["duration"])["id"])')

rows=$(curl -sf "${auth[@]}" "$BASE/api/appointments/by-date/$(date +%F)" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
echo "provider $BENCH_PROVIDER, $BENCH_CONNECTIONS connections, $BENCH_DURATION each; today has $rows appointments"
run_wrk "GET /api/patients?search=…" "$root/bench/wrk/get.lua" TOKEN="$TOKEN" PATHS="$search_paths"
# Each form of search on its own, then the phone lookups against PostgreSQL's own exact-match rate.
run_wrk "search: one word" "$root/bench/wrk/get.lua" TOKEN="$TOKEN" PATHS="/api/patients?search=joh,/api/patients?search=garc,/api/patients?search=m%C3%BCller,/api/patients?search=zoe"
run_wrk "search: several words" "$root/bench/wrk/get.lua" TOKEN="$TOKEN" PATHS="/api/patients?search=li%20wang,/api/patients?search=mary%20smith,/api/patients?search=garcia%20jose,/api/patients?search=ngu%20lia"
run_wrk "search: name and digits" "$root/bench/wrk/get.lua" TOKEN="$TOKEN" PATHS="/api/patients?search=emma%20412,/api/patients?search=smith%20230,/api/patients?search=wang%202301"
run_wrk "search: e-mail fragment" "$root/bench/wrk/get.lua" TOKEN="$TOKEN" PATHS="/api/patients?search=olivia.taylor,/api/patients?search=liam.li,/api/patients?search=mei.khan1"
phone_paths="/api/patients?search=4152301234,/api/patients?search=(212)%20231-0001,/api/patients?search=617-232,/api/patients?search=2330,/api/patients?search=%2B1%20312%20234%205678,/api/patients?search=5122355"
run_wrk "search: phone (4–11 digits)" "$root/bench/wrk/get.lua" TOKEN="$TOKEN" PATHS="$phone_paths"
# The seeded numbers (bench/seed.sh → seed-demo): patient i has area code i mod 8, then 230 + i/80000, then (i/8) mod 10000.
BENCH_PGBENCH_RANGE=${BENCH_PATIENTS:-100000} run_pgbench "pgbench: exact mobile_e164 =" \
  "SELECT id, first_name, last_name, mobile_number, email FROM patients WHERE mobile_e164 = '+1' || (ARRAY['212','415','617','312','206','303','512','646'])[:i % 8 + 1] || (230 + :i / 8 / 10000 % 760)::text || lpad((:i / 8 % 10000)::text, 4, '0') AND archived_at IS NULL"
run_wrk "GET /api/patients/{id}" "$root/bench/wrk/get.lua" TOKEN="$TOKEN" PATHS="$patient_paths"
# The API's by-id SELECT (the patient and the sums of their treatments) straight on PostgreSQL, over
# the same 100 patients (their ids in a small table; its primary-key lookup is part of each transaction),
# prepared and, as the API sends it, planned every time.
psql "$(libpq_connection)" -qc "DROP TABLE IF EXISTS bench_patient_ids; CREATE TABLE bench_patient_ids AS
  SELECT (row_number() OVER (ORDER BY last_name, first_name, id) - 1)::int AS n, id FROM (SELECT * FROM patients WHERE archived_at IS NULL ORDER BY last_name, first_name, id LIMIT 100) p;
  ALTER TABLE bench_patient_ids ADD PRIMARY KEY (n);"
by_id_sql="SELECT p.id, p.first_name, p.last_name, p.mobile_number, p.email, p.date_of_birth, p.address, p.emergency_contact_name, p.emergency_contact_phone, p.created_at, p.updated_at, p.archived_at, coalesce(t0.billed, 0), coalesce(t0.discounts, 0), coalesce(t0.paid, 0) FROM patients p LEFT JOIN (SELECT t.patient_id, coalesce(sum(t.total_price), 0) AS billed, coalesce(sum(t.discount), 0) AS discounts, coalesce(sum(t.amount_paid), 0) AS paid FROM treatments t WHERE t.archived_at IS NULL AND t.patient_id = (SELECT id FROM bench_patient_ids WHERE n = :i) GROUP BY t.patient_id) t0 ON p.id = t0.patient_id WHERE p.id = (SELECT id FROM bench_patient_ids WHERE n = :i) AND p.archived_at IS NULL LIMIT 1"
BENCH_PGBENCH_RANGE=100 run_pgbench "pgbench: patient by id" "$by_id_sql"
BENCH_PGBENCH_RANGE=100 run_pgbench "pgbench: patient by id, unprepared" "$by_id_sql" extended
run_wrk "GET /api/appointments/by-date/{d}" "$root/bench/wrk/get.lua" TOKEN="$TOKEN" PATHS="$date_paths"
# The same days with one appointment changed every 10 requests: reads after a change miss the cache.
days=$(for p in ${date_paths//,/ }; do
  curl -sf "${auth[@]}" "$BASE$p" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[0]["date"]+"="+d[0]["id"]) if d else None'
done | paste -sd,)
run_wrk "by-date, 1 in 10 a PUT of that day" "$root/bench/wrk/day.lua" TOKEN="$TOKEN" DAYS="$days" EVERY=10
# Bookings warm up for 40 s: the tiered JIT is still compiling their path after 10 s (bench/ab.sh).
BENCH_WARMUP=${BENCH_WARMUP:-40s} run_wrk "POST /api/appointments" "$root/bench/wrk/book.lua" TOKEN="$TOKEN" PATIENT="$patient_id" TYPE="$type_id"
