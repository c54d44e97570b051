# Sourced by test.sh and bench/: start_postgres installs Debian's postgresql when missing, starts a
# throwaway cluster on a free loopback port (fast, unsafe settings: fsync off), creates the two
# roles the application runs with (see README, "PostgreSQL roles": dentalclinic_owner runs the
# migrations and owns the schema, dentalclinic_app is what the API connects as), exports
# TEST_PG_CONNECTION (the superuser) and registers its stop in the caller's `cleanups` array.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

start_postgres() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    log "installing PostgreSQL (apt)"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; } || { echo "could not install postgresql" >&2; exit 1; }
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  fi
  local port dir
  port=$(free_port)
  dir=$(mktemp -d /tmp/dentalclinic-pg-XXXXXX)
  local run=()
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; run=(runuser -u postgres --); fi
  "${run[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=1000" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  cleanups+=("${run[*]} '$bindir/pg_ctl' -D '$dir/data' -m immediate stop >/dev/null 2>&1; rm -rf '$dir'")
  "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || exit 1
CREATE ROLE dentalclinic_owner LOGIN PASSWORD 'dentalclinic-test';
CREATE ROLE dentalclinic_app LOGIN PASSWORD 'dentalclinic-test';
SQL
  export TEST_PG_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

