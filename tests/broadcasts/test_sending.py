"""Sending a broadcast: languages and the visible fallback, once only, counts, bad input."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from broadcasts.enums import BroadcastStatus
from broadcasts.models import Broadcast
from broadcasts.services import sending
from broadcasts.tasks import send, send_due
from core.errors import Conflict, NotAllowed, Refused
from core.models import AuditEntry
from notifications.messages import render
from notifications.models import Delivery, Notification
from notifications.selectors import counts_for

from .helpers import BroadcastFactory, entry, person, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    from tests.factories import ChallengeFactory

    ch = ChallengeFactory()
    people = {lang: person(f"reader_{lang}", language=lang) for lang in ("uz", "ru", "en")}
    entry(ch, people["uz"], people["ru"], people["en"])
    return ch, people, staff("boss", ch)


def _send_now(broadcast, by, capture):
    with capture(execute=True):
        sending.schedule(broadcast=broadcast, by=by)
    broadcast.refresh_from_db()
    return broadcast


def test_each_recipient_gets_their_language(setup, django_capture_on_commit_callbacks):
    ch, people, boss = setup
    broadcast = _send_now(BroadcastFactory(challenge=ch), boss, django_capture_on_commit_callbacks)
    assert broadcast.status == BroadcastStatus.SENT
    assert broadcast.recipient_count == 3
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        people["uz"].email: "Muhim xabar",
        people["ru"].email: "Важное сообщение",
        people["en"].email: "Important news",
    }
    body = next(m.body for m in mail.outbox if m.to[0] == people["ru"].email)
    assert "Завтра в 10:00 онлайн-встреча." in body
    assert "недоступно" not in body


def test_an_empty_language_falls_back_with_a_note_in_the_readers_language(
    setup, django_capture_on_commit_callbacks
):
    ch, people, boss = setup
    broadcast = BroadcastFactory(challenge=ch, subject_ru="", body_ru="", subject="", body="")
    _send_now(broadcast, boss, django_capture_on_commit_callbacks)
    by_reader = {m.to[0]: m for m in mail.outbox}
    ru, uz, en = (by_reader[people[code].email] for code in ("ru", "uz", "en"))
    # Only English was written: Russian and Uzbek readers get it, told so in their language.
    assert ru.subject == uz.subject == en.subject == "Important news"
    assert "(Это сообщение недоступно на вашем языке.)" in ru.body
    assert "(Bu xabar sizning tilingizda mavjud emas.)" in uz.body
    assert "not available" not in en.body
    assert "There is an online meeting tomorrow at 10:00." in ru.body


def test_sending_twice_writes_one_message_per_recipient(setup, django_capture_on_commit_callbacks):
    ch, _people, boss = setup
    broadcast = _send_now(BroadcastFactory(challenge=ch), boss, django_capture_on_commit_callbacks)
    sent_at = broadcast.sent_at
    # The task delivered twice (a duplicate message, the periodic task racing it), and again.
    assert send(broadcast.pk) is None
    assert send_due() == 0
    assert sending.deliver(broadcast_id=broadcast.pk) is None
    assert (
        Notification.objects.filter(
            object_type="broadcasts.broadcast", object_id=str(broadcast.pk)
        ).count()
        == 3
    )
    assert len(mail.outbox) == 3
    broadcast.refresh_from_db()
    assert broadcast.sent_at == sent_at
    assert (
        AuditEntry.objects.filter(action="broadcasts.sent", object_id=str(broadcast.pk)).count()
        == 1
    )


def test_counts_queued_delivered_failed(setup, django_capture_on_commit_callbacks):
    ch, people, boss = setup
    broadcast = _send_now(BroadcastFactory(challenge=ch), boss, django_capture_on_commit_callbacks)
    assert counts_for(broadcast) == {
        "recipients": 3,
        "queued": 3,
        "delivered": 3,
        "failed": 0,
        "waiting": 0,
    }
    Delivery.objects.filter(notification__recipient=people["ru"]).update(status="dead")
    counts = counts_for(broadcast)
    assert (counts["delivered"], counts["failed"]) == (2, 1)


def test_a_scheduled_broadcast_waits_for_its_time(setup, django_capture_on_commit_callbacks):
    ch, _people, boss = setup
    broadcast = BroadcastFactory(challenge=ch)
    at = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sending.schedule(broadcast=broadcast, by=boss, send_at=at)
    assert callbacks == []  # nothing queued for now; the periodic task sends it when due
    assert send_due() == 0
    assert Notification.objects.count() == 0
    Broadcast.objects.filter(pk=broadcast.pk).update(send_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due() == 1
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.SENT
    assert len(mail.outbox) == 3


def test_preview_renders_one_message_per_language(setup):
    ch, _people, _boss = setup
    count, previews = sending.preview(BroadcastFactory(challenge=ch, subject_en="", body_en=""))
    assert count == 3
    assert [code for code, _message in previews] == ["uz", "ru", "en"]
    messages = dict(previews)
    assert messages["ru"].subject == "Важное сообщение"
    assert messages["en"].subject == "Muhim xabar"  # English empty: the Uzbek text …
    assert "(This message is not available in your language.)" in messages["en"].text


# --- bad input ----------------------------------------------------------------------------
def test_no_text_in_any_language_is_refused(setup):
    ch, _people, boss = setup
    broadcast = Broadcast(challenge=ch, segment="entrants")
    with pytest.raises(Refused) as caught:
        sending.save(broadcast=broadcast, by=boss)
    assert caught.value.code == "no_text"
    assert Broadcast.objects.count() == 0


def test_a_subject_without_a_message_is_refused(setup):
    ch, _people, boss = setup
    with pytest.raises(Refused) as caught:
        sending.save(
            broadcast=Broadcast(challenge=ch, segment="entrants", subject_ru="Тема"), by=boss
        )
    assert (caught.value.code, caught.value.field) == ("half_written", "body_ru")


def test_a_segment_with_nobody_is_refused(setup, django_capture_on_commit_callbacks):
    ch, _people, boss = setup
    broadcast = BroadcastFactory(challenge=ch, segment="finalists")
    with pytest.raises(Refused) as caught:
        sending.schedule(broadcast=broadcast, by=boss)
    assert caught.value.code == "empty_segment"
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.DRAFT


def test_a_time_in_the_past_is_refused(setup):
    ch, _people, boss = setup
    broadcast = BroadcastFactory(challenge=ch)
    with pytest.raises(Refused) as caught:
        sending.schedule(
            broadcast=broadcast, by=boss, send_at=timezone.now() - timedelta(minutes=1)
        )
    assert caught.value.code == "past"
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.send_at) == (BroadcastStatus.DRAFT, None)


def test_a_sent_broadcast_cannot_be_changed_or_sent_again(
    setup, django_capture_on_commit_callbacks
):
    ch, _people, boss = setup
    broadcast = _send_now(BroadcastFactory(challenge=ch), boss, django_capture_on_commit_callbacks)
    broadcast.subject = "Boshqa"
    with pytest.raises(Conflict):
        sending.save(broadcast=broadcast, by=boss)
    with pytest.raises(Conflict):
        sending.schedule(broadcast=broadcast, by=boss)
    assert Broadcast.objects.get(pk=broadcast.pk).subject == "Muhim xabar"


def test_staff_of_another_challenge_may_not_send(setup):
    ch, _people, _boss = setup
    from tests.factories import ChallengeFactory

    stranger = staff("stranger", ChallengeFactory())
    broadcast = BroadcastFactory(challenge=ch)
    with pytest.raises(NotAllowed):
        sending.schedule(broadcast=broadcast, by=stranger)
    with pytest.raises(NotAllowed):
        sending.save(
            broadcast=Broadcast(challenge=ch, segment="entrants", subject="a", body="b"),
            by=stranger,
        )


def test_the_inbox_renders_in_the_readers_language(setup, django_capture_on_commit_callbacks):
    ch, people, boss = setup
    broadcast = _send_now(BroadcastFactory(challenge=ch), boss, django_capture_on_commit_callbacks)
    notification = Notification.objects.get(
        object_type="broadcasts.broadcast", object_id=str(broadcast.pk), recipient=people["uz"]
    )
    assert render(notification, language="en").subject == "Important news"
