#!/usr/bin/env bash
# Compares two variants of the API on the same, already seeded database: both servers run at once and
# wrk alternates between them, round after round, so both see the same moments of a noisy host (the
# 2-core bench machine moved ±20 % in requests/s within minutes for one unchanged build).
#   BENCH_PG="Host=…;Database=…" bench/ab.sh [by-date|search|phone|words|by-id|book]
# A variant is this checkout's Release build unless DLL_A / DLL_B name another build, plus settings in
# ENV_A / ENV_B (NAME=VALUE, one per line), e.g. ENV_B=DOTNET_GCDynamicAdaptationMode=0 or
# ENV_B="ConnectionStrings__Default=Host=…;Maximum Pool Size=6". Prints, per round and variant:
# requests/s, p50, p99, and CPU per request of the whole machine and of the API process alone. BENCH_ROUNDS (4), BENCH_DURATION (8s), BENCH_WARMUP (10s; 40s for book).
BENCH_PROVIDER=${BENCH_PROVIDER:-PostgreSQL}
BENCH_DURATION=${BENCH_DURATION:-8s}
source "$(dirname "$0")/lib.sh"
CS=$(connection_string)
[ -n "${DLL_A:-}${DLL_B:-}" ] || build_release

IFS=$'\n' read -r -d '' -a env_a <<<"${ENV_A:-}" || true
IFS=$'\n' read -r -d '' -a env_b <<<"${ENV_B:-}" || true
start_server "${DLL_A:-$dll}" "${env_a[@]}"; base_a=$BASE; pid_a=$SERVER_PID
start_server "${DLL_B:-$dll}" "${env_b[@]}"; base_b=$BASE; pid_b=$SERVER_PID
# A token from each server: with ENV_B naming another database, A's token is unknown to B.
TOKEN=$(login_token); token_b=$TOKEN
BASE=$base_a; token_a=$(login_token); BASE=$base_b
auth=(-H "authorization: Bearer $TOKEN")
script="$root/bench/wrk/get.lua"
# BENCH_PATHS (comma-separated) replaces the endpoint's paths, e.g. one search on its own.
case "${BENCH_PATHS:+custom}${BENCH_PATHS:-${1:-by-date}}" in
  custom*) paths=$BENCH_PATHS ;;
  by-date) paths=$(python3 -c 'import datetime; t=datetime.date.today(); print(",".join("/api/appointments/by-date/"+(t-datetime.timedelta(days=d)).isoformat() for d in range(0,200,7)))') ;;
  search) paths="/api/patients?search=joh,/api/patients?search=garc,/api/patients?search=m%C3%BCller,/api/patients?search=menard,/api/patients?search=li%20wang,/api/patients?search=2302,/api/patients?search=415%20231,/api/patients?search=zoe" ;;
  # The front desk's phone lookups: 4 to 11 digits, typed with spaces, dashes or brackets (seeded numbers: bench/seed.sh).
  phone) paths="/api/patients?search=4152301234,/api/patients?search=(212)%20231-0001,/api/patients?search=617-232,/api/patients?search=2330,/api/patients?search=%2B1%20312%20234%205678,/api/patients?search=5122355" ;;
  words) paths="/api/patients?search=li%20wang,/api/patients?search=mary%20smith,/api/patients?search=garcia%20jose,/api/patients?search=emma%20412,/api/patients?search=olivia.taylor,/api/patients?search=ngu%20lia" ;;
  # Bookings on random far-future dates (bench/wrk/book.lua), as clinic.sh's "POST /api/appointments"
  # (the patient and type are B's: both servers on one database).
  book) script="$root/bench/wrk/book.lua"; paths=""
        export PATIENT TYPE
        PATIENT=$(curl -sf "${auth[@]}" "$BASE/api/patients?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["id"])')
        TYPE=$(curl -sf "${auth[@]}" "$BASE/api/appointment-types" | python3 -c 'import json,sys; print(min(json.load(sys.stdin), key=lambda t: t["duration"])["id"])') ;;
  by-id) paths=$(curl -sf "${auth[@]}" "$BASE/api/patients?limit=100" | python3 -c 'import json,sys; print(",".join("/api/patients/"+p["id"] for p in json.load(sys.stdin)["data"]))') ;;
  *) echo "unknown endpoint '$1': by-date, search, phone, words, by-id or book" >&2; exit 2 ;;
esac

busy_ticks() { awk '/^cpu / {print $2+$3+$4+$7+$8}' /proc/stat; }
# CPU ticks (user + system) of one process: the API's own share, which a noisy host disturbs far less than p99.
process_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
measure() {
  local name=$1 url=$2 pid=$3 token=$4 before after api_before api_after out
  before=$(busy_ticks); api_before=$(process_ticks "$pid")
  out=$(PATHS="$paths" TOKEN="$token" wrk -t2 -c"$BENCH_CONNECTIONS" -d"$BENCH_DURATION" --latency -s "$script" "$url")
  after=$(busy_ticks); api_after=$(process_ticks "$pid")
  python3 - "$name" "$out" "$before" "$after" "${BENCH_DURATION%s}" "$(getconf CLK_TCK)" "$api_before" "$api_after" <<'PY'
import re, sys
name, out, before, after, seconds, hz, api_before, api_after = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
pct = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
per = lambda ticks: ticks / hz / (rps * seconds) * 1e6
errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
print(f"{name}  {rps:9.1f} req/s   p50 {pct['50']:>8}   p99 {pct['99']:>8}   cpu {per(after - before):6.0f} µs/request (API {per(api_after - api_before):5.0f})"
      + (f"   non-2xx {errors.group(1)}" if errors else ""))
PY
}

# Warm-up, thrown away (BENCH_WARMUP): 10 s, but 40 s for bookings, whose path the tiered JIT was still
# compiling after 10 s (a quarter of the API's CPU at 35 s; the first round ran at half the later rate).
[ "${1:-}" = book ] && warmup=${BENCH_WARMUP:-40s} || warmup=${BENCH_WARMUP:-10s}
for server in "$base_a $token_a" "$base_b $token_b"; do
  read -r url token <<<"$server"
  PATHS="$paths" TOKEN="$token" wrk -t2 -c"$BENCH_CONNECTIONS" -d"$warmup" -s "$script" "$url" >/dev/null
done
echo "${1:-by-date}: $BENCH_CONNECTIONS connections, $BENCH_DURATION per run"
for round in $(seq 1 "${BENCH_ROUNDS:-4}"); do
  measure "[$round] A" "$base_a" "$pid_a" "$token_a"
  measure "[$round] B" "$base_b" "$pid_b" "$token_b"
done
