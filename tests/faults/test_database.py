"""PostgreSQL drops the connection in the middle of a submit; /healthz while it is gone."""

import threading

import psycopg
import pytest
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext

from notifications.models import Notification
from submissions.models import SubmissionVersion
from tests.submissions.builders import open_challenge, team_entry

from .conftest import wait_for
from .helpers import Browser, audit_count, web_health
from .services import PrivatePostgres

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

UNAVAILABLE = (
    "The service is briefly unavailable, so what you just did may not have been completed. "
    "Nothing saved before is lost. Please try again in a minute."
)


def _second_connection(autocommit=False):
    params = connection.settings_dict
    return psycopg.connect(
        autocommit=autocommit,
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"] or "postgres",
        dbname=params["NAME"],
    )


def _waiting_backend(monitor):
    rows = monitor.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND query LIKE %s",
        [f'INSERT INTO "{SubmissionVersion._meta.db_table}"%'],
    ).fetchall()
    return rows[0][0] if rows else None


def test_database_connection_dropped_in_the_middle_of_a_submit(stack):
    entry = team_entry(open_challenge(pitch_required=False), title="Mehr")
    web = stack.gunicorn(workers=1)
    browser = Browser(web, entry.owner, language="ru")
    answers = {}

    # A second connection holds the versions table: the submit locks the entry, then
    # waits to insert its version; there the app's connection is terminated (by a third,
    # in autocommit: pg_stat_activity is a snapshot per transaction).
    blocker, monitor = _second_connection(), _second_connection(autocommit=True)
    thread = threading.Thread(
        target=lambda: answers.update(first=browser.submit(entry, title="Mehr")), daemon=True
    )
    try:
        blocker.execute(f'LOCK TABLE "{SubmissionVersion._meta.db_table}" IN SHARE MODE')
        thread.start()
        found = {}
        wait_for(
            lambda: found.update(pid=_waiting_backend(monitor)) or found["pid"],
            timeout=60,
            what="the submit to wait on the versions table",
        )
        monitor.execute("SELECT pg_terminate_backend(%s)", [found["pid"]])
    finally:
        blocker.rollback()
        blocker.close()
        thread.join(timeout=60)
        monitor.close()

    first = answers["first"]
    assert first.status_code == 503
    assert first.headers["Retry-After"] == "30"
    with translation.override("ru"):
        message = gettext(UNAVAILABLE)
    assert '<html lang="ru">' in first.text
    assert message in first.text.replace("\n", " ")
    assert "Traceback" not in first.text
    # Nothing half-written: no version, no audit entry, no notification; still a draft.
    entry.refresh_from_db()
    assert (entry.status, entry.current_version_id) == ("draft", None)
    assert SubmissionVersion.objects.filter(submission=entry).count() == 0
    assert audit_count("submissions.entry.submitted") == 0
    assert Notification.objects.count() == 0

    again = browser.submit(entry, title="Mehr")  # the next try opens a new connection
    assert again.status_code == 302, again.text[:2000]
    entry.refresh_from_db()
    assert entry.status == "submitted"
    assert list(SubmissionVersion.objects.filter(submission=entry).values_list("number")) == [(1,)]
    assert audit_count("submissions.entry.submitted") == 1
    assert Notification.objects.filter(event="submission.received").count() == 1


def test_healthz_reports_each_outage_while_it_lasts(stack):
    """Database (a private cluster, stopped and started), storage and broker, one by one."""
    with PrivatePostgres() as postgres:
        web = stack.gunicorn(workers=1, DATABASE_URL=postgres.url())

        def parts():
            report = web_health(web)
            return report["status"], {
                name: report[name]["ok"] for name in ("database", "storage", "broker")
            }

        everything = {"database": True, "storage": True, "broker": True}
        assert parts() == ("ok", everything)

        postgres.stop()
        assert parts() == ("fail", {**everything, "database": False})
        postgres.start()
        assert parts() == ("ok", everything)

        with stack.s3.outage():
            assert parts() == ("fail", {**everything, "storage": False})
        assert parts() == ("ok", everything)

        stack.redis.kill()
        assert parts() == ("fail", {**everything, "broker": False})
        stack.redis.start()
        assert parts() == ("ok", everything)
