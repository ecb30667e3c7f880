# shellcheck shell=bash
# script/lib/libpq.sh — turns the site's Npgsql connection string into what
# libpq's tools (psql, pg_dump, pg_restore) take.
#
#   source script/lib/libpq.sh
#   valdrome_libpq "Host=127.0.0.1;Port=55432;Database=valdrome;Username=valdrome"
#     -> host=127.0.0.1 port=55432 dbname=valdrome user=valdrome
#
# Only the keys the tools understand are kept (Host, Port, Database, Username,
# Password, SSL Mode); values are single-quoted for libpq.

valdrome_libpq() {
  local pair key value out=()
  local IFS=';'
  for pair in $1; do
    [[ $pair == *=* ]] || continue
    key="${pair%%=*}"
    value="${pair#*=}"
    key="$(printf '%s' "$key" | tr -d ' ' | tr '[:upper:]' '[:lower:]')"
    value="${value//\\/\\\\}"
    value="${value//\'/\\\'}"
    case $key in
      host | server) out+=("host='$value'") ;;
      port) out+=("port='$value'") ;;
      database | db) out+=("dbname='$value'") ;;
      username | userid | user) out+=("user='$value'") ;;
      password) out+=("password='$value'") ;;
      sslmode) out+=("sslmode='$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]')'") ;;
    esac
  done
  IFS=' '
  printf '%s\n' "${out[*]}"
}
