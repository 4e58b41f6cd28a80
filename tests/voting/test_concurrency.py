"""Two requests of one account voting at the same moment: one vote, never two."""

import threading

import pytest
from django.db import connections

from tests.markers import postgres_only
from voting.models import Vote
from voting.services import votes

from .helpers import make_entry, make_vote, voter

pytestmark = [pytest.mark.django_db(transaction=True), postgres_only]


def test_a_concurrent_double_vote_yields_one_vote():
    pc = make_vote()
    entries = [make_entry(pc), make_entry(pc)]
    user = voter()
    barrier = threading.Barrier(2)
    errors = []

    def tab(entry):
        try:
            barrier.wait()
            votes.cast_vote(peoples_choice=pc, entry=entry, by=user, address="192.0.2.1")
        except Exception as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tab, args=(e,)) for e in entries]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Vote.objects.filter(voter=user).count() == 1
    assert Vote.objects.get(voter=user).submission_id in {e.pk for e in entries}


def test_a_burst_cast_all_at_once_is_still_held_back():
    from datetime import timedelta

    from voting.enums import VoteStatus
    from voting.services import fraud

    pc = make_vote()
    entry = make_entry(pc)
    accounts = [voter(age=timedelta(minutes=3)) for _ in range(fraud.BURST_SIZE)]
    barrier = threading.Barrier(len(accounts))
    errors = []

    def bot(user, n):
        try:
            barrier.wait()
            votes.cast_vote(
                peoples_choice=pc,
                entry=entry,
                by=user,
                address=f"198.51.{n}.9",
                user_agent=f"agent {n}",
            )
        except Exception as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=bot, args=(u, n)) for n, u in enumerate(accounts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert set(Vote.objects.values_list("status", flat=True)) == {VoteStatus.HELD}
