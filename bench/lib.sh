# Shared by the bench scripts: build, start the API in Release on loopback, run wrk, report.
# Not a test: it prints numbers. Provider: BENCH_PROVIDER=Sqlite (default) or PostgreSQL with
# BENCH_PG="Host=127.0.0.1;Port=5432;Username=postgres;Database=dentalclinic_bench".
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d /tmp/dentalclinic-bench-XXXXXX)
BENCH_PROVIDER=${BENCH_PROVIDER:-Sqlite}
BENCH_DURATION=${BENCH_DURATION:-15s}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-32}
ADMIN_EMAIL=bench-admin@clinic.test
ADMIN_PASSWORD=Bench-password-1
server_pid=

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap stop_server EXIT

start_server() {
  dotnet build "$root/DentalClinic" -c Release -nologo -v q -clp:ErrorsOnly >&2
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  BASE="http://127.0.0.1:$port"
  local cs="Data Source=$work/bench.db"
  [ "$BENCH_PROVIDER" = PostgreSQL ] && cs=${BENCH_PG:?set BENCH_PG to a PostgreSQL connection string}
  ( cd "$work" && ASPNETCORE_ENVIRONMENT=Production \
    Database__Provider=$BENCH_PROVIDER ConnectionStrings__Default="$cs" \
    Jwt__SigningKey=bench-signing-key-0123456789-0123456789-0123456789 \
    Bootstrap__AdminEmail=$ADMIN_EMAIL Bootstrap__AdminPassword=$ADMIN_PASSWORD \
    RateLimits__PerUserPerMinute=100000000 RateLimits__LoginPerIpPerMinute=100000000 \
    Logging__LogLevel__Default=Warning \
    dotnet "$root/DentalClinic/bin/Release/net10.0/DentalClinic.dll" --urls "$BASE" >"$work/server.log" 2>&1 ) &
  server_pid=$!
  for _ in $(seq 1 120); do curl -sf "$BASE/health/ready" >/dev/null && return 0; sleep 0.5; done
  cat "$work/server.log" >&2; echo "server did not start" >&2; exit 1
}

login_token() {
  curl -sf "$BASE/api/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])'
}

# run_wrk NAME LUA_SCRIPT [ENV=VALUE...]: prints "NAME  requests/s  p99"
run_wrk() {
  local name=$1 script=$2; shift 2
  local out; out=$(env "$@" wrk -t2 -c"$BENCH_CONNECTIONS" -d"$BENCH_DURATION" --latency -s "$script" "$BASE")
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$out")
  printf '%-24s %10s req/s   p99 %8s   non-2xx %s\n' "$name" "$rps" "$p99" "${errors:-0}"
}
