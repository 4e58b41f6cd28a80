"""Benchmark: the server side of an upload (slot + verify) for 200 teams.

Starts what it needs: moto's S3 server on loopback (HTTP) and a throwaway SQLite database.
For each team, alternating so that machine noise hits both alike:

* upload: ``POST …/files/slot/`` (checks, pending record, presigned POST), then the file goes
  to S3 the way a browser sends it (not timed: that is the browser's time, not ours), then
  ``POST …/files/<id>/confirm/`` (one GET: size, type and ETag from its headers, the magic
  bytes and the SHA-256 from its body; the sealing copy; the delete of the upload key);
* plain: ``GET`` of a trivial view that only requires a signed-in user, through the same
  middleware stack.

* floor: the S3 calls the slot and the confirm make (presign, the GET that is read for the
  checks and the checksum, the sealing copy, the delete), made directly with boto3 — the
  cheapest way to do the same checks.

The headline (last line) is the ratio of the medians, upload / floor; upload / plain is
printed above it.

    .venv/bin/python bench/uploads.py [--teams 200]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WARM_UP = 5


def start_s3():
    from moto.server import ThreadedMotoServer

    from tests.s3 import free_port

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}"


def bench_urlconf():
    """The project's URLs plus one trivial signed-in view as the baseline."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.urls import path

    import config.urls

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [
        path("bench/plain/", login_required(lambda request: HttpResponse("ok")), name="plain"),
        *config.urls.urlpatterns,
    ]
    return module


def pdf(n):
    return b"%PDF-1.4\n" + f"% team {n}\n".encode() + b"0" * 20_000 + b"\n%%EOF\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=200)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="tanlov-bench-uploads-"))
    server, endpoint = start_s3()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        AWS_S3_ENDPOINT_URL=endpoint,
        TEST_AWS_STORAGE_BUCKET_NAME="tanlov-bench-uploads",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    import requests
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import clear_url_caches, reverse
    from django.utils import translation

    setup_test_environment()
    settings.ROOT_URLCONF = bench_urlconf()
    clear_url_caches()
    translation.activate("en")
    from schema import create_tables

    print("creating a throwaway SQLite database …", file=sys.stderr)
    create_tables()

    from core import s3
    from tests.submissions.builders import open_challenge, team_entry

    s3.client().create_bucket(Bucket=settings.AWS_STORAGE_BUCKET_NAME)
    challenge = open_challenge(max_size_mb=5)
    total = args.teams + WARM_UP
    entries = [team_entry(challenge, title=f"Loyiha {n}") for n in range(total)]
    plain_url = reverse("plain")

    import hashlib

    raw = s3.client()
    bucket = settings.AWS_STORAGE_BUCKET_NAME

    def floor(n, body):
        """The S3 calls the slot and the confirm make, made directly with boto3: presign
        the POST, (the browser's upload, not timed), the GET whose headers give size, type
        and ETag and whose body gives the magic bytes and the checksum, the sealing copy,
        the delete of the upload."""
        key, sealed = f"floor/{n}/upload", f"floor/{n}/sealed"
        started = time.perf_counter()
        raw.generate_presigned_post(
            Bucket=bucket,
            Key=key,
            Fields={"Content-Type": "application/pdf"},
            Conditions=[
                {"Content-Type": "application/pdf"},
                ["content-length-range", 1, 5 * 1024 * 1024],
            ],
            ExpiresIn=600,
        )
        spent = time.perf_counter() - started
        raw.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/pdf")
        started = time.perf_counter()
        response = raw.get_object(Bucket=bucket, Key=key)
        assert response["ContentLength"] == len(body)
        digest = hashlib.sha256()
        for chunk in response["Body"].iter_chunks(1024 * 1024):
            digest.update(chunk)
        raw.copy_object(
            Bucket=bucket,
            Key=sealed,
            CopySource={"Bucket": bucket, "Key": key},
            CopySourceIfMatch=response["ETag"],
        )
        raw.delete_object(Bucket=bucket, Key=key)
        return spent + time.perf_counter() - started

    upload_times, plain_times, floor_times = [], [], []
    for n, entry in enumerate(entries):
        client = Client()
        client.force_login(entry.owner)
        body = pdf(n)

        started = time.perf_counter()
        slot = client.post(
            reverse("submissions:file_slot", args=[entry.pk]),
            data=json.dumps(
                {
                    "kind": "pitch_deck",
                    "name": f"team-{n}.pdf",
                    "size": len(body),
                    "content_type": "application/pdf",
                }
            ),
            content_type="application/json",
        )
        slot_time = time.perf_counter() - started
        assert slot.status_code == 200, slot.content
        slot = slot.json()
        requests.post(
            slot["url"],
            data=slot["fields"],
            files={"file": ("f.pdf", body, "application/pdf")},
            timeout=30,
        ).raise_for_status()
        started = time.perf_counter()
        confirmed = client.post(reverse("submissions:file_confirm", args=[entry.pk, slot["file"]]))
        confirm_time = time.perf_counter() - started
        assert confirmed.status_code == 200, confirmed.content

        started = time.perf_counter()
        answer = client.get(plain_url)
        plain_time = time.perf_counter() - started
        assert answer.status_code == 200

        floor_time = floor(n, body)

        if n >= WARM_UP:
            upload_times.append(slot_time + confirm_time)
            plain_times.append(plain_time)
            floor_times.append(floor_time)

    server.stop()
    upload_ms = statistics.median(upload_times) * 1000
    plain_ms = statistics.median(plain_times) * 1000
    print(f"teams: {args.teams}")
    print(f"upload (slot + verify), median: {upload_ms:.2f} ms")
    print(f"plain authenticated view, median: {plain_ms:.2f} ms")
    print(f"upload p95: {sorted(upload_times)[int(len(upload_times) * 0.95)] * 1000:.2f} ms")
    floor_ms = statistics.median(floor_times) * 1000
    print(f"the same S3 calls made directly (boto3), median: {floor_ms:.2f} ms")
    print(f"upload / plain authenticated view: {upload_ms / plain_ms:.1f}")
    print(f"ratio: {upload_ms / floor_ms:.2f} (slot + confirm / the same S3 calls made directly)")


if __name__ == "__main__":
    main()
