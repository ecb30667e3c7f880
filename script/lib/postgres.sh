# shellcheck shell=bash
# script/lib/postgres.sh — a private PostgreSQL 15 + PostGIS cluster for
# ValDrome development and tests.
#
#   source script/lib/postgres.sh
#   valdrome_postgres_start   # starts it if needed, exports ConnectionStrings__ValDrome
#   valdrome_postgres_stop    # stops it if it is running
#
# Environment:
#   ConnectionStrings__ValDrome  when already set, no cluster is started and that
#                                database is used as is (it needs PostGIS and
#                                btree_gist available).
#   PGPORT                       port of the private cluster (default 55432).
#   VALDROME_PGDATA              its data directory
#                                (default /var/tmp/valdrome-pg-$PGPORT).
#
# The cluster is a throw-away: delete its data directory to start from scratch.
#
# This file is sourced, so it leaves the caller's shell options alone: each
# step checks its own result and the functions return non-zero on failure.

VALDROME_PG_BIN=/usr/lib/postgresql/15/bin

_valdrome_pg_say() { printf '==> %s\n' "$*"; }
_valdrome_pg_err() { printf 'postgres: %s\n' "$*" >&2; }

_valdrome_pg_port() {
  local port="${PGPORT:-55432}"
  if [[ ! $port =~ ^[0-9]+$ ]]; then
    _valdrome_pg_err "PGPORT must be a port number, got '$port'"
    return 1
  fi
  printf '%s\n' "$port"
}

# The data directory lives outside the repository on purpose: when run as root
# the cluster runs as the postgres OS user, which may not be able to traverse
# the folder the repository was cloned into (e.g. somewhere under /root).
_valdrome_pg_datadir() {
  local data="${VALDROME_PGDATA:-/var/tmp/valdrome-pg-$1}"
  [[ $data == /* ]] || data="$PWD/$data"
  printf '%s\n' "$data"
}

# Runs a server-side binary as the owner of the cluster. PostgreSQL refuses to
# run as root, so root delegates to the postgres OS user. The cd / avoids
# "could not identify current directory" when the caller's directory is not
# readable by that user.
_valdrome_pg_as_owner() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# psql against the private cluster: _valdrome_pg_psql PORT DATABASE SQL.
# Prints unaligned tuples only; NOTICEs such as "extension already exists,
# skipping" are silenced.
_valdrome_pg_psql() {
  PGOPTIONS='-c client_min_messages=warning' \
    "$VALDROME_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$1" -U valdrome -d "$2" -tA -c "$3"
}

# True when something accepts TCP connections on 127.0.0.1:PORT.
_valdrome_pg_port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Creates the data directory with the owner and mode PostgreSQL demands (0700),
# or checks that an existing one belongs to the user the cluster runs as.
_valdrome_pg_prepare_dir() {
  local data=$1 owner actual
  if [[ $EUID -eq 0 ]]; then
    owner=postgres
    if ! id -u postgres >/dev/null 2>&1; then
      _valdrome_pg_err "the postgres OS user does not exist; run script/bootstrap"
      return 1
    fi
  else
    owner="$(id -un)"
  fi

  if [[ -e $data ]]; then
    if [[ ! -d $data ]]; then
      _valdrome_pg_err "$data exists and is not a directory"
      return 1
    fi
    actual="$(stat -c %U "$data")"
    if [[ $actual != "$owner" ]]; then
      _valdrome_pg_err "$data belongs to $actual but the cluster must run as $owner;" \
        "remove it or set VALDROME_PGDATA to another directory"
      return 1
    fi
    chmod 700 "$data" || return 1
  elif [[ $EUID -eq 0 ]]; then
    install -d -m 700 -o postgres -g postgres "$data" || return 1
  else
    install -d -m 700 "$data" || return 1
  fi

  if ! _valdrome_pg_as_owner test -w "$data"; then
    _valdrome_pg_err "user $owner cannot write to $data (is a parent directory closed to it?);" \
      "set VALDROME_PGDATA to a directory under /var/tmp"
    return 1
  fi
}

# initdb plus our own pg_hba.conf and an include of valdrome.conf, which
# _valdrome_pg_launch rewrites before every start.
_valdrome_pg_init() {
  local data=$1 output
  _valdrome_pg_say "Creating a PostgreSQL cluster in $data"
  if ! output="$(_valdrome_pg_as_owner "$VALDROME_PG_BIN/initdb" -D "$data" -U valdrome \
    --auth=trust --encoding=UTF8 --locale=C.UTF-8 2>&1)"; then
    printf '%s\n' "$output" >&2
    _valdrome_pg_err "initdb failed"
    return 1
  fi

  # Password-less access is acceptable only because this is a private dev/test
  # cluster that listens on the loopback interface alone: local socket and
  # loopback TCP are trusted, nothing else is accepted (not even replication).
  _valdrome_pg_as_owner tee "$data/pg_hba.conf" >/dev/null <<'EOF' || return 1
# Private ValDrome dev/test cluster: loopback only, no passwords.
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  trust
host    all       all   ::1/128       trust
EOF

  printf "\n# ValDrome settings, rewritten by script/lib/postgres.sh before each start.\ninclude 'valdrome.conf'\n" |
    _valdrome_pg_as_owner tee -a "$data/postgresql.conf" >/dev/null || return 1
}

_valdrome_pg_launch() {
  local data=$1 port=$2
  _valdrome_pg_as_owner tee "$data/valdrome.conf" >/dev/null <<EOF || return 1
listen_addresses = '127.0.0.1'
port = $port
# The socket lives in the data directory, so nothing needs /var/run/postgresql.
unix_socket_directories = '$data'
# The test suite opens many connections at once.
max_connections = 200
shared_buffers = 256MB
# Durability is traded for speed: this cluster only holds dev/test data that
# script/server and the tests recreate. A crash of the machine may corrupt it;
# then delete the data directory.
fsync = off
synchronous_commit = off
full_page_writes = off
# Our queries are short index lookups; JIT compilation would cost more than it saves
# whenever the planner's (pessimistic) spatial cost estimates cross jit_above_cost.
jit = off
EOF

  _valdrome_pg_say "Starting PostgreSQL on 127.0.0.1:$port ($data)"
  if ! _valdrome_pg_as_owner "$VALDROME_PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" \
    -w -t 60 -s start; then
    _valdrome_pg_err "PostgreSQL did not start; end of $data/server.log:"
    tail -n 30 "$data/server.log" >&2 || true
    return 1
  fi
}

# Database valdrome with PostGIS and btree_gist. The extensions go into
# template1 first, so valdrome and every database the tests create later
# inherit them.
_valdrome_pg_create_db() {
  local port=$1 exists
  _valdrome_pg_psql "$port" template1 \
    'create extension if not exists postgis; create extension if not exists btree_gist;' || return 1

  exists="$(_valdrome_pg_psql "$port" postgres \
    "select 1 from pg_database where datname = 'valdrome'")" || return 1
  if [[ $exists != 1 ]]; then
    _valdrome_pg_say "Creating database valdrome"
    "$VALDROME_PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U valdrome valdrome || return 1
  fi

  # Also for a valdrome database created before the template had them.
  _valdrome_pg_psql "$port" valdrome \
    'create extension if not exists postgis; create extension if not exists btree_gist;' || return 1
}

valdrome_postgres_start() {
  if [[ -n ${ConnectionStrings__ValDrome:-} ]]; then
    _valdrome_pg_say "Using the database of ConnectionStrings__ValDrome (no private PostgreSQL started)"
    return 0
  fi

  local port data running_port
  port="$(_valdrome_pg_port)" || return 1
  data="$(_valdrome_pg_datadir "$port")"

  if [[ ! -x $VALDROME_PG_BIN/initdb ]]; then
    _valdrome_pg_err "PostgreSQL 15 is not installed ($VALDROME_PG_BIN is missing); run script/bootstrap"
    return 1
  fi

  _valdrome_pg_prepare_dir "$data" || return 1

  if [[ -f $data/PG_VERSION ]] &&
    _valdrome_pg_as_owner "$VALDROME_PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    # Already running; its port is the 4th line of postmaster.pid.
    running_port="$(sed -n 4p "$data/postmaster.pid" 2>/dev/null || true)"
    if [[ $running_port != "$port" ]]; then
      _valdrome_pg_err "the cluster in $data is running on port ${running_port:-?}, not $port;" \
        "stop it with valdrome_postgres_stop or set PGPORT=${running_port:-?}"
      return 1
    fi
    _valdrome_pg_say "PostgreSQL is already running on 127.0.0.1:$port ($data)"
  else
    # Checked before initdb, so a busy port fails fast.
    if _valdrome_pg_port_in_use "$port"; then
      _valdrome_pg_err "port $port on 127.0.0.1 is already used by another program." \
        "Set PGPORT to a free port, or set ConnectionStrings__ValDrome to use an existing PostgreSQL."
      return 1
    fi
    if [[ ! -f $data/PG_VERSION ]]; then
      _valdrome_pg_init "$data" || return 1
    fi
    _valdrome_pg_launch "$data" "$port" || return 1
  fi

  _valdrome_pg_create_db "$port" || return 1

  export ConnectionStrings__ValDrome="Host=127.0.0.1;Port=$port;Database=valdrome;Username=valdrome"
  _valdrome_pg_say "ConnectionStrings__ValDrome=$ConnectionStrings__ValDrome"
}

valdrome_postgres_stop() {
  local port data
  port="$(_valdrome_pg_port)" || return 1
  data="$(_valdrome_pg_datadir "$port")"

  if [[ -f $data/PG_VERSION ]] &&
    _valdrome_pg_as_owner "$VALDROME_PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    _valdrome_pg_say "Stopping PostgreSQL ($data)"
    _valdrome_pg_as_owner "$VALDROME_PG_BIN/pg_ctl" -D "$data" -m fast -w -s stop || return 1
  else
    _valdrome_pg_say "PostgreSQL is not running ($data)"
  fi
}
