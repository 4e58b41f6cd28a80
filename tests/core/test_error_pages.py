"""The error pages a visitor meets with DEBUG off: friendly, translated, in the site's layout.

403, 404 and 429 use the full layout (header, menu, footer); 400 and 500 a static copy of
it that needs no database and no valid Host, since Django renders them when either may be
what failed.
"""

import re
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import ChallengeFactory, CohortFactory, UserFactory
from tests.incubation.conftest import make_project

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

NOT_FOUND = "There is no page at this address. It may have moved, or the link may be mistyped."

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.core.error_urls"),
]


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False  # Django shows its technical pages when DEBUG is on


@pytest.fixture
def visitor():
    # A crashing view must answer with the 500 page, not re-raise into the test.
    return Client(raise_request_exception=False)


def _h1(response):
    match = re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S)
    return match.group(1).strip() if match else None


def _in(code, text):
    with translation.override(code):
        return gettext(text)


def _full_layout(response):
    html = response.content.decode()
    return all(part in html for part in ('class="site-header"', "main-nav", "site-footer"))


def _static_layout(response):
    html = response.content.decode()
    return all(part in html for part in ('class="site-header"', "site-footer", "css/site.css"))


@pytest.mark.parametrize("code", ["uz", "ru", "en"])
def test_missing_page_answers_the_friendly_404_in_the_site_layout(visitor, home_pages, code):
    response = visitor.get(f"/{code}/no-such-page/")

    assert response.status_code == 404
    assert f'<html lang="{code}">' in response.content.decode()
    assert _h1(response) == _in(code, "Page not found")
    assert _in(code, NOT_FOUND) in response.content.decode()
    assert _full_layout(response)
    assert f'href="/{code}/"' in response.content.decode()  # the way back home


def test_the_404_heading_is_translated_where_a_translation_exists(visitor, home_pages):
    # Django's own catalogue already knows this heading in Russian.
    assert _h1(visitor.get("/ru/no-such-page/")) == "Страница не найдена"


def test_forbidden_object_answers_the_friendly_403(visitor, home_pages):
    challenge = ChallengeFactory()
    project = make_project(CohortFactory(challenges=[challenge]))
    mentor = UserFactory()
    project.mentors.add(mentor)
    visitor.force_login(mentor)

    response = visitor.get(f"/ru/incubation/projects/{project.pk}/report/")

    assert response.status_code == 403
    assert _h1(response) == _in("ru", "Access denied")
    # The rule's own explanation (what a mentor can do instead), in the reader's language.
    reason = (
        "Progress reports are filed by the project's team. Mentors and staff comment on "
        "each report on the project's page."
    )
    assert _in("ru", reason) in response.content.decode()
    assert _full_layout(response)


def test_the_403_page_says_the_access_layers_reason_and_hides_other_details(visitor, home_pages):
    visitor.force_login(UserFactory())

    refused = visitor.get("/en/test-errors/refused/")
    denied = visitor.get("/en/test-errors/denied/")

    assert (refused.status_code, denied.status_code) == (403, 403)
    assert "Only the team&#x27;s owner may transfer the team." in refused.content.decode()
    assert "internal" not in denied.content.decode()
    assert "You are not allowed to open this page or do this here." in denied.content.decode()


def test_anonymous_visitor_on_a_403_is_offered_the_sign_in(visitor, home_pages):
    response = visitor.get("/uz/test-errors/denied/")

    assert response.status_code == 403
    assert "/uz/accounts/login/?next=/uz/test-errors/denied/" in response.content.decode()


@pytest.mark.parametrize("code", ["uz", "ru"])
def test_suspicious_request_answers_the_friendly_400(visitor, home_pages, code):
    response = visitor.get(f"/{code}/test-errors/suspicious/")

    assert response.status_code == 400
    assert f'<html lang="{code}">' in response.content.decode()
    assert _h1(response) == _in(code, "Bad request")
    assert _static_layout(response)


def test_bad_host_answers_the_400_page_not_a_500(visitor, home_pages):
    response = visitor.get("/en/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert _h1(response) == "Bad request"
    assert "We could not understand this request." in response.content.decode()
    assert _static_layout(response)


@pytest.mark.parametrize(("code", "heading"), [("uz", "Server xatoligi"), ("ru", "Ошибка сервера")])
def test_crashing_view_answers_the_static_500_page(visitor, home_pages, code, heading):
    response = visitor.get(f"/{code}/test-errors/crash/")

    assert response.status_code == 500
    assert f'<html lang="{code}">' in response.content.decode()
    assert _h1(response) == heading
    assert "a bug" not in response.content.decode()
    assert _static_layout(response)


def test_500_page_renders_without_a_request_or_a_database():
    from django.template import loader

    with translation.override("en"):
        html = loader.get_template("500.html").render()  # what Django's server_error does

    assert "<h1>Server error</h1>" in html
    assert "/static/css/site.css" in html


@override_settings(ACCOUNT_RATE_LIMITS={"login": "1/m/ip"})
def test_allauth_rate_limit_answers_the_friendly_429(visitor, home_pages):
    user = UserFactory(email="ann@example.uz")
    for _ in range(3):
        response = visitor.post(
            "/ru/accounts/login/", {"login": user.email, "password": "wrong-password"}
        )

    assert response.status_code == 429
    assert _h1(response) == _in("ru", "Too many requests")
    assert _full_layout(response)


def test_a_form_without_its_csrf_token_answers_the_friendly_403(home_pages):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/ru/accounts/login/", {"login": "ann", "password": "x"})

    assert response.status_code == 403
    assert _h1(response) == _in("ru", "The form has expired")
    assert _full_layout(response)


@pytest.mark.parametrize("name", ["400", "403", "403_csrf", "404", "429", "500"])
def test_every_word_on_an_error_page_goes_through_translation(name):
    """Text outside {% translate %} would stay English in uz and ru."""
    layout = "errors/static_page.html" if name in ("400", "500") else "errors/page.html"
    for source in (TEMPLATES / f"{name}.html", TEMPLATES / layout):
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"{% comment %}.*?{% endcomment %}", "", text, flags=re.S)
        text = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}|<[^>]+>", " ", text, flags=re.S)
        words = set(text.split()) - {"Tanlov", "·"}
        assert words == set(), (source.name, words)
