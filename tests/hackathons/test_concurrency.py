"""Capacity under concurrency: people registering at the same moment on PostgreSQL (row
locks on the event) never get more places than there are."""

import threading

import pytest
from django.db import close_old_connections, connection

from hackathons.services import registration as reg

from .helpers import hackathon, people

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_simultaneous_registrations_never_exceed_capacity():
    event = hackathon(capacity=3)
    crowd = people(10)
    start = threading.Barrier(len(crowd))
    errors = []

    def register(user):
        try:
            start.wait()
            reg.register(event=event, by=user)
        except Exception as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=register, args=(u,)) for u in crowd]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert reg.places_taken(event) == 3
    assert reg.waitlist(event).count() == 7
