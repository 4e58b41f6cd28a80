"""Open Badges 2.0 hosted assertions, badge classes and the issuer profile."""

import hashlib
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(challenge):
    user = factories.UserFactory(email="Aziz@Example.org")
    return Certificate.objects.create(
        kind="participation",
        challenge=challenge,
        recipient=user,
        recipient_name="Aziz Tursunov",
        language="uz",
        status="issued",
        issued_at=timezone.now(),
    )


def _json(response):
    assert response["Content-Type"].startswith("application/ld+json")
    return json.loads(response.content)


def test_assertion_links_badge_class_and_issuer(client, issued, settings):
    url = reverse("certificates:badge_assertion", args=[issued.code])

    assertion = _json(client.get(url))
    badge = _json(client.get(assertion["badge"].replace(settings.TANLOV_PUBLIC_BASE_URL, "")))
    issuer = _json(client.get(badge["issuer"].replace(settings.TANLOV_PUBLIC_BASE_URL, "")))

    assert assertion["@context"] == "https://w3id.org/openbadges/v2"
    assert assertion["type"] == "Assertion"
    assert assertion["id"] == (
        f"{settings.TANLOV_PUBLIC_BASE_URL}/uz/certificates/badges/assertions/{issued.code}.json"
    )
    assert assertion["verification"] == {"type": "HostedBadge"}
    assert assertion["evidence"].endswith(f"/verify/{issued.code}/")
    assert badge["type"] == "BadgeClass"
    assert badge["id"] == assertion["badge"]
    assert "Sogʻlom kelajak" in badge["name"]
    assert badge["criteria"]["narrative"]
    assert issuer["type"] == "Issuer"
    assert issuer["id"] == badge["issuer"]
    assert issuer["url"].startswith("http")


def test_assertion_identifies_recipient_by_salted_hash_only(client, issued):
    assertion = _json(client.get(reverse("certificates:badge_assertion", args=[issued.code])))

    recipient = assertion["recipient"]
    expected = hashlib.sha256(("aziz@example.org" + recipient["salt"]).encode()).hexdigest()
    assert recipient == {
        "type": "email",
        "hashed": True,
        "salt": recipient["salt"],
        "identity": f"sha256${expected}",
    }
    assert "example.org" not in json.dumps(assertion).lower()


def test_revoked_assertion_answers_410_with_reason(client, issued):
    issued.status = "revoked"
    issued.revoked_reason = "Duplicate"
    issued.save()

    response = client.get(reverse("certificates:badge_assertion", args=[issued.code]))

    assert response.status_code == 410
    body = _json(response)
    assert (body["revoked"], body["revocationReason"]) == (True, "Duplicate")


def test_unknown_or_pending_assertion_answers_404(client, issued):
    issued.status = "pending"
    issued.save()

    assert (
        client.get(reverse("certificates:badge_assertion", args=[issued.code])).status_code == 404
    )
    assert client.get("/uz/certificates/badges/assertions/nonsense.json").status_code == 404


def test_badge_class_of_unknown_kind_answers_404(client, challenge):
    assert client.get(f"/uz/certificates/badges/{challenge.pk}/nonsense.json").status_code == 404
    image = client.get(f"/uz/certificates/badges/{challenge.pk}/winner.svg")
    assert image["Content-Type"] == "image/svg+xml"
    assert b"<svg" in image.content
