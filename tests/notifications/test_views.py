"""The inbox and bell, preferences, Telegram linking and the admin dead-letter view."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from notifications import events
from notifications.enums import DeliveryStatus
from notifications.models import ChannelSettings, Delivery, Notification, Preference
from notifications.services import notify
from tests.factories import PASSWORD, SuperuserFactory, UserFactory

from .conftest import participant

pytestmark = pytest.mark.django_db


def _status(user, title="Aqlli niqob", status="shortlisted"):
    return notify(
        event=events.STATUS_CHANGED,
        recipients=[user],
        context={"title": title, "status": status, "reason": ""},
        channels=[],
    )


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def _url(name, *args, language="en"):
    with translation.override(language):
        return reverse(name, args=args)


def test_inbox_lists_own_notifications_in_the_page_language(client):
    user, other = participant(language="uz"), participant()
    _status(user)
    _status(other, title="Someone else's entry")
    _login(client, user)
    page = client.get(_url("notifications:inbox", language="ru")).content.decode()
    assert "«Aqlli niqob» — в шорт-листе" in page
    assert "Someone else" not in page


def test_bell_shows_the_unread_count(client):
    user = participant()
    _status(user)
    _status(user, status="finalist")
    _login(client, user)
    page = client.get(_url("notifications:inbox")).content.decode()
    assert 'class="badge unread-count">2 unread</span>' in page


def test_opening_a_notification_marks_it_read_and_follows_its_link(client):
    user = participant()
    (notification,) = notify(
        event=events.STATUS_CHANGED,
        recipients=[user],
        context={"title": "X", "status": "winner", "url": "/uz/me/"},
        channels=[],
    )
    _login(client, user)
    response = client.get(_url("notifications:open", notification.pk))
    assert response.status_code == 302
    assert response["Location"] == "/en/me/"  # the link, in the reader's language
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_404(client):
    user, other = participant(), participant()
    (notification,) = _status(other)
    _login(client, user)
    assert client.get(_url("notifications:open", notification.pk)).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_clears_the_bell(client):
    user, other = participant(), participant()
    _status(user)
    _status(other)
    _login(client, user)
    client.post(_url("notifications:mark_all_read"))
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1
    page = client.get(_url("notifications:inbox")).content.decode()
    assert "unread-count" not in page


def test_inbox_queries_do_not_grow_with_rows(client, django_assert_max_num_queries):
    user = participant()
    _login(client, user)
    client.get(_url("notifications:inbox"))  # warm the site and session caches
    counts = []
    for size in (2, 15):
        for _ in range(size):
            _status(user)
        with django_assert_max_num_queries(30) as captured:
            client.get(_url("notifications:inbox"))
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_dashboard_panel_shows_latest_notifications(client):
    user = participant()
    _status(user, status="winner")
    _login(client, user)
    page = client.get(_url("submissions:dashboard")).content.decode()
    assert "congratulations, “Aqlli niqob” is a winner!" in page
    assert _url("notifications:preferences") in page


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(_url("notifications:inbox"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- preferences --------------------------------------------------------------------------
def _preferences_post(**overrides):
    data = {f"{event}:email": "on" for event in events.EVENTS}
    data.update(overrides)
    return data


def test_preferences_show_defaults_and_save_choices(client):
    user = participant()
    _login(client, user)
    page = client.get(_url("notifications:preferences")).content.decode()
    assert 'name="submission.status_changed:sms" id="id_submission.status_changed:sms" checked' in (
        page
    )
    response = client.post(
        _url("notifications:preferences"),
        _preferences_post(quiet_from="22:00", quiet_until="08:00"),
    )
    assert response.status_code == 302
    assert not Preference.objects.get(user=user, event=events.STATUS_CHANGED, channel="sms").enabled
    settings_row = ChannelSettings.objects.get(user=user)
    assert (str(settings_row.quiet_from), str(settings_row.quiet_until)) == ("22:00:00", "08:00:00")
    notify(event=events.STATUS_CHANGED, recipients=[user], context={"title": "X"})
    assert set(Delivery.objects.values_list("channel", flat=True)) == {"email"}


def test_half_quiet_hours_are_refused_and_change_nothing(client):
    user = participant()
    _login(client, user)
    response = client.post(
        _url("notifications:preferences", language="ru"), _preferences_post(quiet_from="22:00")
    )
    assert response.status_code == 200
    assert "Укажите и начало, и конец тихих часов" in response.content.decode()
    assert not Preference.objects.filter(user=user).exists()
    assert not ChannelSettings.objects.filter(user=user, quiet_from__isnull=False).exists()


# --- Telegram -----------------------------------------------------------------------------
def _start(client, code, chat_id=5551234, secret="hook-secret"):  # noqa: S107
    update = {"update_id": 1, "message": {"chat": {"id": chat_id}, "text": f"/start {code}"}}
    return client.post(
        _url("notifications:telegram_webhook"),
        data=json.dumps(update),
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": secret},
    )


def test_telegram_deep_link_links_the_chat_once(
    client, gateway, settings, django_capture_on_commit_callbacks
):
    settings.TANLOV_TELEGRAM_WEBHOOK_SECRET = "hook-secret"
    settings.TANLOV_TELEGRAM_BOT_USERNAME = "TanlovTestBot"
    user = participant(language="ru")
    _login(client, user)
    client.post(_url("notifications:telegram_link"))
    code = ChannelSettings.objects.get(user=user).telegram_code
    page = client.get(_url("notifications:preferences")).content.decode()
    assert f"https://t.me/TanlovTestBot?start={code}" in page

    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        assert _start(client, code).status_code == 200
    row = ChannelSettings.objects.get(user=user)
    assert (row.telegram_chat_id, row.telegram_code) == ("5551234", "")
    (message,) = gateway.delivered.values()
    assert message["to"] == "5551234"
    assert message["text"].startswith("Tanlov: Telegram подключён")

    _start(client, code, chat_id=999)  # the code works once
    assert ChannelSettings.objects.get(user=user).telegram_chat_id == "5551234"


def test_telegram_webhook_refuses_a_wrong_secret(client, settings):
    settings.TANLOV_TELEGRAM_WEBHOOK_SECRET = "hook-secret"
    user = participant()
    ChannelSettings.objects.create(user=user, telegram_code="abc", telegram_code_created_at=None)
    assert _start(client, "abc", secret="guess").status_code == 403
    assert ChannelSettings.objects.get(user=user).telegram_chat_id == ""


def test_unlinking_telegram_stops_telegram_messages(client, gateway):
    user = participant()
    ChannelSettings.objects.create(user=user, telegram_chat_id="42")

    def channels_written():
        (notification,) = notify(
            event=events.STATUS_CHANGED, recipients=[user], context={"title": "X"}
        )
        return set(
            Delivery.objects.filter(notification=notification).values_list("channel", flat=True)
        )

    assert channels_written() == {"email", "sms", "telegram"}  # while linked
    _login(client, user)
    response = client.post(_url("notifications:telegram_unlink"))

    assert response.status_code == 302
    assert ChannelSettings.objects.get(user=user).telegram_chat_id == ""
    assert channels_written() == {"email", "sms"}  # still told, on the other channels


# --- dead letters in the Wagtail admin ----------------------------------------------------
def _failed_sms(user):
    notify(
        event=events.STATUS_CHANGED,
        recipients=[user],
        context={"title": "X", "status": "winner"},
        channels=["sms"],
    )
    delivery = Delivery.objects.filter(notification__recipient=user).get()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.DEAD, attempts=8, last_error="HTTP 503: gateway unavailable"
    )
    return delivery


def test_dead_letter_view_lists_failures_and_sends_again(
    client, gateway, django_capture_on_commit_callbacks
):
    delivery = _failed_sms(participant())
    _login(client, SuperuserFactory())
    page = client.get(reverse("notifications_admin:dead_letters")).content.decode()
    assert "HTTP 503: gateway unavailable" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications_admin:retry", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert list(gateway.delivered) == [str(delivery.idempotency_key)]


def test_dead_letter_view_is_for_staff_with_permission(client, gateway):
    delivery = _failed_sms(participant())
    staff = UserFactory(is_staff=True)
    _login(client, staff)
    assert client.get(reverse("notifications_admin:dead_letters")).status_code in (302, 403)
    assert client.post(reverse("notifications_admin:retry", args=[delivery.pk])).status_code in (
        302,
        403,
    )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DEAD


def test_dead_letter_view_queries_do_not_grow_with_rows(
    client, gateway, django_assert_max_num_queries
):
    _login(client, SuperuserFactory())
    client.get(reverse("notifications_admin:dead_letters"))  # warm the caches
    counts = []
    for size in (2, 12):
        for _ in range(size):
            _failed_sms(participant())
        with django_assert_max_num_queries(60) as captured:
            client.get(reverse("notifications_admin:dead_letters"))
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_demo_notifications_replay_real_history_link_to_it_and_load_once():
    import io

    from cms.demo import notifications as demo
    from cms.demo.users import ensure_users
    from submissions.models import StatusChange, SubmissionVersion, TeamMembership
    from submissions.services.status import change_status
    from tests.factories import SubmissionFactory
    from tests.judging.helpers import assign, make_juror, make_round

    ensure_users()
    alumnus = UserFactory._meta.model.objects.get(username="participant")
    entry = SubmissionFactory(title="Shifo navbat")
    TeamMembership.objects.create(team=entry.team, challenge=entry.challenge, user=alumnus)
    version = SubmissionVersion.objects.create(
        submission=entry, number=1, data={}, files=[], created_by=entry.owner
    )
    entry.current_version, entry.status = version, "submitted"
    entry.save()
    StatusChange.objects.create(submission=entry, from_status="draft", to_status="submitted")
    change_status(submission=entry, status="shortlisted", by=None)  # the flow notifies
    round_ = make_round(entry.challenge)
    juror = make_juror(entry.challenge, user=UserFactory._meta.model.objects.get(username="juror"))
    assign(round_, juror, [entry])
    sent = Delivery.objects.count()

    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())

    mine = Notification.objects.filter(recipient=alumnus).order_by("created_at")
    # Received (replayed, dated when it was) and shortlisted (sent by the flow, not twice).
    assert [n.event for n in mine] == [events.SUBMISSION_RECEIVED, events.STATUS_CHANGED]
    assert {n.link for n in mine} == {reverse("submissions:entry", args=[entry.pk])}
    assert mine[0].created_at == version.created_at
    (assigned,) = Notification.objects.filter(recipient__username="juror")
    assert assigned.link == reverse("judging:queue", args=[round_.pk])
    assert assigned.event == events.JUROR_ASSIGNED
    assert Delivery.objects.count() == sent  # the demo itself sends nothing


def test_names_in_a_message_are_in_the_readers_language_not_the_senders():
    from judging.services.assignments import add_assignment
    from notifications.messages import render
    from tests.judging.helpers import make_entries, make_juror, make_round

    round_ = make_round()
    round_.name, round_.name_ru, round_.name_en = "Final bosqich", "Финал", "Final"
    round_.save()
    (entry,) = make_entries(round_.challenge, 1)
    juror = make_juror(round_.challenge)
    with translation.override("en"):  # staff work in English
        add_assignment(round_=round_, juror=juror, submission=entry, by=SuperuserFactory())
    (sent,) = Notification.objects.filter(event=events.JUROR_ASSIGNED)

    assert "Финал" in render(sent, language="ru").text
    assert "Final bosqich" in render(sent, language="uz").text
    assert "Final" in render(sent, language="en").text
    assert render(sent, language="ru").link.endswith(f"/ru/judging/round/{round_.pk}/")
