#!/usr/bin/env bash
# Starts (or stops) the scale-out test bed on this machine, from Debian's packages only:
#   a primary with wal_level=replica on :5440, a streaming replica made with `pg_basebackup -R` on :5441,
#   and PgBouncer in transaction mode in front of the primary on :6440.
# Usage: .ci/scaleout.sh start|stop|status|stop-replica|start-replica. Idempotent; data lives under $SCALEOUT_DIR (default /tmp/idgraph-scaleout).
set -euo pipefail
DIR=${SCALEOUT_DIR:-/tmp/idgraph-scaleout}
PRIMARY_PORT=${PRIMARY_PORT:-5440}
REPLICA_PORT=${REPLICA_PORT:-5441}
BOUNCER_PORT=${BOUNCER_PORT:-6440}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_bouncer() {
  if ! command -v pgbouncer >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null
  fi
  cat >"$DIR/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$PRIMARY_PORT
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
auth_type = trust
auth_file = $DIR/userlist.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
; node-postgres sends these at connect; PgBouncer must not refuse them
ignore_startup_parameters = extra_float_digits,options,statement_timeout
unix_socket_dir =
logfile = $DIR/pgbouncer.log
pidfile = $DIR/pgbouncer.pid
INI
  echo '"postgres" ""' >"$DIR/userlist.txt"
  chown postgres "$DIR/pgbouncer.ini" "$DIR/userlist.txt"
  as_pg pgbouncer -d "$DIR/pgbouncer.ini"
}

wait_ready() { for _ in $(seq 1 60); do "$BIN/pg_isready" -q -h 127.0.0.1 -p "$1" && return 0; sleep 0.5; done; echo "port $1 not ready" >&2; return 1; }

case "${1:-start}" in
  start)
    mkdir -p "$DIR" && chown postgres "$DIR"
    if [ ! -d "$DIR/primary" ]; then
      as_pg "$BIN/initdb" -D "$DIR/primary" -U postgres --auth=trust >/dev/null
      cat >>"$DIR/primary/postgresql.conf" <<CONF
port = $PRIMARY_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
wal_level = replica
max_wal_senders = 5
hot_standby = on
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
      echo "host replication postgres 127.0.0.1/32 trust" >>"$DIR/primary/pg_hba.conf"
    fi
    "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PRIMARY_PORT" || as_pg "$BIN/pg_ctl" -D "$DIR/primary" -l "$DIR/primary.log" -w start >/dev/null
    wait_ready "$PRIMARY_PORT"
    as_pg "$BIN/psql" -q -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -c "select 1" postgres >/dev/null
    as_pg "$BIN/psql" -q -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -tc "select 1 from pg_database where datname='test'" postgres | grep -q 1 ||
      as_pg "$BIN/psql" -q -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -c "create database test" postgres
    if [ ! -d "$DIR/replica" ]; then
      as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR/replica" -R -X stream -c fast
      sed -i "s/^port = .*/port = $REPLICA_PORT/" "$DIR/replica/postgresql.conf"
    fi
    "$BIN/pg_isready" -q -h 127.0.0.1 -p "$REPLICA_PORT" || as_pg "$BIN/pg_ctl" -D "$DIR/replica" -l "$DIR/replica.log" -w start >/dev/null
    wait_ready "$REPLICA_PORT"
    [ -f "$DIR/pgbouncer.pid" ] && kill -0 "$(cat "$DIR/pgbouncer.pid")" 2>/dev/null || start_bouncer
    wait_ready "$BOUNCER_PORT"
    echo "primary :$PRIMARY_PORT, replica :$REPLICA_PORT, pgbouncer (transaction mode) :$BOUNCER_PORT"
    ;;
  stop)
    [ -f "$DIR/pgbouncer.pid" ] && kill "$(cat "$DIR/pgbouncer.pid")" 2>/dev/null || true
    for node in replica primary; do [ -d "$DIR/$node" ] && as_pg "$BIN/pg_ctl" -D "$DIR/$node" -m fast stop >/dev/null 2>&1 || true; done
    ;;
  stop-replica)
    as_pg "$BIN/pg_ctl" -D "$DIR/replica" -m fast stop >/dev/null
    ;;
  start-replica)
    as_pg "$BIN/pg_ctl" -D "$DIR/replica" -l "$DIR/replica.log" -w start >/dev/null
    wait_ready "$REPLICA_PORT"
    ;;
  status)
    for port in "$PRIMARY_PORT" "$REPLICA_PORT" "$BOUNCER_PORT"; do "$BIN/pg_isready" -h 127.0.0.1 -p "$port" || true; done
    ;;
esac
