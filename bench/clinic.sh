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
run_wrk "GET /api/patients/{id}" "$root/bench/wrk/get.lua" TOKEN="$TOKEN" PATHS="$patient_paths"
run_wrk "GET /api/appointments/by-date/{d}" "$root/bench/wrk/get.lua" TOKEN="$TOKEN" PATHS="$date_paths"
# The same days with one appointment changed every 10 requests: reads after a change miss the cache.
days=$(for p in ${date_paths//,/ }; do
  curl -sf "${auth[@]}" "$BASE$p" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[0]["date"]+"="+d[0]["id"]) if d else None'
done | paste -sd,)
run_wrk "by-date, 1 in 10 a PUT of that day" "$root/bench/wrk/day.lua" TOKEN="$TOKEN" DAYS="$days" EVERY=10
run_wrk "POST /api/appointments" "$root/bench/wrk/book.lua" TOKEN="$TOKEN" PATIENT="$patient_id" TYPE="$type_id"
