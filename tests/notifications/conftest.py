import functools
import uuid

import pytest

from tests import factories

from .gateway import TELEGRAM_TOKEN, Gateway


@pytest.fixture(scope="session")
def _gateway_server():
    server = Gateway().start()
    yield server
    server.stop()


@pytest.fixture
def gateway(_gateway_server, settings):
    """The local SMS gateway and Telegram API, wired into the settings, fresh for each test."""
    _gateway_server.reset()
    settings.TANLOV_SMS_URL = _gateway_server.sms_url
    settings.TANLOV_SMS_TIMEOUT = 1.0
    settings.TANLOV_TELEGRAM_API_URL = _gateway_server.url
    settings.TANLOV_TELEGRAM_BOT_TOKEN = TELEGRAM_TOKEN
    settings.TANLOV_TELEGRAM_TIMEOUT = 1.0
    settings.TANLOV_SMS_RATE_LIMIT = 0
    settings.TANLOV_TELEGRAM_RATE_LIMIT = 0
    settings.TANLOV_NOTIFICATIONS_BACKOFF_BASE = 0.05
    settings.TANLOV_NOTIFICATIONS_SWEEP_GRACE = 0
    settings.TANLOV_NOTIFICATIONS_REDIS_PREFIX = f"tanlov-test-{uuid.uuid4().hex}"
    yield _gateway_server
    _gateway_server.reset()


@pytest.fixture
def notification_worker(gateway, monkeypatch, request):
    """A real Celery worker whose settings point at the local gateway."""
    monkeypatch.setenv("TANLOV_SMS_URL", gateway.sms_url)
    monkeypatch.setenv("TANLOV_TELEGRAM_API_URL", gateway.url)
    monkeypatch.setenv("TANLOV_TELEGRAM_BOT_TOKEN", TELEGRAM_TOKEN)
    monkeypatch.setenv("TANLOV_SMS_RATE_LIMIT", "0")
    monkeypatch.setenv("TANLOV_NOTIFICATIONS_BACKOFF_BASE", "0.05")
    monkeypatch.setenv("TANLOV_NOTIFICATIONS_SWEEP_GRACE", "0")
    return request.getfixturevalue("celery_worker")


# Notification tests' participants have a phone (SMS) unless a test gives another one.
participant = functools.partial(factories.participant, phone="+998 90 123 45 67")
