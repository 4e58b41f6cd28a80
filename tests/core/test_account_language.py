"""Signing in, up and out, confirming an address and resetting a password all stay in the
language of the page the person was using; the saved preferred language only decides
when the person never chose one (the site guessed it on a first, unprefixed visit)."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-longer-secret-2026"


def _person(language):
    return ProfileFactory(preferred_language=language).user


def _login(client, language, user):
    return client.post(f"/{language}/accounts/login/", {"login": user.email, "password": PASSWORD})


def _link(message, pattern):
    found = re.search(pattern, message.body)
    assert found, message.body
    return found.group(0)


@pytest.mark.parametrize("language", ["uz", "ru"])
def test_sign_in_lands_in_the_pages_language(client, language):
    answer = _login(client, language, _person("en"))

    assert answer.status_code == 302
    assert answer["Location"] == f"/{language}/"


def test_demo_participant_saved_uz_signing_in_from_ru_stays_in_ru(client):
    participant = _person("uz")
    client.get("/ru/accounts/login/")

    answer = _login(client, "ru", participant)

    assert answer["Location"] == "/ru/"


def test_a_next_page_is_kept_as_it_is(client):
    answer = client.post(
        "/ru/accounts/login/?next=/ru/me/",
        {"login": _person("uz").email, "password": PASSWORD},
    )

    assert answer["Location"] == "/ru/me/"


@pytest.mark.parametrize(("guessed", "saved"), [("uz", "ru"), ("ru", "uz")])
def test_first_visit_without_a_chosen_language_uses_the_saved_one(client, guessed, saved):
    arrival = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=guessed)
    assert arrival["Location"] == f"/{guessed}/accounts/login/"
    client.get(arrival["Location"])

    answer = _login(client, guessed, _person(saved))

    assert answer["Location"] == f"/{saved}/"


def test_a_language_picked_after_the_guess_is_kept(client):
    arrival = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="uz")
    client.get(arrival["Location"])
    client.get("/ru/accounts/login/")  # the language switcher: a link to the ru page

    answer = _login(client, "ru", _person("uz"))

    assert answer["Location"] == "/ru/"


def test_first_visit_without_a_profile_stays_where_the_site_guessed(client):
    client.get(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ru")["Location"])

    answer = _login(client, "ru", UserFactory())

    assert answer["Location"] == "/ru/"


@pytest.mark.parametrize("language", ["uz", "ru"])
def test_logout_stays_in_the_pages_language(client, language):
    client.force_login(_person("en"))

    answer = client.post(f"/{language}/accounts/logout/")

    assert answer.status_code == 302
    assert answer["Location"] == f"/{language}/"


@pytest.mark.parametrize("language", ["uz", "ru"])
def test_sign_up_and_the_confirmation_link_stay_in_the_pages_language(language):
    client = Client()
    answer = client.post(
        f"/{language}/accounts/signup/",
        {"email": "nodira@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert answer.status_code == 302
    assert answer["Location"].startswith(f"/{language}/")
    (message,) = mail.outbox
    link = _link(message, r"https?://[^\s]+/accounts/confirm-email/[^\s/]+/")
    assert f"/{language}/accounts/confirm-email/" in link
    # The link opened in another browser (no session, no cookie): still that language.
    other = Client()
    path = "/" + link.split("/", 3)[3]
    confirmed = other.post(path)
    assert confirmed.status_code == 302
    assert confirmed["Location"].startswith(f"/{language}/")


@pytest.mark.parametrize("language", ["uz", "ru"])
def test_password_reset_stays_in_the_pages_language(language):
    user = _person("en")
    client = Client()

    asked = client.post(f"/{language}/accounts/password/reset/", {"email": user.email})

    assert asked["Location"] == f"/{language}/accounts/password/reset/done/"
    (message,) = mail.outbox
    link = _link(message, r"https?://[^\s]+/accounts/password/reset/key/[^\s]+/")
    assert f"/{language}/accounts/password/reset/key/" in link
    other = Client()
    form = other.get("/" + link.split("/", 3)[3])
    assert form.status_code == 302
    assert form["Location"].startswith(f"/{language}/")
    done = other.post(form["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done["Location"] == f"/{language}/accounts/password/reset/key/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_reset_asked_on_a_guessed_page_is_written_in_the_saved_language():
    user = _person("ru")
    client = Client()
    client.get(client.get("/accounts/password/reset/", HTTP_ACCEPT_LANGUAGE="uz")["Location"])

    client.post("/uz/accounts/password/reset/", {"email": user.email})

    (message,) = mail.outbox
    assert "/ru/accounts/password/reset/key/" in message.body
