"""Redis goes down while notifications are queued and while a web request records one."""

import pytest
from django.db import transaction

from challenges.services.regions import ensure_regions
from notifications import events
from notifications.enums import Channel, DeliveryStatus
from notifications.models import ChannelSettings, Delivery
from notifications.services import notify
from notifications.tasks import sweep
from tests import factories
from tests.submissions.builders import open_challenge, team_entry

from .conftest import wait_for
from .helpers import Browser

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def _all_sent(expected):
    statuses = list(Delivery.objects.values_list("status", flat=True))
    return len(statuses) == expected and set(statuses) == {DeliveryStatus.SENT}


def _sms_keys():
    return _keys(Delivery.objects.filter(channel=Channel.SMS))


def _keys(rows):
    return {str(key) for key in rows.values_list("idempotency_key", flat=True)}


def _sweep_and_wait(stack, expected, what):
    sweep.apply_async(queue=stack.queue)  # what beat does every minute
    wait_for(lambda: _all_sent(expected), timeout=90, what=what)


def test_redis_down_while_notifications_are_queued(stack):
    ensure_regions()
    users = [factories.participant(phone=f"+998 93 {n:03d} 00 00") for n in range(30)]
    with transaction.atomic():  # no worker yet: the messages wait in Redis
        notify(
            event=events.STATUS_CHANGED,
            recipients=users,
            context={"title": "Aqlli niqob", "status": "not_selected"},
            channels=["sms"],
        )
    assert stack.redis.ping()
    stack.redis.kill()  # the queue and its messages are gone
    stack.redis.start()
    stack.worker()
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 30  # the outbox

    _sweep_and_wait(stack, 30, "the sweeper to deliver the outbox")

    keys = _sms_keys()
    assert set(stack.gateway.delivered) == keys  # each one delivered …
    assert len(stack.gateway.requests) == 30  # … and sent once
    _sweep_and_wait(stack, 30, "a second sweep to change nothing")
    assert len(stack.gateway.requests) == 30


def test_redis_down_while_a_web_request_records_one(stack):
    entry = team_entry(open_challenge(pitch_required=False), title="Mehr", members=2)
    members = [entry.team.lead, *(m.user for m in entry.team.memberships.all())]
    for n, user in enumerate({u.pk: u for u in members}.values()):
        ChannelSettings.objects.create(user=user, telegram_chat_id=f"50{n}")
    # The web process caches in the same Redis, as production does (sessions, headers,
    # rate limits): its outage must read as an empty cache, not break the page.
    web = stack.gunicorn(workers=1, TANLOV_TEST_CACHE_REDIS_URL=stack.redis.url)
    browser = Browser(web, entry.owner)
    assert browser.http.get(browser.url("submissions:entry", entry.pk), timeout=30).ok

    stack.redis.kill()
    answer = browser.submit(entry, title="Mehr")

    assert answer.status_code == 302  # the submit succeeded …
    entry.refresh_from_db()
    assert entry.status == "submitted"
    rows = Delivery.objects.all()
    received = rows.filter(notification__event=events.SUBMISSION_RECEIVED)
    recipients = len({u.pk for u in members})
    assert received.filter(channel=Channel.TELEGRAM).count() == recipients  # … its outbox too
    assert set(rows.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
    assert stack.gateway.requests == []
    expected = rows.count()
    telegram = _keys(rows.filter(channel=Channel.TELEGRAM))

    stack.redis.start()
    stack.worker()
    _sweep_and_wait(stack, expected, "the sweeper to deliver the submit's notifications")

    assert set(stack.gateway.delivered) == telegram
    assert len(stack.gateway.requests) == len(telegram)  # exactly once each
    _sweep_and_wait(stack, expected, "a second sweep to change nothing")
    assert len(stack.gateway.requests) == len(telegram)
