#!/usr/bin/env bash
# The whole test suite, on PostgreSQL and SQLite, with line coverage:  ./test.sh
#
# Provisions what the tests need when missing: Debian's postgresql (installed with apt when absent)
# and a throwaway cluster on a free loopback port, unless TEST_PG_CONNECTION names a server; and
# s3rver (npm, into .test-runtime/) on a free loopback port, unless TEST_S3_ENDPOINT names a server;
# Debian's chromium (apt) for the web app's browser tests.
# Extra arguments go to `dotnet test` (for example: ./test.sh --filter Auth).
# Ends with one line "N passed, N failed[, N skipped]"; exits non-zero on any failure
# or when line coverage is under COVERAGE_MIN (default 80).
set -uo pipefail
cd "$(dirname "$0")"
root=$PWD
runtime="$root/.test-runtime"
results="$runtime/results"
coverage_min=${COVERAGE_MIN:-80}
rm -rf "$results"; mkdir -p "$runtime" "$results"

log() { printf '==> %s\n' "$*" >&2; }
cleanup() { for f in "${cleanups[@]}"; do eval "$f" || true; done; }
cleanups=(); trap cleanup EXIT

# --- PostgreSQL -------------------------------------------------------------------------------
source "$root/tools/postgres.sh"
if [ -z "${TEST_PG_CONNECTION:-}" ]; then start_postgres; else log "PostgreSQL from TEST_PG_CONNECTION"; fi

# --- SMTP sink (Debian's python3-aiosmtpd) ------------------------------------------------------
start_smtp_sink() {
  if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
    log "installing python3-aiosmtpd (apt)"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq python3-aiosmtpd >/dev/null; } || { echo "could not install python3-aiosmtpd" >&2; exit 1; }
  fi
  local port; port=$(free_port)
  export TEST_SMTP_PORT=$port TEST_SMTP_DIR="$runtime/smtp"
  rm -rf "$TEST_SMTP_DIR"
  /usr/bin/python3 "$root/tools/smtp_sink.py" "$port" "$TEST_SMTP_DIR" >"$runtime/smtp.log" 2>&1 &
  cleanups+=("kill $! 2>/dev/null")
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { log "SMTP sink on 127.0.0.1:$port"; return; }; sleep 0.1; done
  cat "$runtime/smtp.log" >&2; echo "SMTP sink did not start" >&2; exit 1
}
start_smtp_sink

# --- S3 (s3rver) for the S3 file-store tests -------------------------------------------------
# npm s3rver 3.7.1, installed once into .test-runtime/s3rver, on a free loopback port with a
# throwaway data directory. Without TEST_S3_ENDPOINT the S3 tests fail; they never skip.
start_s3rver() {
  local dir="$runtime/s3rver"
  if [ ! -f "$dir/node_modules/s3rver/package.json" ]; then
    log "installing s3rver 3.7.1 (npm)"
    mkdir -p "$dir" && echo '{"private": true}' >"$dir/package.json"
    npm install --prefix "$dir" --no-audit --no-fund --silent s3rver@3.7.1 >/dev/null 2>&1 \
      || { echo "could not install s3rver (npm)" >&2; exit 1; }
  fi
  local port data pid
  port=$(free_port)
  data=$(mktemp -d /tmp/dentalclinic-s3-XXXXXX)
  node "$dir/node_modules/s3rver/bin/s3rver.js" -a 127.0.0.1 -p "$port" -d "$data/objects" --silent >"$data/s3rver.log" 2>&1 &
  pid=$!
  cleanups+=("kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf '$data'")
  for _ in $(seq 1 100); do
    python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$port)))" && break
    sleep 0.1
  done
  python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$port)))" \
    || { cat "$data/s3rver.log" >&2; echo "s3rver did not start" >&2; exit 1; }
  export TEST_S3_ENDPOINT="http://127.0.0.1:$port"
  log "s3rver 3.7.1 on 127.0.0.1:$port"
}

if [ -z "${TEST_S3_ENDPOINT:-}" ]; then start_s3rver; else log "S3 from TEST_S3_ENDPOINT"; fi
# --- end of S3 ---------------------------------------------------------------------------------

# --- .NET suite -------------------------------------------------------------------------------
log "building"
dotnet tool restore >/dev/null
dotnet build DentalClinic.sln -nologo -v q -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

log "running the NUnit suite (PostgreSQL and SQLite)"
dotnet test DentalClinic.Tests --no-build -nologo -v q \
  --settings DentalClinic.Tests/coverage.runsettings --collect:"XPlat Code Coverage" \
  --logger "trx;LogFileName=dotnet.trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" "$@"
dotnet_rc=$?

# --- The API document's lint: spectral:oas + OWASP, tools/spectral.yaml, no error allowed -------------
# npm @stoplight/spectral-cli 6.16.3 and @stoplight/spectral-owasp-ruleset 2.0.1, installed once into
# .test-runtime/spectral. Full runs only (SKIP_SPECTRAL=1 leaves it out).
spectral_rc=
run_spectral() {
  local dir="$runtime/spectral"
  if [ ! -x "$dir/node_modules/.bin/spectral" ] || [ ! -f "$dir/node_modules/@stoplight/spectral-owasp-ruleset/package.json" ]; then
    log "installing @stoplight/spectral-cli 6.16.3 and @stoplight/spectral-owasp-ruleset 2.0.1 (npm)"
    mkdir -p "$dir" && echo '{"private": true}' >"$dir/package.json"
    npm install --prefix "$dir" --no-audit --no-fund --silent \
      @stoplight/spectral-cli@6.16.3 @stoplight/spectral-owasp-ruleset@2.0.1 >/dev/null 2>&1 \
      || { echo "could not install spectral (npm)" >&2; return 1; }
  fi
  cp "$root/tools/spectral.yaml" "$dir/.spectral.yaml"   # beside node_modules, where the ruleset resolves its extends
  cp "$root/frontend/openapi/openapi.json" "$dir/openapi.json"   # beside the ruleset, whose overrides name it openapi.json
  log "spectral lint frontend/openapi/openapi.json (tools/spectral.yaml)"
  (cd "$dir" && node_modules/.bin/spectral lint openapi.json -r .spectral.yaml \
     --fail-severity error --display-only-failures -f text)
}
if [ $# -eq 0 ] && [ -z "${SKIP_SPECTRAL:-}" ]; then run_spectral && spectral_rc=0 || spectral_rc=1; fi
export SPECTRAL_RC=$spectral_rc

# --- Frontend: the web app built (types, lint, size), the client and stores (vitest), the browser tests --
frontend_rc=0

# Starts the built API (serving the built web app) on a free loopback port over a fresh SQLite
# database: start_api NAME [VAR=value …]; sets api_url.
start_api() {
  local name=$1; shift
  local port dir pid
  port=$(free_port); dir="$runtime/$name"; rm -rf "$dir"; mkdir -p "$dir"
  ( cd "$dir" && exec env ASPNETCORE_ENVIRONMENT=Production Database__Provider=Sqlite \
      ConnectionStrings__Default="Data Source=$dir/app.db" Files__Local__Root="$dir/files" \
      Jwt__SigningKey=frontend-test-signing-key-0123456789-0123456789 \
      Bootstrap__AdminEmail=admin@clinic.test Bootstrap__AdminPassword=Admin-password-1 \
      Auth__BcryptWorkFactor=4 RateLimits__PerUserPerMinute=100000 RateLimits__LoginPerIpPerMinute=100000 \
      RateLimits__MedicalHistoryPerIpPerMinute=100000 \
      WebApp__Root="$root/frontend/out" WebApp__BuildOnStart=false Logging__LogLevel__Default=Warning "$@" \
      dotnet "$root/DentalClinic/bin/Debug/net10.0/DentalClinic.dll" --urls "http://127.0.0.1:$port" >"$dir/api.log" 2>&1 ) &
  pid=$!
  api_pid=$pid
  cleanups+=("kill $pid 2>/dev/null")
  api_url="http://127.0.0.1:$port"
  for _ in $(seq 1 120); do curl -sf "$api_url/health/ready" >/dev/null && return 0; sleep 0.5; done
  cat "$dir/api.log" >&2; return 1
}

# Debian's Chromium for the browser tests (apt, when missing).
ensure_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  log "installing chromium (apt)"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || { echo "could not install chromium" >&2; return 1; }
}

run_frontend() {
  log "frontend: npm ci, generated types, next build (types, lint), first-load sizes, tsc"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || return 1
  # The build above rewrote frontend/openapi/openapi.json; the committed types must match it.
  (cd frontend && node scripts/generate.mjs --check --skip-build) || return 1
  (cd frontend && NEXT_TELEMETRY_DISABLED=1 npx next build >"$runtime/next-build.log" 2>&1) \
    || { cat "$runtime/next-build.log" >&2; return 1; }
  sed -n '/^Route (app)/,/^$/p' "$runtime/next-build.log" >&2
  (cd frontend && node scripts/first-load.mjs) || return 1
  (cd frontend && npx tsc --noEmit) || return 1

  log "frontend: vitest against the real API"
  start_api frontend-api Jwt__AccessTokenLifetime=00:00:05 Jwt__ClockSkew=00:00:00 || return 1
  (cd frontend && NEXT_PUBLIC_API_URL="$api_url" TEST_ACCESS_TOKEN_SECONDS=5 \
     npx vitest run --reporter=default --reporter=json --outputFile="$results/vitest.json") || vitest_rc=1
  kill "$api_pid" 2>/dev/null; wait "$api_pid" 2>/dev/null

  log "frontend: browser tests (Chromium, axe) against the API serving the app"
  ensure_chromium || return 1
  rm -rf frontend/test-results
  # E-mail to the SMTP sink: the forgotten-password test reads the link from TEST_SMTP_DIR.
  start_api e2e-api Email__From=clinic@clinic.test Email__Smtp__Host=127.0.0.1 Email__Smtp__Port="$TEST_SMTP_PORT" \
    Email__Smtp__Security=None || return 1
  (cd frontend && E2E_BASE_URL="$api_url" node e2e/run.mjs) || e2e_rc=1
  cp frontend/test-results/e2e.json "$results/e2e.json" 2>/dev/null
  kill "$api_pid" 2>/dev/null; wait "$api_pid" 2>/dev/null
  log "screenshots of each browser test's last screen: frontend/test-results/"
  return $(( ${vitest_rc:-0} + ${e2e_rc:-0} ))
}
# A filtered run (extra arguments) or SKIP_FRONTEND=1 leaves the frontend out.
if [ $# -eq 0 ] && [ -z "${SKIP_FRONTEND:-}" ]; then run_frontend || frontend_rc=1; else export SKIP_FRONTEND=1; fi

# --- Summary ----------------------------------------------------------------------------------
# A filtered run (extra arguments) reports coverage but does not enforce the minimum.
[ $# -gt 0 ] && coverage_min=0
python3 - "$results" "$coverage_min" "$dotnet_rc" "$frontend_rc" <<'PY'
import glob, json, os, sys, xml.etree.ElementTree as ET
results, minimum, rc, frontend_rc = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
passed = failed = skipped = 0
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
trx = glob.glob(f"{results}/**/*.trx", recursive=True)
for f in trx:
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed")); failed += int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout")) + int(c.get("aborted"))
    skipped += int(c.get("notExecuted")) + int(c.get("inconclusive"))
if not trx or (rc != 0 and failed == 0):
    failed += 1  # the run itself failed (crash, build error): never report green
vitest, e2e = os.path.join(results, "vitest.json"), os.path.join(results, "e2e.json")
if os.path.exists(vitest):
    frontend_failed = 0
    v = json.load(open(vitest))
    passed += v["numPassedTests"]; frontend_failed += v["numFailedTests"]; skipped += v["numPendingTests"] + v.get("numTodoTests", 0)
    if os.path.exists(e2e):  # the browser tests
        v = json.load(open(e2e))
        passed += v["passed"]; frontend_failed += v["failed"]
    failed += frontend_failed
    if frontend_rc and frontend_failed == 0: failed += 1  # a step without a test count failed (build, browser)
elif frontend_rc or not os.environ.get("SKIP_FRONTEND"):
    failed += 1  # the frontend checks failed before vitest could report
spectral = os.environ.get("SPECTRAL_RC", "")
if spectral == "0": passed += 1
elif spectral: failed += 1; print("spectral lint of the API document failed")
ok = failed == 0
reports = glob.glob(f"{results}/**/coverage.cobertura.xml", recursive=True)
if reports:
    covered = total = 0
    for r in reports:
        root = ET.parse(r).getroot()
        covered += int(root.get("lines-covered")); total += int(root.get("lines-valid"))
    pct = 100.0 * covered / max(total, 1)
    print(f"line coverage: {pct:.1f}% ({covered}/{total} lines, minimum {minimum:.0f}%)")
    if pct < minimum:
        print(f"coverage {pct:.1f}% is under the {minimum:.0f}% minimum"); ok = False
else:
    print("no coverage report was produced"); ok = False
line = f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else "")
print(line)
sys.exit(0 if ok else 1)
PY
