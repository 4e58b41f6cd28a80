"""The Telegram webhook given updates Telegram never sends: a 400 (or a quiet 200 for a
``/start`` whose code cannot be ours), nothing linked — never a 500, on SQLite and PG."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import ChannelSettings

from .conftest import participant

pytestmark = pytest.mark.django_db
SECRET = "hook-secret"


@pytest.fixture
def code(settings):
    settings.TANLOV_TELEGRAM_WEBHOOK_SECRET = SECRET
    row = ChannelSettings.objects.create(
        user=participant(), telegram_code="abc", telegram_code_created_at=timezone.now()
    )
    return row.telegram_code


def _post(client, body, secret=SECRET):
    return client.post(
        reverse("notifications:telegram_webhook"),
        data=body if isinstance(body, str | bytes) else json.dumps(body),
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": secret},
    )


def _linked():
    return list(ChannelSettings.objects.exclude(telegram_chat_id="").values_list("user", flat=True))


@pytest.mark.parametrize(
    "update",
    [
        [{"message": {"chat": {"id": 1}, "text": "/start abc"}}],
        "[" * 100_000 + "]" * 100_000,
        {"message": "/start abc"},
        {"message": ["/start abc"]},
        {"message": 7},
        {"message": {"chat": {"id": 1}, "text": ["/start abc"]}},
        {"message": {"chat": {"id": 1}, "text": {"start": "abc"}}},
        {"message": {"chat": {"id": 1}, "text": 12}},
        {"message": {"chat": [1], "text": "/start abc"}},
        {"message": {"chat": {"id": {"a": 1}}, "text": "/start abc"}},
        {"message": {"chat": {"id": "1" * 80}, "text": "/start abc"}},
        {"message": {"chat": {"id": True}, "text": "/start abc"}},
        {"message": {"chat": {"id": 10**40}, "text": "/start abc"}},
    ],
)
def test_an_update_of_the_wrong_shape_is_refused(client, code, update):
    assert _post(client, update).status_code == 400
    assert _linked() == []


@pytest.mark.parametrize("text", ["/start ab\x00c", "/start abc\x00", "/start \x00", "/start x y"])
def test_a_start_code_that_cannot_be_ours_is_ignored(client, code, text):
    answer = _post(client, {"message": {"chat": {"id": 5}, "text": text}})

    assert answer.status_code == 200
    assert _linked() == []


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 1, "edited_message": {"chat": {"id": 5}, "text": "hi"}},
        {"update_id": 2, "message": {"chat": {"id": 5}, "photo": [{"file_id": "x"}]}},
        {"update_id": 3, "message": None},
    ],
)
def test_updates_we_do_not_handle_are_acknowledged(client, code, update):
    assert _post(client, update).status_code == 200
    assert _linked() == []


def test_a_wrong_secret_of_the_right_length_is_refused(client, code):
    assert _post(client, {}, secret="hook-secreT").status_code == 403
    assert _linked() == []
