#!/usr/bin/env bash
# The worker tests need a Redis broker (TANLOV_TEST_REDIS_URL, by default
# redis://127.0.0.1:6379/15). When none answers on that local default, start a throwaway
# one (no persistence; it keeps running for later test runs). Quick when Redis is up.
set -euo pipefail
cd "$(dirname "$0")/.."

url=${TANLOV_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
[[ "$url" == redis://127.0.0.1:6379* ]] || exit 0  # a Redis elsewhere is the user's to run
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0

mkdir -p var/redis
echo "Starting Redis on 127.0.0.1:6379 for the worker tests (log: var/redis/redis.log)"
redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir "$PWD/var/redis" --logfile "$PWD/var/redis/redis.log"
for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0
    sleep 0.2
done
echo "Redis did not start on 127.0.0.1:6379; see var/redis/redis.log" >&2
exit 1
