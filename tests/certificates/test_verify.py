"""The public verification page: what it shows, what it hides, how it refuses."""

import pytest

from certificates.models import Certificate
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(challenge):
    user = factories.UserFactory(email="secret-person@example.org")
    factories.ProfileFactory(user=user, full_name="Oʻgʻiloy Gʻulomova", phone="+998901234567")
    from django.utils import timezone

    return Certificate.objects.create(
        kind="winner",
        challenge=challenge,
        recipient=user,
        recipient_name="Oʻgʻiloy Gʻulomova",
        language="uz",
        team_name="Secret Team Name",
        project_title="Secret Project",
        status="issued",
        pdf_key="certificates/x.pdf",
        issued_at=timezone.now(),
    )


def test_verify_page_shows_recipient_kind_challenge_and_validity(client, issued):
    response = client.get(f"/en/verify/{issued.code}/", HTTP_ACCEPT_LANGUAGE="en")

    page = response.text
    assert response.status_code == 200
    assert "Oʻgʻiloy Gʻulomova" in page
    assert "Sogʻlom kelajak" in page or "Healthy future" in page
    assert "This certificate is valid." in page
    assert issued.code in page


def test_verify_page_hides_other_personal_data(client, issued):
    response = client.get(f"/en/verify/{issued.code}/")

    page = response.text
    assert response.status_code == 200
    assert "This certificate is valid." in page  # the page that would show them, shown
    assert "Oʻgʻiloy Gʻulomova" in page
    for private in ("secret-person@example.org", "+998901234567", "Secret Team", "Secret Project"):
        assert private not in page


def test_verify_page_is_not_indexable(client, issued):
    response = client.get(f"/en/verify/{issued.code}/")

    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.text


@pytest.mark.parametrize("code", ["abc", "<script>", "0" * 40, "OOOOOOOOOOOOOOOO", "%00%00"])
def test_malformed_code_answers_404_page(client, code):
    response = client.get(f"/en/verify/{code}/")

    assert response.status_code == 404
    assert "Certificate not found" in response.text
    assert "<script>" not in response.text


def test_unknown_code_answers_not_found(client, db):
    response = client.get("/en/verify/0123456789ABCDEF/")

    assert response.status_code == 404
    assert "No certificate has the code 0123456789ABCDEF" in response.text


def test_pending_certificate_is_not_shown(client, issued):
    issued.status = "pending"
    issued.save()

    assert client.get(f"/en/verify/{issued.code}/").status_code == 404


def test_language_neutral_qr_address_redirects_to_a_language(client, issued):
    response = client.get(f"/verify/{issued.code}/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 302
    assert response["Location"] == f"/ru/verify/{issued.code}/"


def test_verification_is_rate_limited_per_client(client, issued, settings):
    settings.TANLOV_VERIFY_RATE_PER_MINUTE = 5
    url = f"/en/verify/{issued.code}/"

    statuses = [client.get(url).status_code for _ in range(6)]
    other = client.get(url, REMOTE_ADDR="10.0.0.9")

    assert statuses == [200] * 5 + [429]
    assert other.status_code == 200
