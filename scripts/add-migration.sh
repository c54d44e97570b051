#!/usr/bin/env bash
# Adds a migration with the same name for both providers: scripts/add-migration.sh AddPatients
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/add-migration.sh MigrationName}
dotnet tool restore >/dev/null
dotnet build DentalClinic -v q -nologo >/dev/null
dotnet ef migrations add "$name" --no-build --project DentalClinic --context SqliteAppDbContext -o Migrations/Sqlite
dotnet ef migrations add "$name" --no-build --project DentalClinic --context PostgresAppDbContext -o Migrations/Postgres
