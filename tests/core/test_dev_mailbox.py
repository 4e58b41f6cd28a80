"""The development mailbox (core/mailbox.py): a newcomer running `make run` reads the
e-mails the site sent — the sign-up verification link above all — at /<lang>/dev/mail/."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import EmailMultiAlternatives, get_connection
from django.test import override_settings

from tests.core.test_deploy_settings import PRODUCTION_ENV

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MAILBOX = "core.mailbox.MailboxBackend"


@pytest.fixture
def mailbox(tmp_path, settings):
    settings.TANLOV_DEV_MAIL_DIR = tmp_path / "mail"
    settings.EMAIL_BACKEND = MAILBOX
    return tmp_path / "mail"


def _send(subject, to, body="Hello", html=None):
    message = EmailMultiAlternatives(subject, body, "Tanlov <noreply@tanlov.local>", [to])
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


def test_backend_keeps_each_message_as_one_file(mailbox):
    sent = get_connection(MAILBOX).send_messages(
        [
            EmailMultiAlternatives("One", "first", "a@example.org", ["x@example.org"]),
            EmailMultiAlternatives("Two", "second", "a@example.org", ["y@example.org"]),
            EmailMultiAlternatives("Nobody", "no recipient", "a@example.org", []),
        ]
    )

    assert sent == 2
    assert len([p for p in os.listdir(mailbox) if p.endswith(".eml")]) == 2
    assert not [p for p in os.listdir(mailbox) if p.endswith(".part")]


def test_list_shows_messages_newest_first(client, mailbox):
    _send("Older message", "old@example.org")
    _send("Newer message", "new@example.org")

    response = client.get("/en/dev/mail/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "Development mailbox" in text
    assert text.index("Newer message") < text.index("Older message")
    assert "new@example.org" in text


def test_empty_mailbox_says_nothing_was_sent(client, mailbox):
    response = client.get("/en/dev/mail/")

    assert response.status_code == 200
    assert "No e-mail has been sent yet" in response.content.decode()


def test_signup_verification_mail_is_readable_with_its_link_clickable(client, mailbox):
    response = client.post(
        "/en/accounts/signup/",
        {
            "email": "newcomer@example.org",
            "password1": "Qx9!long-pass",
            "password2": "Qx9!long-pass",
        },
    )
    assert response.status_code == 302

    listing = client.get("/en/dev/mail/").content.decode()
    assert "newcomer@example.org" in listing
    (key,) = [p.removesuffix(".eml") for p in os.listdir(mailbox) if p.endswith(".eml")]

    page = client.get(f"/en/dev/mail/{key}/")

    text = page.content.decode()
    assert page.status_code == 200
    assert "newcomer@example.org" in text
    assert '<a href="http://testserver/en/accounts/confirm-email/' in text


def test_html_part_is_not_rendered(client, mailbox):
    _send("Both parts", "x@example.org", body="plain words", html="<script>alert(1)</script>")
    (key,) = [p.removesuffix(".eml") for p in os.listdir(mailbox)]

    text = client.get(f"/en/dev/mail/{key}/").content.decode()

    assert "plain words" in text
    assert "<script>alert(1)</script>" not in text


@pytest.mark.parametrize("key", ["nope", "../../etc/passwd", "00000000000000000000-deadbeef"])
def test_unknown_or_malformed_key_is_404(client, mailbox, key):
    assert client.get(f"/en/dev/mail/{key}/").status_code == 404


def test_confirmation_pages_link_the_mailbox_where_it_is_mounted(client):
    for path in ("/en/accounts/login/", "/en/accounts/confirm-email/"):
        text = client.get(path).content.decode()
        assert 'href="/en/dev/mail/"' in text, path


@override_settings(TANLOV_DEV_MAIL=False)
def test_pages_do_not_link_the_mailbox_where_it_is_not_mounted(client, settings):
    # The URLconf was built with the test settings (mounted); rebuild it without.
    import importlib

    from django.urls import clear_url_caches

    import config.urls

    try:
        importlib.reload(config.urls)
        clear_url_caches()
        assert client.get("/en/dev/mail/").status_code == 404
        assert "/dev/mail/" not in client.get("/en/accounts/login/").content.decode()
    finally:
        settings.TANLOV_DEV_MAIL = True
        importlib.reload(config.urls)
        clear_url_caches()


def test_production_settings_do_not_route_the_mailbox():
    script = (
        "import django; django.setup();"
        "from django.conf import settings; from django.urls import resolve, Resolver404;"
        "print('flag', settings.TANLOV_DEV_MAIL);"
        "print('backend', settings.EMAIL_BACKEND);\n"
        "for path in ('/en/dev/mail/', '/uz/dev/mail/x/'):\n"
        "    try:\n"
        "        match = resolve(path)\n"
        "        print('route', path, match.url_name)\n"
        "    except Resolver404:\n"
        "        print('route', path, 'none')\n"
    )
    env = {**PRODUCTION_ENV, "TANLOV_DEV_MAIL": "true"}  # even asked for, it stays off
    result = subprocess.run(  # noqa: S603 -- our own interpreter, a fixed script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "flag False" in lines
    assert "backend django.core.mail.backends.smtp.EmailBackend" in lines
    # Wagtail's catch-all answers every path; the mailbox's names never do.
    assert not [line for line in lines if line.startswith("route") and "dev_mail" in line]


def test_dev_settings_keep_mail_in_the_mailbox():
    script = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.EMAIL_BACKEND, settings.TANLOV_DEV_MAIL)"
    )
    result = subprocess.run(  # noqa: S603 -- our own interpreter, a fixed script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("EMAIL_BACKEND", "DEBUG")},
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [MAILBOX, "True"]


def test_backend_logs_where_to_read_the_message(mailbox, caplog):
    from django.utils import translation

    with caplog.at_level("INFO", logger="core.mailbox"), translation.override("ru"):
        _send("Logged", "x@example.org")

    (key,) = [p.removesuffix(".eml") for p in os.listdir(mailbox)]
    assert f"http://127.0.0.1:8000/ru/dev/mail/{key}/" in caplog.text
    assert "x@example.org" in caplog.text
