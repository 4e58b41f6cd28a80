"""Mails are signed Tanlov, not with the host they were asked from (core/sites.py)."""

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PASSWORD = "Qx9!long-pass"


def _sign_up(client, email, language="en"):
    client.post(
        f"/{language}/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )
    (message,) = mail.outbox
    return message


def test_site_is_tanlov_at_the_public_address():
    site = Site.objects.get_current()

    assert (site.name, site.domain) == ("Tanlov", "127.0.0.1:8000")
    assert Site.objects.count() == 1  # no "example.com" beside it


def test_verification_email_is_signed_tanlov(client):
    message = _sign_up(client, "new@example.org")

    assert message.subject.startswith("[Tanlov] ")
    assert "Hello from Tanlov!" in message.body
    assert "Thank you for using Tanlov!" in message.body
    assert "testserver" not in message.body.replace("http://testserver/", "")


def test_verification_email_in_russian_is_signed_tanlov(client):
    message = _sign_up(client, "new@example.org", language="ru")

    assert message.subject.startswith("[Tanlov] ")
    assert "Tanlov" in message.body
    assert "testserver!" not in message.body


def test_migrate_brings_the_site_back_to_the_settings(settings):
    Site.objects.filter(pk=settings.SITE_ID).update(name="127.0.0.1:8000", domain="x")
    settings.TANLOV_PUBLIC_BASE_URL = "https://tanlov.example.uz"

    try:
        call_command("migrate", verbosity=0)

        site = Site.objects.get(pk=settings.SITE_ID)
        assert (site.name, site.domain) == ("Tanlov", "tanlov.example.uz")
    finally:
        Site.objects.clear_cache()  # the rollback undoes the row, not Django's Site cache
