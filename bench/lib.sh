# Shared by the bench scripts: build, start the API in Release on loopback, run wrk, report.
# Not a test: it prints numbers. Provider: BENCH_PROVIDER=Sqlite (default) or PostgreSQL — with
# BENCH_PG="Host=127.0.0.1;Port=5432;Username=postgres;Database=dentalclinic_bench;SSL Mode=Disable" (TLS
# costs CPU and buys nothing on loopback; Debian's cluster offers it), or, without it,
# a throwaway PostgreSQL cluster (tools/postgres.sh) that lives as long as the script.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d /tmp/dentalclinic-bench-XXXXXX)
BENCH_PROVIDER=${BENCH_PROVIDER:-Sqlite}
BENCH_DURATION=${BENCH_DURATION:-15s}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-32}
ADMIN_EMAIL=bench-admin@clinic.test
ADMIN_PASSWORD=Bench-password-1
dll="$root/DentalClinic/bin/Release/net10.0/DentalClinic.dll"

log() { printf '==> %s\n' "$*" >&2; }
cleanups=("rm -rf '$work'")
trap 'for ((i=${#cleanups[@]}-1; i>=0; i--)); do eval "${cleanups[i]}" || true; done' EXIT
source "$root/tools/postgres.sh"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

# The API's pool holds at most BENCH_PG_POOL (default 4) PostgreSQL connections, unless BENCH_PG sets
# "Maximum Pool Size" itself: on 2 cores, 32 queries at once in 32 backends only queue on the CPU
# (p99 by date ~130 ms with Npgsql's default of 100, ~32 ms with 4). See README, "PostgreSQL connections".
connection_string() {
  if [ "$BENCH_PROVIDER" = PostgreSQL ]; then
    if [ -z "${BENCH_PG:-}" ]; then
      start_postgres
      BENCH_PG="${TEST_PG_CONNECTION/Database=postgres/Database=dentalclinic_bench}"
    fi
    case "$BENCH_PG" in
      *"Maximum Pool Size"*) echo "$BENCH_PG" ;;
      *) echo "$BENCH_PG;Maximum Pool Size=${BENCH_PG_POOL:-4}" ;;
    esac
  else
    echo "Data Source=$work/bench.db"
  fi
}

# The app's settings for every bench process (server and operator commands).
app_env_vars() {
  printf '%s\n' ASPNETCORE_ENVIRONMENT=Production "Database__Provider=$BENCH_PROVIDER" "ConnectionStrings__Default=$CS" \
    Jwt__SigningKey=bench-signing-key-0123456789-0123456789-0123456789 \
    "Bootstrap__AdminEmail=$ADMIN_EMAIL" "Bootstrap__AdminPassword=$ADMIN_PASSWORD" \
    RateLimits__PerUserPerMinute=100000000 RateLimits__LoginPerIpPerMinute=100000000 \
    "Logging__LogLevel__Default=${Logging__LogLevel__Default:-Warning}" "Files__Local__Root=$work/files" Jobs__Enabled=false
}
app_env() { local IFS=$'\n'; env $(app_env_vars) "$@"; }

build_release() { dotnet build "$root/DentalClinic" -c Release -nologo -v q -clp:ErrorsOnly >&2; }

# start_server [DLL [NAME=VALUE...]]: the API (this checkout's Release build unless DLL is given, with
# extra settings or DOTNET_ variables last, so they win) on a free port; sets BASE and SERVER_PID.
# Call it from the script's own shell, not $(…), or its stop is not registered.
start_server() {
  local app_dll=${1:-$dll}; shift || true
  local port; port=$(free_port)
  BASE="http://127.0.0.1:$port"
  ( cd "$work"; IFS=$'\n'; exec env $(app_env_vars) "$@" dotnet "$app_dll" --urls "$BASE" ) >"$work/server-$port.log" 2>&1 &
  SERVER_PID=$!
  cleanups+=("kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null")
  for _ in $(seq 1 240); do curl -sf "$BASE/health/ready" >/dev/null && return 0; sleep 0.5; done
  cat "$work/server-$port.log" >&2; echo "server did not start" >&2; exit 1
}

login_token() {
  curl -sf "$BASE/api/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])'
}

# run_wrk NAME LUA_SCRIPT [ENV=VALUE...]: prints "NAME  requests/s  p99  non-2xx".
# A first pass of BENCH_WARMUP (default 10s) is thrown away: tiered JIT and the database's
# caches settle during it (the first cold pass measured half the rate).
run_wrk() {
  local name=$1 script=$2; shift 2
  env "$@" wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_WARMUP:-10s}" -s "$script" "$BASE" >/dev/null
  local ticks_before; ticks_before=$(awk '{print $14+$15}' "/proc/$SERVER_PID/stat")
  local out; out=$(env "$@" wrk -t2 -c"$BENCH_CONNECTIONS" -d"$BENCH_DURATION" --latency -s "$script" "$BASE")
  local ticks_after; ticks_after=$(awk '{print $14+$15}' "/proc/$SERVER_PID/stat")
  local rps p99 errors api_cpu
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$out")
  # The API process's own CPU per request (user + system): far less disturbed by a noisy host than p99.
  api_cpu=$(python3 -c "print(round(($ticks_after - $ticks_before) / $(getconf CLK_TCK) / ($rps * ${BENCH_DURATION%s}) * 1e6))")
  printf '%-34s %10s req/s   p99 %8s   API cpu %5s µs/request   non-2xx %s\n' "$name" "$rps" "$p99" "$api_cpu" "${errors:-0}"
}

# The bench database as libpq parameters (psql, pgbench), from the Npgsql connection string CS.
libpq_connection() {
  python3 - "$CS" <<'PY'
import sys
parts = dict(p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)
keys = {"host": "host", "port": "port", "username": "user", "database": "dbname", "password": "password"}
print(" ".join(f"{keys[k.lower()]}={v}" for k, v in parts.items() if k.lower() in keys))
PY
}

# run_pgbench NAME SQL [MODE]: the same number of clients straight on PostgreSQL, a ceiling to hold
# the API against; prints "NAME  transactions/s  p99". PostgreSQL only. SQL may use :i, a random
# number in [0, BENCH_PGBENCH_RANGE) (default 100000). MODE is pgbench's protocol: prepared (the
# default: planned once per connection) or extended (planned every time, as the API's statements are).
run_pgbench() {
  local name=$1 sql=$2 mode=${3:-prepared} script="$work/pgbench-$RANDOM.sql" log="$work/pgbench-log-$RANDOM"
  printf '\\set i random(0, %s)\n%s;\n' "$(( ${BENCH_PGBENCH_RANGE:-100000} - 1 ))" "$sql" >"$script"
  local conn; conn=$(libpq_connection)
  pgbench -n -M "$mode" -c "$BENCH_CONNECTIONS" -j 2 -T "${BENCH_WARMUP:-10s}" -f "$script" "$conn" >/dev/null 2>&1 || true
  mkdir -p "$log"
  local out; out=$(cd "$log" && pgbench -n -M "$mode" -c "$BENCH_CONNECTIONS" -j 2 -T "${BENCH_DURATION%s}" -l -f "$script" "$conn" 2>&1)
  local tps p99
  tps=$(awk '/^tps/ {print $3; exit}' <<<"$out")
  p99=$(cat "$log"/pgbench_log.* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {printf "%.2fms", a[int(NR*0.99)]/1000}')
  printf '%-34s %10s tx/s    p99 %8s\n' "$name" "$tps" "$p99"
}
