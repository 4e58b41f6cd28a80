"""The staff pages: write, preview, send; what staff of another challenge get."""

from datetime import timedelta

import pytest
from django.utils import timezone

from broadcasts.enums import BroadcastStatus
from broadcasts.models import Broadcast
from core.models import AuditEntry
from notifications.models import Notification
from tests.factories import ChallengeFactory

from .helpers import BroadcastFactory, entry, person, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def ch():
    challenge = ChallengeFactory(title="Raqamli mahalla")
    entry(challenge, person("lead_ru", language="ru"), person("member_en", language="en"))
    return challenge


@pytest.fixture
def boss(client, ch):
    from wagtail.users.models import UserProfile

    user = staff("boss", ch)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # the admin in English: these tests read its messages
    profile.save()
    client.force_login(user)
    return user


def test_staff_write_preview_and_send_now(client, ch, boss, django_capture_on_commit_callbacks):
    response = client.post(
        f"/admin/broadcasts/challenge/{ch.pk}/new/",
        {"segment": "entrants", "subject_ru": "Встреча", "body_ru": "Завтра в 10:00."},
    )
    broadcast = Broadcast.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/broadcasts/{broadcast.pk}/"
    assert AuditEntry.objects.filter(action="broadcasts.created", object_id=str(broadcast.pk))

    page = client.get(f"/admin/broadcasts/{broadcast.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Встреча" in text
    assert text.count("Завтра в 10:00.") == 3  # one preview per language, Russian for all
    assert "(Bu xabar sizning tilingizda mavjud emas.)" in text
    assert "(This message is not available in your language.)" in text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/broadcasts/{broadcast.pk}/send/", {"when": "now"})
    assert response.status_code == 302
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.recipient_count) == (BroadcastStatus.SENT, 2)
    assert (
        Notification.objects.filter(
            object_type="broadcasts.broadcast", object_id=str(broadcast.pk)
        ).count()
        == 2
    )
    page = client.get(f"/admin/broadcasts/{broadcast.pk}/")
    assert 'data-count="recipients">2<' in page.content.decode()
    assert 'data-count="delivered">2<' in page.content.decode()  # e-mail, sent eagerly


def test_no_text_is_refused_on_the_form(client, ch, boss):
    response = client.post(f"/admin/broadcasts/challenge/{ch.pk}/new/", {"segment": "entrants"})
    assert response.status_code == 200
    assert "Write the message in at least one language." in response.content.decode()
    assert not Broadcast.objects.exists()


def test_an_empty_segment_is_refused_with_a_message(client, ch, boss):
    broadcast = BroadcastFactory(challenge=ch, segment="jurors")
    response = client.post(f"/admin/broadcasts/{broadcast.pk}/send/", {"when": "now"})
    assert response.status_code == 400
    assert "Nobody is in this group yet" in response.content.decode()
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.DRAFT


def test_a_time_in_the_past_is_refused_and_a_future_one_scheduled(client, ch, boss):
    broadcast = BroadcastFactory(challenge=ch)
    past = timezone.localtime() - timedelta(hours=1)
    response = client.post(
        f"/admin/broadcasts/{broadcast.pk}/send/",
        {"when": "later", "send_at": past.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 400
    assert "Choose a time in the future" in response.content.decode()
    assert Broadcast.objects.get(pk=broadcast.pk).status == BroadcastStatus.DRAFT

    future = timezone.localtime() + timedelta(days=1)
    response = client.post(
        f"/admin/broadcasts/{broadcast.pk}/send/",
        {"when": "later", "send_at": future.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.SCHEDULED
    assert timezone.localtime(broadcast.send_at).strftime("%Y%m%d%H%M") == future.strftime(
        "%Y%m%d%H%M"
    )
    assert not Notification.objects.exists()

    client.post(f"/admin/broadcasts/{broadcast.pk}/unschedule/")
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.send_at) == (BroadcastStatus.DRAFT, None)


def test_a_sent_broadcast_cannot_be_edited(client, ch, boss):
    broadcast = BroadcastFactory(challenge=ch, status="sent", sent_at=timezone.now())
    response = client.post(
        f"/admin/broadcasts/{broadcast.pk}/edit/",
        {"segment": "entrants", "subject": "Yangi", "body": "Yangi matn"},
    )
    assert response.status_code == 302
    assert Broadcast.objects.get(pk=broadcast.pk).subject == "Muhim xabar"


def test_staff_of_another_challenge_get_404(client, ch):
    broadcast = BroadcastFactory(challenge=ch)
    client.force_login(staff("stranger", ChallengeFactory()))
    for url in (
        f"/admin/broadcasts/{broadcast.pk}/",
        f"/admin/broadcasts/{broadcast.pk}/edit/",
        f"/admin/broadcasts/challenge/{ch.pk}/new/",
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(f"/admin/broadcasts/{broadcast.pk}/send/", {"when": "now"}).status_code == 404
    )
    assert "Muhim xabar" not in client.get("/admin/broadcasts/").content.decode()
    assert Broadcast.objects.get(pk=broadcast.pk).status == BroadcastStatus.DRAFT


def test_pages_query_count_does_not_grow_with_rows(client, ch, boss, django_assert_max_num_queries):
    broadcast = BroadcastFactory(challenge=ch)
    client.get("/admin/broadcasts/")  # warm the caches
    with django_assert_max_num_queries(40) as few:
        client.get("/admin/broadcasts/")
        client.get(f"/admin/broadcasts/{broadcast.pk}/")
    for n in range(15):
        BroadcastFactory(challenge=ch)
        entry(ch, person(f"extra{n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/admin/broadcasts/")
        client.get(f"/admin/broadcasts/{broadcast.pk}/")
