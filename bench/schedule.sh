#!/usr/bin/env bash
# Scheduling under load: a clinic of 5 dentists and 5 chairs, opening hours Monday–Saturday
# 08:00–18:00, 80 appointments a day for the next 14 days (each dentist in their own chair, 16 of
# the 20 half-hours booked at random). Then, 32 connections each:
#   - free slots of a 30-minute type over the 14 days (GET /api/appointments/availability);
#   - the week calendar (GET /api/appointments/calendar, 7 days), rotating over two weeks;
#   - one day by date, for comparison.
#   bench/schedule.sh                          (a throwaway PostgreSQL; BENCH_PROVIDER=Sqlite for SQLite)
BENCH_PROVIDER=${BENCH_PROVIDER:-PostgreSQL}
source "$(dirname "$0")/lib.sh"
CS=$(connection_string)
build_release
start_server
TOKEN=$(login_token)
auth=(-H "authorization: Bearer $TOKEN")

log "seeding 5 dentists, 5 chairs, hours and 80 appointments a day for 14 days"
type_id=$(BASE="$BASE" TOKEN="$TOKEN" python3 - <<'PY'
import json, os, random, datetime, urllib.request
base, token = os.environ["BASE"], os.environ["TOKEN"]
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"authorization": "Bearer " + token, "content-type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or "null")
suffix = random.randrange(10**6)
dentists = [call("POST", "/api/users", {"name": f"Dr Bench {i} {suffix}", "email": f"bench-dentist-{suffix}-{i}@clinic.test",
                                         "role": "dentist", "password": "Bench-password-1", "calendarColor": "#22AA66"})["id"] for i in range(5)]
chairs = [call("POST", "/api/chairs", {"name": f"Chair {i} {suffix}", "color": "#3366CC", "displayOrder": i})["id"] for i in range(5)]
call("PUT", "/api/schedule/hours/clinic", {"intervals": [{"weekday": d, "start": "08:00", "end": "18:00"} for d in range(1, 7)]})
short = call("POST", "/api/appointment-types", {"name": f"Bench check {suffix}", "price": 50, "duration": 30, "color": "#3366CC"})["id"]
patients = [call("POST", "/api/patients", {"firstName": "Bench", "lastName": f"Patient{i}", "mobileNumber": f"+1 415 55{suffix % 10}{i:04d}"})["id"]
            for i in range(400)]
today = datetime.date.today()
n = 0
for day in range(1, 15):
    date = today + datetime.timedelta(days=day)
    if date.isoweekday() == 7:
        continue
    for c in range(5):
        for k in sorted(random.sample(range(20), 16)):
            minute = 8 * 60 + 30 * k
            call("POST", "/api/appointments", {"patientId": patients[n % len(patients)], "appointmentTypeId": short,
                 "date": date.isoformat(), "time": f"{minute // 60:02d}:{minute % 60:02d}", "dentistId": dentists[c], "chairId": chairs[c]})
            n += 1
print(short)
PY
)
from=$(date -d tomorrow +%F); to=$(date -d '+14 days' +%F)
slots=$(curl -sf "${auth[@]}" "$BASE/api/appointments/availability?appointmentTypeId=$type_id&from=$from&to=$to" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
weeks="/api/appointments/calendar?from=$from&to=$(date -d '+7 days' +%F),/api/appointments/calendar?from=$(date -d '+8 days' +%F)&to=$to"
week_items=$(curl -sf "${auth[@]}" "$BASE/api/appointments/calendar?from=$from&to=$(date -d '+7 days' +%F)" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
echo "provider $BENCH_PROVIDER, $BENCH_CONNECTIONS connections, $BENCH_DURATION each; 14 days offer $slots free starts; the first week has $week_items appointments"
run_wrk "GET availability (14 days)" "$root/bench/wrk/get.lua" TOKEN="$TOKEN" PATHS="/api/appointments/availability?appointmentTypeId=$type_id&from=$from&to=$to"
run_wrk "GET calendar (7 days)" "$root/bench/wrk/get.lua" TOKEN="$TOKEN" PATHS="$weeks"
run_wrk "GET by-date (1 day)" "$root/bench/wrk/get.lua" TOKEN="$TOKEN" PATHS="/api/appointments/by-date/$from"
