"""``next=`` sends the user to a page of this site, never elsewhere (core.redirects)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.redirects import safe_next
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROFILE = {
    "full_name": "Aziz Tursunov",
    "birth_date": "2003-04-05",
    "gender": "male",
    "organisation": "TATU",
    "phone": "+998901112233",
    "telegram": "aziz_t",
    "preferred_language": "uz",
    "consent_terms": "on",
    "consent_privacy": "on",
}


def _save_profile(client, target):
    client.force_login(UserFactory())
    return client.post(f"{reverse('submissions:profile')}?next={target}", PROFILE)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "javascript:alert(document.cookie)",
        "/\\evil.example/",
        "https:evil.example",
    ],
)
def test_profile_refuses_a_next_off_the_site_and_goes_to_the_dashboard(client, target):
    answer = _save_profile(client, target)

    assert answer.status_code == 302
    assert answer["Location"] == reverse("submissions:dashboard")


def test_profile_follows_a_next_on_the_site(client):
    target = reverse("submissions:enter", args=["covid-19"])

    answer = _save_profile(client, target)

    assert answer.status_code == 302
    assert answer["Location"] == target


def test_safe_next_refuses_plain_http_when_the_request_is_secure():
    request = RequestFactory().get("/", {"next": "http://testserver/me/"}, secure=True)

    assert safe_next(request, "/fallback/") == "/fallback/"


def test_safe_next_accepts_this_host_and_prefers_the_posted_value():
    request = RequestFactory().post(
        "/?next=/from-the-query/", {"next": "https://testserver/me/"}, secure=True
    )

    assert safe_next(request, "/fallback/") == "https://testserver/me/"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "http://localhost/"],
)
def test_login_refuses_a_next_off_this_host(client, target):
    # localhost is in ALLOWED_HOSTS, but this request came for testserver: another site.
    user = UserFactory()

    answer = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD, "next": target}
    )

    assert answer.status_code == 302
    # The refused next gives way to the home page in the login page's language (uz).
    assert answer["Location"] == "/uz/"


def test_login_follows_a_next_on_this_host(client):
    user = UserFactory()

    answer = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD, "next": "/en/me/"}
    )

    assert answer["Location"] == "/en/me/"
