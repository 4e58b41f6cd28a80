"""The OpenAPI description, the rate limits (429 in JSON) and Wagtail's page API: only
live, public pages."""

import pytest
from django.test import override_settings

from tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def test_the_openapi_description_lists_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Tanlov API"
    assert set(schema["paths"]) == {
        "/api/v1/challenges",
        "/api/v1/challenges/{slug}",
        "/api/v1/challenges/{slug}/results",
        "/api/v1/certificates/{code}",
    }
    listing = {p["name"] for p in schema["paths"]["/api/v1/challenges"]["get"]["parameters"]}
    assert {"status", "kind", "lang", "page", "page_size"} <= listing


def test_no_docs_page_that_would_load_a_cdn(client):
    assert client.get("/api/v1/docs").status_code == 404
    assert client.get("/api/v1/").status_code == 404


@override_settings(TANLOV_API_RATE_PER_MINUTE=3)
@pytest.mark.parametrize("path", ["/api/v1/challenges", "/api/v2/pages/"])
def test_over_the_limit_is_429_in_json(client, home_pages, path):
    for _ in range(3):
        assert client.get(path).status_code == 200

    response = client.get(path)

    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == "60"
    assert list(response.json()) == ["detail"]


@override_settings(TANLOV_API_RATE_PER_MINUTE=3)
def test_both_apis_share_one_budget(client, home_pages):
    assert client.get("/api/v1/challenges").status_code == 200
    assert client.get("/api/v2/pages/").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200  # the description is free
    assert client.get("/api/v2/images/").status_code == 200

    assert client.get("/api/v1/challenges").status_code == 429
    assert client.get("/api/v2/pages/").status_code == 429


@override_settings(TANLOV_VERIFY_RATE_PER_MINUTE=2)
def test_certificate_lookups_share_the_verification_pages_budget(client):
    code = CertificateFactory().code
    assert client.get(f"/en/verify/{code}/").status_code == 404
    assert client.get(f"/api/v1/certificates/{code}").status_code == 404

    assert client.get(f"/api/v1/certificates/{code}").status_code == 429
    assert client.get(f"/en/verify/{code}/").status_code == 429


def test_the_page_api_shows_live_public_pages_only(client, public_challenge, page_for):
    from tests.factories import ChallengeFactory

    shown = page_for(ChallengeFactory(slug="shown-page"))
    draft = page_for(ChallengeFactory(slug="draft-page"), live=False)
    private = page_for(ChallengeFactory(slug="private-page"), private=True)

    response = client.get("/api/v2/pages/", {"limit": 20})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    listed = {item["meta"]["slug"] for item in response.json()["items"]}
    assert "shown-page" in listed
    assert not {"draft-page", "private-page"} & listed
    assert client.get(f"/api/v2/pages/{shown.pk}/").status_code == 200
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{private.pk}/").status_code == 404
    assert "owner" not in client.get(f"/api/v2/pages/{shown.pk}/").json()["meta"]


def test_the_page_api_answers_json_only(client, home_pages):
    response = client.get("/api/v2/pages/", headers={"accept": "text/html"})

    assert response.status_code in (200, 406)
    assert not response["Content-Type"].startswith("text/html")


def test_a_challenge_page_names_its_challenge_in_the_page_api(client, public_challenge):
    public_challenge(slug="linked")

    response = client.get(
        "/api/v2/pages/", {"type": "cms.ChallengePage", "fields": "intro,challenge_slug"}
    )

    (item,) = response.json()["items"]
    assert item["challenge_slug"] == "linked"
    assert item["intro"] == "Qisqacha."
    assert client.get("/api/v1/challenges/linked").status_code == 200
