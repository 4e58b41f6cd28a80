"""“Send the confirmation link again” on the “check your e-mail” page: allauth's own resend,
under its rate limit, and no hint whether an address already has an account."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache

pytestmark = pytest.mark.django_db

RESEND = "/en/accounts/confirm-email/resend/"
PASSWORD = "Qx9!long-pass"


def _sign_up(client, email):
    response = client.post(
        "/en/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    return response


def _confirmation_links(email):
    return [m for m in mail.outbox if m.to == [email] and "/accounts/confirm-email/" in m.body]


def test_check_your_email_page_offers_to_send_the_link_again(client):
    _sign_up(client, "new@example.org")

    text = client.get("/en/accounts/confirm-email/").content.decode()

    assert f'action="{RESEND}"' in text
    assert "Send the confirmation link again" in text


def test_resend_right_after_signup_is_held_by_allauths_rate_limit(client):
    _sign_up(client, "new@example.org")
    assert len(_confirmation_links("new@example.org")) == 1

    response = client.post(RESEND, follow=True)

    assert response.redirect_chain[-1][0] == "/en/accounts/confirm-email/"
    assert "the link already sent still works" in response.content.decode()
    assert len(_confirmation_links("new@example.org")) == 1


def test_resend_after_the_cooldown_sends_a_new_link(client):
    _sign_up(client, "new@example.org")
    cache.clear()  # the cooldown (allauth's "confirm_email" limit) has passed

    response = client.post(RESEND, follow=True)

    assert response.redirect_chain[-1][0] == "/en/accounts/confirm-email/"
    assert "Confirmation email sent to new@example.org" in response.content.decode()
    # allauth's keys are signed (HMAC), not stored: the new link works like the first.
    assert len(_confirmation_links("new@example.org")) == 2


def test_resend_for_an_address_with_an_account_answers_the_same(client, django_user_model):
    owner = django_user_model.objects.create_user("taken", "taken@example.org", PASSWORD)
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    _sign_up(client, "taken@example.org")
    cache.clear()
    mail.outbox.clear()

    response = client.post(RESEND, follow=True)

    assert response.redirect_chain[-1][0] == "/en/accounts/confirm-email/"
    assert "Confirmation email sent to taken@example.org" in response.content.decode()
    # The owner is told that someone tried to sign up with it; no confirmation link.
    assert [m.to for m in mail.outbox] == [["taken@example.org"]]
    assert not _confirmation_links("taken@example.org")


def test_resend_without_a_pending_signup_sends_to_sign_in(client):
    response = client.post(RESEND, follow=True)

    assert response.redirect_chain[-1][0].startswith("/en/accounts/login/")
    assert "we send you a new confirmation link" in response.content.decode()
    assert mail.outbox == []


def test_resend_once_confirmed_sends_to_sign_in(client):
    _sign_up(client, "new@example.org")
    EmailAddress.objects.filter(email="new@example.org").update(verified=True)
    cache.clear()
    mail.outbox.clear()

    response = client.post(RESEND, follow=True)

    assert response.redirect_chain[-1][0].startswith("/en/accounts/login/")
    assert "Your e-mail address is confirmed" in response.content.decode()
    assert mail.outbox == []


def test_resend_is_post_only(client):
    assert client.get(RESEND).status_code == 405


def test_expired_link_page_offers_sign_in_and_resend(client):
    response = client.get("/en/accounts/confirm-email/not-a-key/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "This confirmation link has expired or is not valid." in text
    assert 'href="/en/accounts/login/"' in text
    assert f'action="{RESEND}"' in text
