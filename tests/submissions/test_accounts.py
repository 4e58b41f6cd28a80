"""Accounts through allauth: verification is mandatory, login attempts are rate-limited."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Tanlov-sinov-2026!"


def test_sign_up_sends_a_verification_email_and_waits_for_it(client, mailoutbox):
    answer = client.post(
        reverse("account_signup"),
        {
            "email": "madina@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )

    assert "Check your e-mail" in answer.content.decode()
    assert mailoutbox[-1].to == ["madina@example.org"]
    assert re.search(r"/accounts/confirm-email/\S+/", mailoutbox[-1].body)
    # Not signed in until the address is confirmed.
    assert client.get(reverse("submissions:dashboard"))["Location"].startswith(
        reverse("account_login")
    )
    user = get_user_model().objects.get(email="madina@example.org")
    assert user.emailaddress_set.get().verified is False


def test_sign_up_page_has_a_label_for_every_input(client):
    page = client.get(reverse("account_signup")).content.decode()

    ids = re.findall(r'<input[^>]+type="(?:text|email|password)"[^>]+id="([^"]+)"', page)
    assert ids
    for field_id in ids:
        assert f'for="{field_id}"' in page


def test_repeated_failed_logins_are_refused(client):
    user = UserFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})

    answer = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})

    assert answer.status_code == 429 or "Too many failed login attempts" in answer.content.decode()


def test_password_reset_sends_a_link(client, mailoutbox):
    user = UserFactory()

    client.post(reverse("account_reset_password"), {"email": user.email})

    assert mailoutbox[-1].to == [user.email]
    assert "/accounts/password/reset/key/" in mailoutbox[-1].body
