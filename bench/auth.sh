#!/usr/bin/env bash
# Login (real bcrypt, default cost) and GET /api/auth/me under wrk on loopback.
#   bench/auth.sh                                   SQLite
#   BENCH_PROVIDER=PostgreSQL bench/auth.sh         a throwaway PostgreSQL (or BENCH_PG)
source "$(dirname "$0")/lib.sh"
CS=$(connection_string)
build_release
start_server
TOKEN=$(login_token)
echo "provider $BENCH_PROVIDER, $BENCH_CONNECTIONS connections, $BENCH_DURATION each"
# /me first: bcrypt-bound logins that wrk gives up on keep the server busy for a while after it stops.
run_wrk "GET /api/auth/me" "$root/bench/wrk/get.lua" TOKEN="$TOKEN" PATHS=/api/auth/me
run_wrk "POST /api/auth/login" "$root/bench/wrk/login.lua" EMAIL=$ADMIN_EMAIL PASSWORD=$ADMIN_PASSWORD
