#!/usr/bin/env bash
# Fills a database with a large clinic through the seed-demo operator command.
#   BENCH_PG="Host=…;Database=…" bench/seed.sh [PATIENTS APPOINTMENTS TREATMENTS]
# Defaults: 100,000 patients, 300,000 appointments, 500,000 treatments. bench/clinic.sh calls it.
BENCH_PROVIDER=${BENCH_PROVIDER:-PostgreSQL}
source "$(dirname "$0")/lib.sh"
: "${CS:=$(connection_string)}"
build_release
started=$(date +%s)
( cd "$work" && app_env dotnet "$dll" seed-demo --patients "${1:-100000}" --appointments "${2:-300000}" --treatments "${3:-500000}" ) \
  | awk 'NR % 25 == 1 || /Done|Seeding|time /'
echo "seeded in $(( $(date +%s) - started )) s"
