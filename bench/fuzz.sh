#!/usr/bin/env bash
# The OpenAPI-driven fuzzer (DentalClinic.Tests/Hardening/FuzzTests.cs) at full length: by default
# 10,000 requests per provider (PostgreSQL and SQLite) with seed 13, through ./test.sh (which starts
# PostgreSQL and what else the application needs). It ends with 0 × 5xx and every error in the
# envelope, or fails listing the first requests that did not; the statuses seen are printed per provider.
#   bench/fuzz.sh                          10,000 per provider, seed 13
#   FUZZ_REQUESTS=50000 FUZZ_SEED=7 bench/fuzz.sh
set -uo pipefail
cd "$(dirname "$0")/.."
export FUZZ_REQUESTS=${FUZZ_REQUESTS:-10000} FUZZ_SEED=${FUZZ_SEED:-13}
start=$(date +%s)
./test.sh --filter "FullyQualifiedName~Hardening.FuzzTests" --logger "console;verbosity=detailed" 2>&1 \
  | grep -E "requests \(seed|passed, |failed|Failed|→" 
rc=${PIPESTATUS[0]}
echo "fuzz: $FUZZ_REQUESTS requests per provider, seed $FUZZ_SEED, $(( $(date +%s) - start )) s in all (build included)"
exit "$rc"
