#!/usr/bin/env bash
# The API's memory: its resident set (VmRSS) idle after start-up, and its peak under BENCH_DURATION
# (60s) of mixed load at 32 connections — patient by id, every search form, the day calendar, the week
# calendar, the appointment list, and a booking in every 10 requests (bench/wrk/mix.lua).
#   BENCH_PG="Host=…;Database=…" bench/memory.sh     (an existing database seeded by bench/seed.sh)
#   bench/memory.sh                                  (a throwaway PostgreSQL, seeded first: BENCH_PATIENTS…)
# Peak is the kernel's high-water mark (VmHWM) of the process, also sampled every 0.2 s per round.
# With DLL_B or ENV_B (as in bench/ab.sh) a second variant runs beside the first and the rounds
# alternate (BENCH_ROUNDS, default 1); each round prints requests/s, p50, p99 and the API's CPU per request.
BENCH_PROVIDER=${BENCH_PROVIDER:-PostgreSQL}
BENCH_DURATION=${BENCH_DURATION:-60s}
source "$(dirname "$0")/lib.sh"
given_db=${BENCH_PG:-}
CS=$(connection_string)
[ -n "${DLL_A:-}${DLL_B:-}" ] || build_release
if [ -z "$given_db" ] && [ -z "${BENCH_SKIP_SEED:-}" ]; then
  CS="$CS" bash "$root/bench/seed.sh" "${BENCH_PATIENTS:-100000}" "${BENCH_APPOINTMENTS:-300000}" "${BENCH_TREATMENTS:-500000}"
fi

IFS=$'\n' read -r -d '' -a env_a <<<"${ENV_A:-}" || true
IFS=$'\n' read -r -d '' -a env_b <<<"${ENV_B:-}" || true
names=(A); bases=(); pids=()
start_server "${DLL_A:-$dll}" "${env_a[@]}"; bases+=("$BASE"); pids+=("$SERVER_PID")
if [ -n "${DLL_B:-}${ENV_B:-}" ]; then
  names+=(B); start_server "${DLL_B:-$dll}" "${env_b[@]}"; bases+=("$BASE"); pids+=("$SERVER_PID")
fi
BASE=${bases[0]}

# kB of VmRSS or VmHWM of a process (the dotnet host's own pid: `dotnet DentalClinic.dll` execs no child).
mem_kb() { awk -v k="$2:" '$1==k {print $2}' "/proc/$1/status"; }
mb() { awk -v kb="$1" 'BEGIN {printf "%.0f MB", kb/1024}'; }
sleep "${BENCH_IDLE_WAIT:-5}"
for i in "${!names[@]}"; do echo "${names[$i]} idle: RSS $(mb "$(mem_kb "${pids[$i]}" VmRSS)")"; done

TOKEN=$(login_token)
auth=(-H "authorization: Bearer $TOKEN")
ids=$(curl -sf "${auth[@]}" "$BASE/api/patients?limit=100" | python3 -c 'import json,sys; print(",".join("/api/patients/"+p["id"] for p in json.load(sys.stdin)["data"]))')
days=$(python3 -c 'import datetime; t=datetime.date.today(); print(",".join("/api/appointments/by-date/"+(t-datetime.timedelta(days=d)).isoformat() for d in range(0,200,7)))')
weeks=$(python3 -c 'import datetime; t=datetime.date.today(); print(",".join("/api/appointments/calendar?from=%s&to=%s" % (t-datetime.timedelta(days=d), t-datetime.timedelta(days=d-6)) for d in range(0,200,28)))')
lists=$(python3 -c 'import datetime; t=datetime.date.today(); print(",".join("/api/appointments?from=%s&to=%s&limit=50" % (t-datetime.timedelta(days=d), t-datetime.timedelta(days=d)) for d in range(0,200,14)))')
search="/api/patients?search=joh,/api/patients?search=garc,/api/patients?search=m%C3%BCller,/api/patients?search=li%20wang,/api/patients?search=mary%20smith,/api/patients?search=emma%20412,/api/patients?search=olivia.taylor,/api/patients?search=4152301234,/api/patients?search=617-232,/api/patients?search=2302"
paths="$ids,$search,$days,$weeks,$lists"
patient_id=${ids%%,*}; patient_id=${patient_id##*/}
type_id=$(curl -sf "${auth[@]}" "$BASE/api/appointment-types" | python3 -c 'import json,sys; print(min(json.load(sys.stdin), key=lambda t: t["duration"])["id"])')

echo "mixed load: $BENCH_CONNECTIONS connections, $BENCH_DURATION per run, $(tr , '\n' <<<"$paths" | wc -l) paths and a booking in every 10 requests"
for round in $(seq 1 "${BENCH_ROUNDS:-1}"); do
  for i in "${!names[@]}"; do
    pid=${pids[$i]}
    ( peak=0; while kill -0 "$pid" 2>/dev/null; do r=$(mem_kb "$pid" VmRSS); (( r > peak )) && peak=$r && echo "$peak" >"$work/peak-$pid"; sleep 0.2; done ) &
    sampler=$!
    ticks_before=$(awk '{print $14+$15}' "/proc/$pid/stat")
    out=$(PATHS="$paths" TOKEN="$TOKEN" PATIENT="$patient_id" TYPE="$type_id" BOOK_EVERY=10 \
      wrk -t2 -c"$BENCH_CONNECTIONS" -d"$BENCH_DURATION" --latency -s "$root/bench/wrk/mix.lua" "${bases[$i]}")
    ticks_after=$(awk '{print $14+$15}' "/proc/$pid/stat")
    kill "$sampler"; wait "$sampler" 2>/dev/null || true
    python3 - "[$round] ${names[$i]}" "$out" "${BENCH_DURATION%s}" "$(getconf CLK_TCK)" "$ticks_before" "$ticks_after" \
      "$(cat "$work/peak-$pid")" "$(mem_kb "$pid" VmHWM)" <<'PY'
import re, sys
name, out, seconds, hz, before, after, peak, hwm = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
pct = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
cpu = (after - before) / hz / (rps * seconds) * 1e6
print(f"{name}  {rps:8.1f} req/s   p50 {pct['50']:>8}   p99 {pct['99']:>8}   non-2xx {errors.group(1) if errors else 0}"
      f"   API cpu {cpu:4.0f} µs/request   RSS peak {peak / 1024:4.0f} MB (VmHWM {hwm / 1024:.0f} MB)")
PY
  done
done
sleep "${BENCH_IDLE_WAIT:-5}"
for i in "${!names[@]}"; do echo "${names[$i]} after the load: RSS $(mb "$(mem_kb "${pids[$i]}" VmRSS)"), peak (VmHWM) $(mb "$(mem_kb "${pids[$i]}" VmHWM)")"; done
