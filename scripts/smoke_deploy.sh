#!/usr/bin/env bash
# Deployment smoke test (run by .ci/run): production settings, gunicorn with 2 workers,
# a real Celery worker on Redis, moto's S3 server over HTTP and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
WEB_PORT=${SMOKE_WEB_PORT:-8765}
S3_PORT=${SMOKE_S3_PORT:-9765}
DB=tanlov_smoke
LOG=var/smoke
mkdir -p "$LOG"

export DJANGO_SETTINGS_MODULE=config.settings.production
export SECRET_KEY="smoke-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=redis://127.0.0.1:6379/14
export AWS_S3_ENDPOINT_URL=http://127.0.0.1:$S3_PORT
export AWS_STORAGE_BUCKET_NAME=tanlov-smoke
export AWS_ACCESS_KEY_ID=smoke AWS_SECRET_ACCESS_KEY=smoke-secret
export EMAIL_URL=consolemail://
export STATIC_ROOT=$PWD/var/smoke/static

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

fail() {
    echo "SMOKE FAILED: $*" >&2
    for f in "$LOG"/*.log; do echo "--- $f"; tail -40 "$f"; done >&2
    exit 1
}

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null

$BIN/moto_server -H 127.0.0.1 -p "$S3_PORT" >"$LOG/moto.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$S3_PORT/moto-api/" && break; sleep 0.2; done

$BIN/python manage.py migrate --no-input -v0
$BIN/python manage.py collectstatic --no-input -v0
$BIN/python manage.py setup_storage --origin "https://127.0.0.1:$WEB_PORT"
$BIN/python manage.py load_demo --force >/dev/null

$BIN/gunicorn config.wsgi:application -w 2 -b "127.0.0.1:$WEB_PORT" \
    --access-logfile "$LOG/access.log" >"$LOG/gunicorn.log" 2>&1 &
pids+=($!)
$BIN/celery -A config worker --concurrency=2 -l info >"$LOG/celery.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 100); do
    curl -fs -o /dev/null -H "X-Forwarded-Proto: https" "http://127.0.0.1:$WEB_PORT/healthz" && break
    sleep 0.2
done

health=$(curl -s -H "X-Forwarded-Proto: https" "http://127.0.0.1:$WEB_PORT/healthz") || fail "healthz unreachable"
echo "healthz: $health"
echo "$health" | grep -q '"status": "ok"' || fail "healthz not ok"

status=$(curl -s -o "$LOG/home.html" -w '%{http_code}' -H "X-Forwarded-Proto: https" "http://127.0.0.1:$WEB_PORT/en/")
[[ "$status" == "200" ]] || fail "home page answered $status"
grep -q "innovation challenges" "$LOG/home.html" || fail "home page lacks its title"
echo "page: ok (/en/ answered 200 through gunicorn)"

$BIN/python manage.py smoke_check --timeout 30 || fail "smoke_check"
echo "deployment smoke test passed"
