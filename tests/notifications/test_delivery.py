"""The outbox's promises, against a real HTTP gateway on loopback."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import events
from notifications.delivery import gateway_answered
from notifications.enums import DeliveryStatus
from notifications.models import Broadcast, ChannelSettings, Delivery, Notification, Preference
from notifications.services import notify
from notifications.tasks import deliver_task, sweep

from .conftest import participant

pytestmark = pytest.mark.django_db


def _notify_winner(users, channels=("sms",)):
    return notify(
        event=events.STATUS_CHANGED,
        recipients=users,
        context={"title": "Aqlli niqob", "status": "winner", "reason": ""},
        channels=list(channels),
    )


def _sms_delivery():
    return Delivery.objects.get(channel="sms")


def _wait_until_due(delivery):
    delivery.refresh_from_db()
    pause = (delivery.next_attempt_at - timezone.now()).total_seconds()
    time.sleep(max(0.0, pause) + 0.02)


def test_event_in_rolled_back_transaction_sends_nothing(
    gateway, django_capture_on_commit_callbacks
):
    user = participant()

    def change_status_then_fail():
        with transaction.atomic():
            _notify_winner([user], channels=("sms", "email"))
            raise RuntimeError("the status change failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        change_status_then_fail()
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert gateway.requests == []
    assert mail.outbox == []


def test_event_after_commit_is_delivered_once(gateway, django_capture_on_commit_callbacks):
    user = participant(phone="+998 (90) 123-45-67")
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner([user])
    delivery = _sms_delivery()
    assert delivery.status == DeliveryStatus.SENT
    assert list(gateway.delivered) == [str(delivery.idempotency_key)]
    assert gateway.delivered[str(delivery.idempotency_key)]["to"] == "998901234567"


def test_gateway_failing_twice_then_accepting_yields_one_delivery(
    gateway, django_capture_on_commit_callbacks
):
    gateway.plan("503", "502")
    user = participant()
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner([user])
    delivery = _sms_delivery()
    assert delivery.status == DeliveryStatus.PENDING
    assert "HTTP 503" in delivery.last_error
    for _ in range(2):  # the sweeper picks the row up when its backoff has passed
        _wait_until_due(delivery)
        sweep()
    delivery.refresh_from_db()
    key = str(delivery.idempotency_key)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 3
    assert len(gateway.requests_for(key)) == 3
    assert list(gateway.delivered) == [key]


def test_backoff_doubles_between_attempts(gateway, django_capture_on_commit_callbacks, settings):
    settings.TANLOV_NOTIFICATIONS_BACKOFF_BASE = 0.2
    gateway.plan("500", "500")
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner([participant()])
    delivery = _sms_delivery()
    first_wait = (delivery.next_attempt_at - delivery.updated_at).total_seconds()
    _wait_until_due(delivery)
    sweep()
    delivery.refresh_from_db()
    second_wait = (delivery.next_attempt_at - delivery.updated_at).total_seconds()
    assert 0.17 <= first_wait <= 0.23
    assert 0.35 <= second_wait <= 0.45


def test_429_is_retried_after_its_retry_after(gateway, django_capture_on_commit_callbacks):
    gateway.plan(("429", 1))
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner([participant()])
    delivery = _sms_delivery()
    key = str(delivery.idempotency_key)
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 0.8 <= wait <= 1.0
    sweep()  # too early: the gateway asked for a second
    assert len(gateway.requests_for(key)) == 1
    _wait_until_due(delivery)
    sweep()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(gateway.requests_for(key)) == 2
    assert list(gateway.delivered) == [key]


def test_telegram_429_uses_retry_after_from_the_body(gateway, django_capture_on_commit_callbacks):
    user = participant()
    ChannelSettings.objects.create(user=user, telegram_chat_id="4242")
    gateway.plan(("429", 2))
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner([user], channels=("telegram",))
    delivery = Delivery.objects.get(channel="telegram")
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert delivery.status == DeliveryStatus.PENDING
    assert 1.7 <= wait <= 2.0


def test_permanent_failure_stops_retries(gateway, django_capture_on_commit_callbacks):
    gateway.plan("reject")
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner([participant()])
    delivery = _sms_delivery()
    key = str(delivery.idempotency_key)
    assert delivery.status == DeliveryStatus.FAILED
    assert "invalid phone number" in delivery.last_error
    time.sleep(0.2)
    assert sweep() == 0
    deliver_task.delay([delivery.pk])  # even a stray task does not send it again
    assert len(gateway.requests_for(key)) == 1
    assert gateway.delivered == {}


def test_blocked_telegram_bot_fails_and_unlinks_the_chat(
    gateway, django_capture_on_commit_callbacks
):
    user = participant()
    ChannelSettings.objects.create(user=user, telegram_chat_id="777")
    gateway.plan("reject")
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner([user], channels=("telegram",))
    delivery = Delivery.objects.get(channel="telegram")
    assert delivery.status == DeliveryStatus.FAILED
    assert "blocked" in delivery.last_error
    assert ChannelSettings.objects.get(user=user).telegram_chat_id == ""


def test_retries_stop_at_the_maximum(gateway, django_capture_on_commit_callbacks, settings):
    settings.TANLOV_NOTIFICATIONS_MAX_ATTEMPTS = 3
    gateway.plan("503", "503", "503", "503")
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner([participant()])
    delivery = _sms_delivery()
    for _ in range(4):
        _wait_until_due(delivery)
        sweep()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DEAD
    assert len(gateway.requests_for(str(delivery.idempotency_key))) == 3


def test_gateway_timeout_is_retried(gateway, django_capture_on_commit_callbacks, settings):
    settings.TANLOV_SMS_TIMEOUT = 0.3
    gateway.plan(("timeout", 0.6))
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner([participant()])
    delivery = _sms_delivery()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error == "timeout"
    _wait_until_due(delivery)
    sweep()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert list(gateway.delivered) == [str(delivery.idempotency_key)]


class WorkerDied(Exception):
    pass


def test_worker_dying_after_the_gateway_call_does_not_send_twice(gateway, settings):
    """The gateway accepted the message, then the worker died before recording ``sent``."""
    settings.TANLOV_NOTIFICATIONS_CLAIM_SECONDS = 1
    _notify_winner([participant()])
    delivery = _sms_delivery()
    key = str(delivery.idempotency_key)

    def die(sender, **kwargs):
        raise WorkerDied

    gateway_answered.connect(die)
    try:
        with pytest.raises(WorkerDied):
            deliver_task.delay([delivery.pk])
    finally:
        gateway_answered.disconnect(die)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENDING  # the worker never recorded the outcome
    assert sweep() == 0  # its claim is still valid: nobody else may send
    time.sleep(1.05)
    assert sweep() == 1  # the claim expired: the sweeper hands the row to a new worker
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(gateway.requests_for(key)) == 2  # sent twice, with the same key …
    assert len(gateway.delivered) == 1  # … so the gateway delivered one message


def test_duplicate_task_for_a_sent_row_sends_nothing(gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner([participant()])
    delivery = _sms_delivery()
    deliver_task.delay([delivery.pk])
    deliver_task.delay([delivery.pk])
    assert len(gateway.requests_for(str(delivery.idempotency_key))) == 1


def test_messages_arrive_in_the_recipients_language(gateway, django_capture_on_commit_callbacks):
    uzbek = participant(language="uz", phone="901111111")
    russian = participant(language="ru", phone="902222222")
    english = participant(language="en", phone="903333333")
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner([uzbek, russian, english], channels=("sms", "email"))
    texts = {m["to"]: m["text"] for m in gateway.delivered.values()}
    assert texts["998901111111"].startswith("Tanlov: tabriklaymiz, “Aqlli niqob” gʻolib boʻldi!")
    assert texts["998902222222"].startswith("Tanlov: поздравляем, «Aqlli niqob» — победитель!")
    assert texts["998903333333"].startswith("Tanlov: congratulations, “Aqlli niqob” is a winner!")
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[russian.email] == "Tanlov: поздравляем, «Aqlli niqob» — победитель!"
    russian_mail = next(m for m in mail.outbox if m.to == [russian.email])
    html = russian_mail.alternatives[0][0]
    assert '<html lang="ru">' in html
    assert "Ваша заявка среди победителей" in html


def test_email_carries_the_idempotency_key_as_message_id(
    gateway, django_capture_on_commit_callbacks
):
    user = participant()
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner([user], channels=("email",))
    delivery = Delivery.objects.get(channel="email")
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<{delivery.idempotency_key}@")
    assert delivery.status == DeliveryStatus.SENT


def test_channel_rate_limit_spreads_sends_over_windows(
    gateway, django_capture_on_commit_callbacks, settings
):
    settings.TANLOV_SMS_RATE_LIMIT = 3
    users = [participant(phone=f"90{n:07d}") for n in range(7)]
    started = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner(users)
    assert len(gateway.delivered) == 7
    # 7 messages at 3 per one-second window need three windows: at least the third opens.
    assert time.time() - int(started) >= 2.0
    seconds = [int(t) for *_rest, t in gateway.requests]
    assert seconds == sorted(seconds)


def test_quiet_hours_hold_sms_but_not_email(gateway, django_capture_on_commit_callbacks):
    user = participant()
    now = timezone.localtime()
    ChannelSettings.objects.create(
        user=user,
        quiet_from=(now - timedelta(hours=1)).time(),
        quiet_until=(now + timedelta(hours=1)).time().replace(second=0, microsecond=0),
    )
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner([user], channels=("sms", "email"))
    sms = _sms_delivery()
    assert gateway.requests == []
    assert sms.status == DeliveryStatus.PENDING
    assert sms.attempts == 0
    assert timedelta(minutes=58) < sms.next_attempt_at - timezone.now() <= timedelta(hours=1)
    assert len(mail.outbox) == 1


def test_preferences_choose_the_channels(gateway, django_capture_on_commit_callbacks):
    user = participant()
    Preference.objects.create(user=user, event=events.STATUS_CHANGED, channel="sms", enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(event=events.STATUS_CHANGED, recipients=[user], context={"title": "X"})
    channels = set(Delivery.objects.values_list("channel", flat=True))
    assert channels == {"email"}  # SMS turned off; Telegram not linked
    assert gateway.requests == []


def test_sms_is_off_by_default_for_routine_events(gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(event=events.SUBMISSION_RECEIVED, recipients=[participant()], context={"title": "X"})
    assert set(Delivery.objects.values_list("channel", flat=True)) == {"email"}


def test_invalid_phone_is_recorded_as_failed_and_never_sent(
    gateway, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner([participant(phone="12-34")])
    delivery = _sms_delivery()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error == "invalid phone number"
    assert gateway.requests == []


def test_playmobile_style_payload_is_deduplicated_on_message_id(
    gateway, django_capture_on_commit_callbacks, settings
):
    settings.TANLOV_SMS_STYLE = "playmobile"
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner([participant(phone="998909998877")])
    delivery = _sms_delivery()
    (_kind, _key, payload, _at) = gateway.requests[0]
    assert payload["messages"][0]["message-id"] == str(delivery.idempotency_key)
    assert payload["messages"][0]["recipient"] == "998909998877"
    assert delivery.status == DeliveryStatus.SENT


def test_invitation_to_an_address_without_account_goes_by_email(
    gateway, django_capture_on_commit_callbacks
):
    inviter = participant()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event=events.TEAM_INVITATION,
            recipients=[],
            email="new@example.org",
            context={
                "team": "Yulduz",
                "challenge": "Open Data",
                "token": "abc123",
                "invited_by": "Aziz",
                "language": "en",
            },
            by=inviter,
        )
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert mail.outbox[0].subject == "Tanlov: Aziz invites you to the team “Yulduz”"
    assert "/en/me/invitation/abc123/" in mail.outbox[0].body


def test_notify_writes_a_fixed_number_of_queries(
    gateway, django_assert_num_queries, django_capture_on_commit_callbacks
):
    for size in (3, 30):
        users = [participant(phone=f"91{size:03d}{n:04d}") for n in range(size)]
        with django_assert_num_queries(4), django_capture_on_commit_callbacks() as callbacks:
            _notify_winner(users, channels=("sms", "email", "telegram"))
        assert len(callbacks) == 1


def test_bulk_send_is_batched(gateway, django_capture_on_commit_callbacks, settings):
    settings.TANLOV_NOTIFICATIONS_BATCH_SIZE = 10
    users = [participant(phone=f"93{n:07d}") for n in range(35)]
    with django_capture_on_commit_callbacks(execute=True):
        _notify_winner(users)
    assert len(gateway.delivered) == 35
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 35


def test_large_send_writes_one_row_in_the_request_and_the_rest_after_commit(
    gateway, django_capture_on_commit_callbacks, django_assert_num_queries, settings
):
    settings.TANLOV_NOTIFICATIONS_BROADCAST_THRESHOLD = 5
    users = [participant(phone=f"95{n:07d}") for n in range(12)]
    with django_assert_num_queries(1), django_capture_on_commit_callbacks() as callbacks:
        _notify_winner(users)  # what the web request pays: one INSERT, whatever the count
    assert Broadcast.objects.count() == 1
    assert Notification.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):  # the expansion's own commit
        for callback in callbacks:
            callback()
    assert len(gateway.delivered) == 12
    assert Notification.objects.count() == 12
    assert Broadcast.objects.get().expanded_at is not None


def test_sweeper_expands_a_broadcast_whose_task_never_came(
    gateway, settings, django_capture_on_commit_callbacks
):
    settings.TANLOV_NOTIFICATIONS_BROADCAST_THRESHOLD = 2
    _notify_winner([participant(phone=f"96{n:07d}") for n in range(4)])  # callbacks dropped
    assert gateway.requests == []
    with django_capture_on_commit_callbacks(execute=True):
        sweep()
    with django_capture_on_commit_callbacks(execute=True):
        sweep()  # a second run finds it expanded and sends nothing more
    assert len(gateway.delivered) == 4
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 4
