"""Benchmark: the last minute before a deadline, on the stack we deploy.

Starts, by itself, and stops by PID: a private Redis (``redis-server`` on a free port: cache,
sessions, broker), moto's S3 server over HTTP, a throwaway PostgreSQL database, gunicorn
with the production settings and 2 x cores + 1 workers, and a real Celery worker. It creates
an open challenge with its public page and 300 teams with draft entries, then runs locust
headless (``bench/deadline_load.py``): each team signs in, saves its draft, asks for an
upload slot, posts its PDF to S3 the way the browser does (the presigned POST), confirms
it and submits — the teams arriving spread over one minute — while anonymous visitors read
the challenge page and one signed-in prober asks for a trivial signed-in view (the
baseline, under the same load, in the same run).

It prints throughput and p50/p95/p99 per step, the errors, then checks the database and the
bucket: every entry submitted exactly once (one version, one audit entry), every file
verified, sealed under a key no form was issued for, the upload key gone, the object's
SHA-256 the one sent. The headline (last line):
``ratio: X (submit p95 / trivial signed-in p95), errors: N`` — goal 0 errors, ratio ≤ 3.

The settings are ``config.settings.production`` with three changes for a throwaway run:
the trivial view added to the URLs, tables created from the models (no migration replay),
and static files collected without compression (nothing here fetches them).

    .venv/bin/python bench/deadline.py [--teams 300] [--spread 60] [--visitors 20] [--small]
"""

import argparse
import csv
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PASSWORD = "deadline-" + secrets.token_urlsafe(12)
STEPS = [
    "1 sign in",
    "2 save draft",
    "3 upload slot",
    "4 file to S3 (presigned POST)",
    "5 confirm upload",
    "6 submit",
    "challenge page (anonymous)",
    "trivial signed-in view",
]

SETTINGS = """
from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench_deadline_urls"


class _NoMigrations(dict):
    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


MIGRATION_MODULES = _NoMigrations()
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
"""
URLS = """
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

import config.urls

urlpatterns = [
    path("bench/plain/", login_required(lambda request: HttpResponse("ok")), name="bench_plain"),
    *config.urls.urlpatterns,
]
handler403 = config.urls.handler403
"""


def free_port():
    from tests.s3 import free_port as port

    return port()


def wait_for(url, *, headers=None, timeout=60, process=None):
    deadline = time.monotonic() + timeout
    while True:
        try:
            request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
            urllib.request.urlopen(request, timeout=2).close()  # noqa: S310
            return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{process.args[0]} exited ({process.returncode})") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Processes:
    """What the bench starts; stopped by PID, the last started first."""

    def __init__(self, logs):
        self.logs = logs
        self.started = []

    def start(self, name, argv, **kwargs):
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 -- closed in stop()
        process = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
        )
        self.started.append((name, process, log))
        return process

    def stop(self):
        for _name, process, log in reversed(self.started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
            log.close()


def create_database():
    import psycopg

    name = f"tanlov_bench_deadline_{os.getpid()}"
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{PG_URL}/{name}", drop


def build_world(args, workdir):
    """The challenge, its public page, the teams and their drafts; returns the plan."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.test import override_settings

    from cms.demo.site import ensure_home_pages
    from cms.models import ChallengeIndexPage, ChallengePage
    from cms.pages import ensure_translated_page
    from submissions.views import _answer_form
    from tests.factories import participant
    from tests.submissions.builders import open_challenge, team_entry

    started = time.perf_counter()
    call_command("migrate", run_syncdb=True, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"schema and static files: {time.perf_counter() - started:.0f} s", flush=True)
    call_command("setup_storage", origins=[args.origin], stdout=open(os.devnull, "w"))  # noqa: SIM115
    homes = ensure_home_pages()
    indexes = ensure_translated_page(
        homes,
        ChallengeIndexPage,
        slug="challenges",
        texts={code: {"title": "Challenges"} for code in homes},
    )
    # Hashing 300 passwords with the production hasher would take minutes: the rows are made
    # with a fast one, then all given one production hash (signing in checks it for real).
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        challenge = open_challenge(max_size_mb=5, title="Deadline bench")
        pages = ensure_translated_page(
            indexes,
            ChallengePage,
            slug=challenge.slug,
            texts={
                code: {"title": f"Deadline bench [{code}]", "intro": "The last minute."}
                for code in homes
            },
            challenge=challenge,
        )
        entries = [
            team_entry(challenge, title=f"Loyiha {n}", summary=f"Jamoa {n} loyihasi.")
            for n in range(args.teams)
        ]
        prober = participant()
    users = [entry.owner.pk for entry in entries] + [prober.pk]
    get_user_model().objects.filter(pk__in=users).update(password=make_password(PASSWORD))
    teams = []
    for n, entry in enumerate(entries):
        form = {"title": f"Loyiha {n} (final)"}
        for field in _answer_form(entry):
            value = field.value()
            if value not in (None, "", []):
                form[field.html_name] = value
        form[_summary_name(entry)] = f"Jamoa {n}: the final summary."
        teams.append(
            {
                "entry": entry.pk,
                "email": entry.owner.email,
                "form": form,
                "at": n * args.spread / max(1, args.teams),
            }
        )
    print(f"the world ({args.teams} teams): {time.perf_counter() - started:.0f} s", flush=True)
    page_url = pages["en"].get_url_parts()[2]
    return {
        "base": f"http://127.0.0.1:{args.web_port}",
        "origin": args.origin,
        "password": PASSWORD,
        "teams": teams,
        "prober": prober.email,
        "visitors": args.visitors,
        "challenge_page": page_url,
        "file_size": 20_000,
        "linger": 2,
        "results": str(workdir / "results.json"),
    }


def _summary_name(entry):
    from submissions.views import _answer_form

    for field in _answer_form(entry):
        if field.name.endswith("summary"):
            return field.html_name
    return "summary"


def read_stats(prefix):
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = row
    failures = []
    with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
        failures = list(csv.DictReader(handle))
    return rows, failures


def check_world(plan, results):
    """Every entry submitted once; every file verified, sealed, its bytes the ones sent."""
    from core import s3
    from core.models import AuditEntry
    from submissions.enums import FileStatus, SubmissionStatus
    from submissions.models import Submission, SubmissionFile

    problems = []
    client, bucket = s3.client(), s3.bucket_name()
    keys = set()
    for page in client.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix="submissions/"
    ):
        keys.update(item["Key"] for item in page.get("Contents", []))
    for team in plan["teams"]:
        pk = team["entry"]
        entry = Submission.objects.get(pk=pk)
        versions = entry.versions.count()
        submitted = AuditEntry.objects.filter(
            action="submissions.entry.submitted", object_id=str(pk)
        ).count()
        if entry.status != SubmissionStatus.SUBMITTED or versions != 1 or submitted != 1:
            problems.append(f"entry {pk}: {entry.status}, {versions} version(s), {submitted} audit")
        files = list(SubmissionFile.objects.filter(submission=entry))
        sent = results.get(str(pk))
        if sent is None or len(files) != 1:
            problems.append(f"entry {pk}: {len(files)} file(s), sent: {sent is not None}")
            continue
        file = files[0]
        if file.status != FileStatus.VERIFIED or file.sha256 != sent["sha256"]:
            problems.append(f"entry {pk}: file {file.status}, sha256 {file.sha256[:8]}")
        if file.key == sent["upload_key"] or file.key not in keys or sent["upload_key"] in keys:
            problems.append(f"entry {pk}: not sealed (key {file.key}, upload key still there)")
            continue
        body = client.get_object(Bucket=bucket, Key=file.key)["Body"].read()
        if hashlib.sha256(body).hexdigest() != file.sha256:
            problems.append(f"entry {pk}: the sealed object is not the file sent")
        version_keys = [item.get("key") for item in entry.versions.get().files]
        if version_keys != [file.key]:
            problems.append(f"entry {pk}: the version names {version_keys}")
    stray = keys - set(SubmissionFile.objects.values_list("key", flat=True))
    if stray:
        problems.append(f"{len(stray)} object(s) in the bucket no file names")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=300)
    parser.add_argument("--spread", type=float, default=60, help="seconds the teams arrive over")
    parser.add_argument("--visitors", type=int, default=20)
    parser.add_argument(
        "--small",
        action="store_true",
        help="60 teams over 12 s, 5 visitors: the full run's 5 teams a second, for 12 s",
    )
    args = parser.parse_args()
    if args.small:
        args.teams, args.spread, args.visitors = 60, 12, 5
    cores = os.cpu_count() or 1
    workers = 2 * cores + 1
    args.web_port = free_port()
    args.origin = f"https://127.0.0.1:{args.web_port}"

    workdir = Path(tempfile.mkdtemp(prefix="tanlov-bench-deadline-"))
    (workdir / "bench_deadline_settings.py").write_text(SETTINGS)
    (workdir / "bench_deadline_urls.py").write_text(URLS)
    processes = Processes(workdir)
    drop, keep = None, True
    try:
        redis_port, s3_port = free_port(), free_port()
        redis = processes.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
        )
        processes.start("moto", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)])
        database_url, drop = create_database()
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
            "DJANGO_SETTINGS_MODULE": "bench_deadline_settings",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/1",
            "CELERY_RESULT_BACKEND": f"redis://127.0.0.1:{redis_port}/1",
            "CELERY_TASK_DEFAULT_QUEUE": "celery",
            "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
            "AWS_STORAGE_BUCKET_NAME": "tanlov-bench-deadline",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench-secret",
            "EMAIL_URL": "dummymail://",
            "STATIC_ROOT": str(workdir / "static"),
            "LOG_LEVEL": "WARNING",
            # Behind the TLS proxy it emulates: one hop appends the client's address, so
            # per-address rate limits (allauth's 30 sign-ins a minute) see each team.
            "TANLOV_TRUSTED_PROXY_HOPS": "1",
        }
        os.environ.update(env)
        sys.path.insert(0, str(workdir))
        wait_for(f"http://127.0.0.1:{s3_port}/moto-api/", process=None)
        import redis as redis_client

        for _ in range(50):
            try:
                redis_client.Redis(port=redis_port).ping()
                break
            except redis_client.ConnectionError:
                if redis.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.1)

        import django

        django.setup()
        plan = build_world(args, workdir)
        (workdir / "plan.json").write_text(json.dumps(plan))
        from django.db import connections

        connections.close_all()

        gunicorn = processes.start(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{args.web_port}",
            ],
            cwd=ROOT,
            env=env,
        )
        worker = processes.start(
            "celery",
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--concurrency=1",
                "-l",
                "warning",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
        )
        wait_for(
            f"{plan['base']}/healthz",
            headers={"X-Forwarded-Proto": "https"},
            timeout=120,
            process=gunicorn,
        )
        print(
            f"gunicorn: {workers} workers on {cores} cores; {args.teams} teams over "
            f"{args.spread:.0f} s, {args.visitors} visitors; load before: {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        users = args.teams + args.visitors + 1
        prefix = workdir / "locust"
        started = time.perf_counter()
        load = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "deadline_load.py"),
                "--headless",
                "-u",
                str(users),
                "-r",
                str(users),
                "--run-time",
                f"{int(args.spread * 4 + 120)}s",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "5",
            ],
            cwd=ROOT,
            env={**env, "TANLOV_DEADLINE_PLAN": str(workdir / "plan.json")},
            stdout=subprocess.DEVNULL,
            stderr=open(workdir / "locust.log", "wb"),  # noqa: SIM115
            check=False,
        )
        wall = time.perf_counter() - started
        load_after = os.getloadavg()[0]
        rows, failures = read_stats(prefix)
        results = json.loads((workdir / "results.json").read_text())

        print(f"{'step':<32} {'n':>5} {'fail':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'req/s':>7}")
        for step in STEPS:
            row = rows.get(step)
            if row is None:
                print(f"{step:<32} —")
                continue
            print(
                f"{step:<32} {row['Request Count']:>5} {row['Failure Count']:>5} "
                f"{row['50%']:>5} ms {row['95%']:>4} ms {row['99%']:>4} ms "
                f"{float(row['Requests/s']):>7.1f}"
            )
        total = rows.get("Aggregated", {})
        print(
            f"all requests: {total.get('Request Count')} in {wall:.0f} s "
            f"({float(total.get('Requests/s') or 0):.1f} req/s); teams done: {len(results)}/"
            f"{args.teams} (locust exit {load.returncode}); load after: {load_after:.2f}"
        )
        for failure in failures[:10]:
            print(f"failure: {failure['Name']}: {failure['Error'][:150]} x{failure['Occurrences']}")
        problems = check_world(plan, results)
        for name, process in (("gunicorn", gunicorn), ("the Celery worker", worker)):
            if process.poll() is not None:
                problems.append(f"{name}: exited during the run ({process.returncode})")
        for problem in problems[:10]:
            print(f"check: {problem}")
        failed = {problem.split(":")[0] for problem in problems if problem.startswith("entry ")}
        print(
            f"checked: {args.teams - len(failed)} of {args.teams} "
            "entries submitted once, their file verified and sealed"
        )
        errors = sum(
            int(row["Failure Count"]) for name, row in rows.items() if name != "Aggregated"
        )
        errors += len(problems)
        submit = float(rows["6 submit"]["95%"])
        plain = float(rows["trivial signed-in view"]["95%"])
        print(f"ratio: {submit / plain:.2f} (submit p95 / trivial signed-in p95), errors: {errors}")
    except BaseException:
        keep = True
        print(f"the logs are kept in {workdir}", file=sys.stderr)
        raise
    else:
        keep = False
    finally:
        processes.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110 -- Django may not be set up yet
            pass
        if drop is not None:
            drop()
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
