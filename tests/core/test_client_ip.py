"""The client address rate limits see: X-Forwarded-For only from proxies we trust."""

import itertools

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from core.client_ip import client_ip


def _request(forwarded=None, remote="10.0.0.1"):
    headers = {"headers": {"X-Forwarded-For": forwarded}} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TANLOV_TRUSTED_PROXY_HOPS = 0

    assert client_ip(_request("203.0.113.7")) == "10.0.0.1"


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        # The client wrote the leftmost entry itself; our one proxy appended the last.
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        (2, "1.2.3.4, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "203.0.113.7:51234", "203.0.113.7"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
    ],
)
def test_the_address_our_outermost_proxy_saw(settings, hops, forwarded, expected):
    settings.TANLOV_TRUSTED_PROXY_HOPS = hops

    assert client_ip(_request(forwarded)) == expected


@pytest.mark.parametrize("forwarded", [None, "", "203.0.113.7", "not-an-address, 10.0.0.2"])
def test_a_short_or_garbled_header_falls_back_to_the_connection(settings, forwarded):
    settings.TANLOV_TRUSTED_PROXY_HOPS = 2

    assert client_ip(_request(forwarded)) == "10.0.0.1"


# --- allauth's limits key on it -----------------------------------------------------------
with translation.override("en"):
    LOGIN_EN = reverse("account_login")
_accounts = itertools.count()


def _fail_logins(client, forwarded):
    """One failed login per X-Forwarded-For value, each for another account (so that only
    the per-address limit can bite): "wrong" or "locked out" for each."""
    answers = []
    for value in forwarded:
        page = client.post(
            LOGIN_EN,
            {"login": f"nobody{next(_accounts)}@example.org", "password": "wrong"},
            headers={"X-Forwarded-For": value},
        ).text
        answers.append("locked out" if "Too many failed login attempts" in page else "wrong")
    return answers


@pytest.mark.django_db
def test_failed_logins_behind_the_proxy_lock_out_one_client_not_everyone(client, settings):
    settings.TANLOV_TRUSTED_PROXY_HOPS = 1

    first = _fail_logins(client, ["203.0.113.7"] * 11)  # allauth: 10 a minute per address
    other = _fail_logins(client, ["203.0.113.8"])

    assert first == ["wrong"] * 10 + ["locked out"]
    assert other == ["wrong"]


@pytest.mark.django_db
def test_a_forged_header_does_not_escape_the_login_limit(client, settings):
    settings.TANLOV_TRUSTED_PROXY_HOPS = 0

    answers = _fail_logins(client, [f"198.51.100.{n}" for n in range(11)])

    assert answers == ["wrong"] * 10 + ["locked out"]
