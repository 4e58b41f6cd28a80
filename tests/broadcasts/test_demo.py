"""The demo's broadcasts, and a broadcast to a demo segment through the local gateways."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from broadcasts.enums import Segment
from broadcasts.models import Broadcast
from broadcasts.services import segments, sending
from challenges.models import Challenge
from cms.demo import broadcasts as demo
from notifications import events
from notifications.models import ChannelSettings, Notification, Preference
from submissions.models import Profile

pytestmark = pytest.mark.django_db

TEXTS = {
    "uz": ("Hakamlar eʼlon qilindi", "Hakamlar roʻyxati saytda."),
    "ru": ("Жюри объявлено", "Список жюри на сайте."),
    "en": ("The jury is announced", "The list of jurors is on the site."),
}


def test_the_demo_has_a_sent_and_a_scheduled_broadcast(shared_demo):
    rows = Broadcast.objects.filter(challenge__slug=demo.SLUG)
    sent, scheduled = rows.get(status="sent"), rows.get(status="scheduled")
    assert sent.recipient_count > 0
    assert (
        Notification.objects.filter(
            object_type="broadcasts.broadcast", object_id=str(sent.pk)
        ).count()
        == sent.recipient_count
    )
    assert scheduled.send_at > timezone.now()
    assert not Notification.objects.filter(
        object_type="broadcasts.broadcast", object_id=str(scheduled.pk)
    ).exists()
    for row in (sent, scheduled):
        assert row.languages == ["uz", "ru", "en"]


def test_a_broadcast_to_a_demo_segment_reaches_the_gateways_in_each_language(
    shared_demo, gateway, django_capture_on_commit_callbacks
):
    challenge = Challenge.objects.get(slug=demo.SLUG)
    people = list(
        segments.members(challenge=challenge, segment=Segment.ENTRANTS)
        .filter(profile__isnull=False)
        .order_by("pk")[:3]
    )
    assert len(people) == 3
    chats = {}
    for n, (person, language) in enumerate(zip(people, TEXTS, strict=True)):
        Profile.objects.filter(user=person).update(
            preferred_language=language, phone=f"+998 90 555 00 0{n}"
        )
        ChannelSettings.objects.update_or_create(
            user=person, defaults={"telegram_chat_id": f"77{n}"}
        )
        # SMS is off by default for broadcasts; these three turned it on.
        Preference.objects.update_or_create(
            user=person, event=events.BROADCAST, channel="sms", defaults={"enabled": True}
        )
        chats[language] = (f"99890555000{n}", f"77{n}")
    admin = get_user_model().objects.get(username="admin")
    texts = {}
    for code, (subject, body) in TEXTS.items():
        suffix = "" if code == "uz" else f"_{code}"
        texts[f"subject{suffix}"], texts[f"body{suffix}"] = subject, body
    broadcast = sending.save(
        broadcast=Broadcast(challenge=challenge, segment=Segment.ENTRANTS, **texts), by=admin
    )
    with django_capture_on_commit_callbacks(execute=True):
        sending.schedule(broadcast=broadcast, by=admin)

    delivered = list(gateway.delivered.values())
    for language, (phone, chat) in chats.items():
        subject, body = TEXTS[language]
        sms = [m["text"] for m in delivered if m["kind"] == "sms" and m["to"] == phone]
        telegram = [m["text"] for m in delivered if m["kind"] == "telegram" and m["to"] == chat]
        assert sms == [subject]
        assert len(telegram) == 1
        assert telegram[0].startswith(f"{subject}\n\n{body}")
    broadcast.refresh_from_db()
    assert broadcast.status == "sent"
