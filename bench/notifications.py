"""Benchmark: 5,000 "results are out" SMS through the outbox and a real Celery worker.

Starts what it needs: a throwaway PostgreSQL database (or SQLite with --sqlite), the local
test gateway (tests/notifications/gateway.py, an HTTP server in a thread) and a Celery
worker on Redis (127.0.0.1:6379, db 14, a private queue). It then measures, in one run:

* baseline: raw HTTP POSTs of the same payloads from as many processes as the worker has
  (``--concurrency``, each over one keep-alive session) — the gateway, a thread of this
  process, serves both phases, so both share its limits and the machine's two cores;
* outbox: ``notify()`` for 5,000 recipients inside a transaction (the part a web request
  would wait for), then delivery by the worker until every row is ``sent``.

The headline (last line) compares like with like: the outbox's delivery rate against the
raw HTTP posts of the same number of processes.

    .venv/bin/python bench/notifications.py [--count 5000] [--concurrency 2] [--sqlite]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.testing import running_worker, worker_environment  # noqa: E402 -- after the path
from tests.notifications.gateway import Gateway  # noqa: E402

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")


def create_database(use_sqlite):
    if use_sqlite:
        path = Path(tempfile.mkdtemp(prefix="tanlov-bench-")) / "bench.sqlite3"
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
    import psycopg

    name = f"tanlov_bench_notifications_{os.getpid()}"
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{PG_URL}/{name}", drop


def make_recipients(count):
    from django.contrib.auth import get_user_model

    from submissions.models import Profile

    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(username=f"bench{n}", email=f"bench{n}@example.org", password="!")  # noqa: S106 -- unusable password
            for n in range(count)
        ],
        batch_size=1000,
    )
    languages = ["uz", "ru", "en"]
    Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                full_name=f"Bench {n}",
                phone=f"+99890{n:07d}",
                preferred_language=languages[n % 3],
            )
            for n, user in enumerate(users)
        ],
        batch_size=1000,
    )
    return users


def _post_raw(url, numbers):
    """One process's share of the baseline: POSTs over one keep-alive session."""
    import requests

    session = requests.Session()
    for n in numbers:
        key = str(uuid.uuid4())
        session.post(
            url,
            json={"id": key, "to": f"99890{n:07d}", "from": "Tanlov", "text": "Tanlov: results"},
            headers={"Idempotency-Key": key},
            timeout=10,
        )


def raw_baseline(gateway, count, processes):
    """The same number of POSTs to the same gateway, straight from ``processes`` processes
    (as many as the worker has), each over its own keep-alive session: messages a second,
    from the first POST to the last answer."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    shares = [range(start, count, processes) for start in range(processes)]
    started = time.perf_counter()
    children = [
        context.Process(target=_post_raw, args=(gateway.sms_url, share)) for share in shares
    ]
    for child in children:
        child.start()
    for child in children:
        child.join()
        if child.exitcode != 0:
            raise RuntimeError(f"a baseline process exited with {child.exitcode}")
    return count / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    args = parser.parse_args()

    gateway = Gateway().start()
    database_url, drop_database = create_database(args.sqlite)
    queue = f"tanlov-bench-{os.getpid()}"
    env = worker_environment(
        settings_module="config.settings.dev",
        database_url=database_url,
        broker_url=REDIS_URL,
        queue=queue,
        DEBUG="false",
        CELERY_TASK_ALWAYS_EAGER="false",
        TANLOV_SMS_URL=gateway.sms_url,
        TANLOV_SMS_RATE_LIMIT="0",  # measure our pipeline, not a gateway's quota
        TANLOV_NOTIFICATIONS_BATCH_SIZE="100",
        LOG_LEVEL="WARNING",
    )
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from config.celery import app

    try:
        print(f"database: {connection.vendor}; creating the tables …", flush=True)
        from schema import create_tables

        create_tables()
        recipients = make_recipients(args.count)
        worker_log = tempfile.NamedTemporaryFile(  # noqa: SIM115 -- open for the worker's life
            prefix="tanlov-bench-worker-", suffix=".log", delete=False
        )
        with running_worker(
            app,
            env=env,
            queue=queue,
            broker_url=REDIS_URL,
            pool="prefork",
            concurrency=args.concurrency,
            stdout=worker_log,
            stderr=subprocess.STDOUT,  # keep the headline the last line of our output
            stop_timeout=20,
        ):
            measure(gateway, recipients, args)
    finally:
        connection.close()
        drop_database()
        gateway.stop()


def measure(gateway, recipients, args):
    from django.db import transaction

    from notifications import events
    from notifications.enums import DeliveryStatus
    from notifications.models import Delivery
    from notifications.services import notify

    raw_rate = raw_baseline(gateway, args.count, args.concurrency)
    print(
        f"raw HTTP POSTs from {args.concurrency} processes: {raw_rate:,.0f} messages/s",
        flush=True,
    )
    gateway.reset()

    started = time.perf_counter()
    with transaction.atomic():
        notify(
            event=events.STATUS_CHANGED,
            recipients=recipients,
            context={"title": "Open Data Challenge", "status": "not_selected"},
            channels=["sms"],
        )
    committed = time.perf_counter()
    print(
        f"notify() + commit for {args.count} recipients (what a web request waits for): "
        f"{(committed - started) * 1000:,.0f} ms",
        flush=True,
    )
    deadline = time.monotonic() + 600
    while len(gateway.delivered) < args.count and time.monotonic() < deadline:
        time.sleep(0.05)
    while (
        Delivery.objects.filter(status=DeliveryStatus.SENT).count() < args.count
        and time.monotonic() < deadline
    ):
        time.sleep(0.05)
    finished = time.perf_counter()
    sent = Delivery.objects.filter(status=DeliveryStatus.SENT).count()
    keys = [key for _kind, key, _payload, _at in gateway.requests]
    rate = sent / (finished - started)
    print(
        f"delivered {sent}/{args.count} by a {args.concurrency}-process worker in "
        f"{finished - started:.2f} s; gateway requests {len(keys)}, "
        f"distinct keys {len(set(keys))}, deliveries {len(gateway.delivered)}",
        flush=True,
    )
    print(
        f"outbox delivery: {rate:,.0f} messages/s "
        f"({rate / args.concurrency:,.0f} per worker process)"
    )
    print(
        f"ratio: {rate / raw_rate:.2f} (outbox delivery / raw HTTP posts, "
        f"{args.concurrency} processes each)"
    )


if __name__ == "__main__":
    main()
