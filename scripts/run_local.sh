#!/usr/bin/env bash
# `make run`: start moto's S3 server on loopback, prepare the database and the demo,
# serve the site on http://127.0.0.1:8000. Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
S3_PORT=${TANLOV_S3_PORT:-9100}
WEB_PORT=${TANLOV_PORT:-8000}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.dev}
export AWS_S3_ENDPOINT_URL=${AWS_S3_ENDPOINT_URL:-http://127.0.0.1:$S3_PORT}
mkdir -p var

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

if ! curl -fs -o /dev/null "http://127.0.0.1:$S3_PORT/moto-api/" 2>/dev/null; then
    # moto keeps objects in memory: a new S3 endpoint starts empty, so the demo database
    # starts afresh too (rows pointing at files that no longer exist would be a lie).
    # TANLOV_KEEP_DB=1 keeps it anyway.
    if [[ "${TANLOV_KEEP_DB:-0}" != "1" && -z "${DATABASE_URL:-}" ]]; then
        rm -f var/tanlov.sqlite3 var/tanlov.sqlite3-wal var/tanlov.sqlite3-shm
        rm -rf var/mail  # the development mailbox: its links point at the old database
    fi
    $BIN/moto_server -H 127.0.0.1 -p "$S3_PORT" >var/moto.log 2>&1 &
    pids+=($!)
    for _ in $(seq 1 50); do
        curl -fs -o /dev/null "http://127.0.0.1:$S3_PORT/moto-api/" && break
        sleep 0.2
    done
fi

$BIN/python manage.py migrate --no-input -v0
$BIN/python manage.py setup_storage --origin "http://127.0.0.1:$WEB_PORT" --origin "http://localhost:$WEB_PORT"
$BIN/python manage.py load_demo
echo
echo "Tanlov is running on http://127.0.0.1:$WEB_PORT/  (Wagtail admin: /admin/; Ctrl-C stops)"
echo "E-mails it sends (sign-up links, invitations): http://127.0.0.1:$WEB_PORT/en/dev/mail/"
echo "The public API (docs/api.md): http://127.0.0.1:$WEB_PORT/api/v1/challenges?lang=en"
$BIN/python manage.py runserver "127.0.0.1:$WEB_PORT" --noreload &
pids+=($!)
wait "${pids[-1]}"
