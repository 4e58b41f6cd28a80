"""Liveness of the parts Tanlov cannot work without: database, storage, broker."""

import logging
import time

import redis
from django.conf import settings
from django.db import connection

from . import s3

logger = logging.getLogger(__name__)


def _check(name, probe):
    started = time.perf_counter()
    try:
        note = probe()
    except Exception as exc:  # noqa: BLE001 -- any failure means "down"; the reason is reported
        logger.warning("health check %s failed: %s", name, exc)
        return {"ok": False, "error": exc.__class__.__name__, "ms": _ms(started)}
    result = {"ok": True, "ms": _ms(started)}
    if note:
        result["note"] = note
    return result


def _ms(started):
    return round((time.perf_counter() - started) * 1000, 1)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _storage():
    # HeadBucket: cheap, needs the endpoint up, the credentials right and the bucket there.
    timeout = settings.TANLOV_HEALTHZ_TIMEOUT
    s3.client(timeout=timeout, attempts=1).head_bucket(Bucket=s3.bucket_name())


def _broker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager: tasks run in-process, no broker in use"

    timeout = settings.TANLOV_HEALTHZ_TIMEOUT
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=timeout, socket_timeout=timeout
    )
    try:
        client.ping()
    finally:
        client.close()


def check_all():
    """Return ``(ok, report)``: every check's state, and whether all of them answered."""
    report = {
        "database": _check("database", _database),
        "storage": _check("storage", _storage),
        "broker": _check("broker", _broker),
    }
    return all(part["ok"] for part in report.values()), report
