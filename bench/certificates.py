"""Benchmark: 200 certificates through the issuing service, against plain WeasyPrint.

Starts what it needs: a throwaway PostgreSQL database (or SQLite with --sqlite), moto's S3
server on loopback (HTTP) and Celery workers on Redis (db 13, a private queue). In one run:

* per certificate, alternating so that machine noise hits all alike:
  - plain: ``weasyprint.HTML(string=html).write_pdf()`` on the certificate's final HTML with
    its stylesheet linked — what rendering that HTML costs without our reuse (the headline
    baseline);
  - tuned: WeasyPrint with the fonts and stylesheet parsed once (render only) — the floor,
    reported too, so that the service's own overhead is visible;
  - service: ``render_and_store`` — database reads, HTML and QR code, the same rendering,
    the upload to S3, the status change, audit entry and notification;
* the same certificates issued by a real worker with 1 process, then with 2 processes
  (wall time from sending the tasks until every row is issued; each process warmed up).

The headline (last line) is the ratio service / tuned raw WeasyPrint (the same HTML, the same
URL fetcher, fonts and CSS parsed once) and the two-process speed-up.

    .venv/bin/python bench/certificates.py [--count 200] [--sqlite]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.testing import running_worker, worker_environment  # noqa: E402 -- after the path

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
WARM_UP = 4


def create_database(use_sqlite):
    if use_sqlite:
        path = Path(tempfile.mkdtemp(prefix="tanlov-bench-")) / "bench.sqlite3"
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
    import psycopg

    name = f"tanlov_bench_certificates_{os.getpid()}"
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{PG_URL}/{name}", drop


def start_s3():
    """moto's S3 server as its own process, as S3 is in production (not a thread of ours)."""
    import urllib.request

    from tests.s3 import free_port

    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(endpoint, timeout=1).close()
            break
        except (TimeoutError, OSError):
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.2)
    return server, endpoint


def make_people(count):
    """One challenge, a template and ``count`` individual entries that were submitted."""
    from django.contrib.auth import get_user_model

    from certificates.models import CertificateTemplate, Signatory
    from challenges.models import Challenge
    from submissions.models import Profile, Submission

    challenge = Challenge.objects.create(
        title="COVID-19 Challenge 2020", slug=f"bench-{uuid.uuid4().hex[:8]}", kind="innovation"
    )
    template = CertificateTemplate.objects.create(
        name="Ishtirok",
        kind="participation",
        language="uz",
        title="Ishtirok sertifikati",
        body="{recipient_name} «{challenge}» tanlovida «{project_title}» loyihasi bilan "
        "ishtirok etdi.\n\n{date}",
    )
    Signatory.objects.create(template=template, name="Dilshod Karimov", position="UNDP")
    User = get_user_model()
    names = ["Oʻgʻiloy Gʻulomova", "Алишер Навоийев", "Aziz Tursunov", "Nodira Rahimova"]
    users = User.objects.bulk_create(
        [User(username=f"bench{i}", email=f"bench{i}@example.org") for i in range(count)]
    )
    Profile.objects.bulk_create(
        [Profile(user=u, full_name=f"{names[i % 4]} {i}") for i, u in enumerate(users)]
    )
    Submission.objects.bulk_create(
        [
            Submission(challenge=challenge, owner=u, title=f"Loyiha {i}", status="submitted")
            for i, u in enumerate(users)
        ]
    )
    return challenge


def wait_issued(ids, timeout=600):
    from certificates.models import Certificate

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = Certificate.objects.filter(pk__in=ids).exclude(status="issued").count()
        if left == 0:
            return
        failed = Certificate.objects.filter(pk__in=ids, status="failed").first()
        if failed is not None:
            raise RuntimeError(f"certificate {failed.pk} failed: {failed.failure_reason}")
        time.sleep(0.05)
    raise RuntimeError(f"{left} certificates still not issued after {timeout} s")


def reset(ids):
    from certificates.models import Certificate

    Certificate.objects.filter(pk__in=ids).update(status="pending", pdf_key="")


def run_workers(env, ids, concurrency):
    from certificates.tasks import issue_certificate
    from config.celery import app

    queue = app.conf.task_default_queue
    import redis

    redis.Redis.from_url(REDIS_URL).delete(queue)  # tasks left over from the previous phase
    with running_worker(
        app,
        env=env,
        queue=queue,
        broker_url=REDIS_URL,
        pool="prefork",
        concurrency=concurrency,
        stdout=subprocess.DEVNULL,
        stop_timeout=30,
    ):
        warm, timed = ids[:WARM_UP], ids[WARM_UP:]
        reset(ids)
        for pk in warm:
            issue_certificate.delay(pk)
        wait_issued(warm)
        start = time.perf_counter()
        for pk in timed:
            issue_certificate.delay(pk)
        wait_issued(timed)
        return time.perf_counter() - start, len(timed)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()

    database_url, drop = create_database(args.sqlite)
    server, endpoint = start_s3()
    queue = f"tanlov-bench-certificates-{os.getpid()}"
    bucket = "tanlov-bench"
    env = worker_environment(
        settings_module="config.settings.dev",
        database_url=database_url,
        broker_url=REDIS_URL,
        queue=queue,
        DEBUG="false",
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_STORAGE_BUCKET_NAME=bucket,
        CELERY_TASK_ALWAYS_EAGER="false",
        LOG_LEVEL="WARNING",
        # Issued certificates notify their recipients; the bench does not print the e-mails.
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    os.environ.update(env)
    try:
        import django

        django.setup()

        from config.celery import app

        app.conf.update(task_always_eager=False, task_default_queue=queue)
        print("creating the tables of a fresh database …", flush=True)
        from schema import create_tables

        create_tables()
        from core import s3

        s3.client().create_bucket(Bucket=bucket)
        measure(env, args.count, queue)
    finally:
        server.terminate()
        server.wait(timeout=10)
        drop()


def measure(env, count, queue):
    from django.conf import settings

    from certificates.models import Certificate
    from certificates.services import issuing, rendering

    challenge = make_people(count + WARM_UP)
    # Queue rows only (a private queue with no consumer yet); tasks are sent later.
    issuing.issue_certificates(challenge=challenge, rule="participants", by=None)
    import redis

    redis.Redis.from_url(REDIS_URL).delete(queue)
    ids = list(Certificate.objects.order_by("pk").values_list("pk", flat=True))
    certificates = {
        c.pk: c
        for c in Certificate.objects.select_related("challenge", "template").prefetch_related(
            "template__signatories", "template__logos"
        )
    }

    shared = rendering._weasyprint()
    weasyprint, css, fonts, fetcher = (
        shared["module"],
        shared["css"],
        shared["fonts"],
        shared["fetcher"],
    )
    base = rendering.public_base_url() + "/"

    def raw(html):
        weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf(
            stylesheets=[css], font_config=fonts
        )

    link = f'<link rel="stylesheet" href="{settings.STATIC_URL}{rendering.STYLESHEET}"></head>'

    def plain(html):
        # What `weasyprint.HTML(string=...).write_pdf()` does: the stylesheet linked from
        # the page, fonts and CSS parsed again for each document (offline fetcher kept).
        weasyprint.HTML(
            string=html.replace("</head>", link, 1), base_url=base, url_fetcher=fetcher
        ).write_pdf()

    # Warm-up outside the timings: the first render loads fonts.
    for pk in ids[:WARM_UP]:
        issuing.render_and_store(certificate_id=pk)
    timed = ids[WARM_UP:]
    raw_times, plain_times, service_times = [], [], []
    print(f"rendering {len(timed)} certificates (raw and through the service) …", flush=True)
    for pk in timed:
        certificate = certificates[pk]
        html = rendering.build_html(certificate=certificate, template=certificate.template)
        start = time.perf_counter()
        raw(html)
        raw_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        plain(html)
        plain_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        assert issuing.render_and_store(certificate_id=pk)
        service_times.append(time.perf_counter() - start)

    def ms(values):
        return statistics.mean(values) * 1000, statistics.median(values) * 1000

    plain_mean, plain_median = ms(plain_times)
    raw_mean, raw_median = ms(raw_times)
    service_mean, service_median = ms(service_times)
    print(
        f"plain WeasyPrint (HTML(string).write_pdf(), stylesheet linked, fonts parsed per "
        f"document): {plain_mean:.1f} ms per certificate (median {plain_median:.1f})"
    )
    print(
        f"tuned WeasyPrint (shared FontConfiguration + parsed CSS, render only): "
        f"{raw_mean:.1f} ms (median {raw_median:.1f})"
    )
    print(
        f"issuing service (database, HTML + QR, render, S3 upload, audit, notification): "
        f"{service_mean:.1f} ms (median {service_median:.1f})"
    )
    # The floor is the tuned raw render of the same HTML with the same URL fetcher; the
    # plain render re-parses fonts and CSS for every document and would flatter us.
    ratio = service_mean / raw_mean
    print(
        f"issuing / plain WeasyPrint (fonts and CSS parsed per document): "
        f"{service_mean / plain_mean:.2f}"
    )

    walls = {}
    for concurrency in (1, 2):
        print(f"issuing with a worker of {concurrency} process(es) …", flush=True)
        wall, n = run_workers(env, ids, concurrency)
        walls[concurrency] = wall
        print(
            f"worker x{concurrency}: {wall:.2f} s for {n} certificates "
            f"({wall / n * 1000:.1f} ms per certificate)"
        )
    speedup = walls[1] / walls[2]
    print(f"cpu cores: {os.cpu_count()}; load average: {os.getloadavg()[0]:.2f}")
    print(
        f"ratio: {ratio:.2f} (issuing / tuned raw WeasyPrint, goal ≤ 1.2); "
        f"speed-up with 2 worker processes: {speedup:.2f}x (goal ≥ 1.7)"
    )


if __name__ == "__main__":
    main()
