"""One way in: the admins' login pages lead to allauth's login, which rate-limits and
checks e-mail verification; sign-up does not tell whether an account exists."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, SuperuserFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN_LOGINS = [("/admin/login/", "/admin/"), ("/django-admin/login/", "/django-admin/")]


def _signed_in(client):
    return "_auth_user_id" in client.session


def _login_target(response):
    """(path, next) of a redirect to the public login."""
    location = urlsplit(response["Location"])
    return location.path, parse_qs(location.query).get("next", [None])[0]


def _unverified(user):
    EmailAddress.objects.filter(user=user).update(verified=False)
    return user


# --- the admins' login pages --------------------------------------------------------------
@pytest.mark.parametrize(("login_url", "admin_index"), ADMIN_LOGINS)
def test_admin_login_page_sends_visitors_to_the_public_login(client, login_url, admin_index):
    response = client.get(login_url)

    path, target = _login_target(response)
    assert response.status_code == 302
    assert path.endswith("/accounts/login/")
    assert target == admin_index


@pytest.mark.parametrize(("login_url", "admin_index"), ADMIN_LOGINS)
def test_admin_login_page_takes_no_passwords_right_or_wrong(client, login_url, admin_index):
    admin = SuperuserFactory()

    wrong = [
        client.post(login_url, {"username": admin.username, "password": f"guess-{n}"})
        for n in range(12)
    ]
    right = client.post(login_url, {"username": admin.username, "password": PASSWORD})

    assert {r.status_code for r in wrong} == {302}
    assert right.status_code == 302
    assert _login_target(right)[0].endswith("/accounts/login/")
    assert not _signed_in(client)


@pytest.mark.parametrize(("login_url", "admin_index"), ADMIN_LOGINS)
def test_unverified_account_cannot_sign_in_through_an_admin_login(client, login_url, admin_index):
    admin = _unverified(SuperuserFactory())

    client.post(login_url, {"username": admin.username, "password": PASSWORD})

    assert not _signed_in(client)
    assert client.get(admin_index).status_code == 302


def test_unverified_account_cannot_sign_in_through_the_public_login(client):
    admin = _unverified(SuperuserFactory())

    client.post(reverse("account_login"), {"login": admin.email, "password": PASSWORD})

    assert not _signed_in(client)
    assert mail.outbox[-1].to == [admin.email]  # a fresh verification link instead


def test_admin_login_keeps_a_local_next_and_drops_a_foreign_one(client):
    local = client.get("/admin/login/?next=/admin/pages/")
    foreign = client.get("/admin/login/?next=https://evil.example/admin/")

    assert _login_target(local)[1] == "/admin/pages/"
    assert _login_target(foreign)[1] == "/admin/"


def test_staff_signs_in_through_the_public_login_and_lands_in_the_admin(client):
    editor = UserFactory(is_staff=True, is_superuser=True)

    to_admin_login = client.get("/admin/")
    to_public_login = client.get(to_admin_login["Location"])
    login_url = to_public_login["Location"]
    signed_in = client.post(login_url, {"login": editor.email, "password": PASSWORD})

    assert _login_target(to_public_login) == (urlsplit(login_url).path, "/admin/")
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/admin/"
    assert "Dashboard" in client.get("/admin/").text


def test_signed_in_staff_on_the_admin_login_go_on_to_the_admin(client):
    client.force_login(SuperuserFactory())

    response = client.get("/admin/login/")

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_signed_in_participant_is_refused_the_admin_without_a_redirect_loop(client):
    client.force_login(UserFactory())

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert len(response.redirect_chain) == 1


def test_signing_out_of_the_wagtail_admin_ends_the_session(client):
    client.force_login(SuperuserFactory())

    response = client.post("/admin/logout/", follow=True)

    assert not _signed_in(client)
    assert response.request["PATH_INFO"].endswith("/accounts/login/")
    assert client.get("/admin/").status_code == 302


def test_wagtail_password_reset_is_off_in_favour_of_the_public_one(client):
    assert client.get("/admin/password_reset/").status_code == 404


# --- sign-up does not tell whether an account exists -------------------------------------
def _sign_up(client, email, **extra):
    data = {"email": email, "password1": "Tanlov-sinov-2026!", "password2": "Tanlov-sinov-2026!"}
    return client.post(reverse("account_signup"), {**data, **extra})


def test_sign_up_with_a_taken_address_and_name_answers_like_a_new_one(client):
    taken = UserFactory(username="madina", email="madina@example.org")

    new = _sign_up(client, "nodira@example.org", username="nodira")
    again = _sign_up(client, taken.email, username=taken.username)

    assert new.status_code == again.status_code == 302
    assert new["Location"] == again["Location"] == reverse("account_email_verification_sent")
    assert get_user_model().objects.filter(email=taken.email).count() == 1
    # The owner of the taken address hears about it; the visitor learns nothing.
    assert [m.to for m in mail.outbox] == [["nodira@example.org"], [taken.email]]


def test_sign_up_form_asks_no_username(client):
    page = client.get(reverse("account_signup")).text

    assert 'name="email"' in page
    assert 'name="username"' not in page


def test_superuser_from_createsuperuser_confirms_the_address_once_then_signs_in(client):
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    login = {"login": "root@example.org", "password": PASSWORD}

    first = client.post(reverse("account_login"), login)
    link = re.search(r"https?://\S+(/\S+/accounts/confirm-email/\S+/)", mail.outbox[-1].body)
    client.post(link.group(1))
    again = client.post(reverse("account_login"), {**login, "next": "/admin/"})

    assert first["Location"] == reverse("account_email_verification_sent")
    assert again["Location"] == "/admin/"
    assert _signed_in(client)
