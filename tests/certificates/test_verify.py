"""The public verification page: what it shows, what it hides, how it refuses."""

import pytest
from django.urls import reverse

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
    for private in ("secret-person@example.org", "+998901234567", "Secret Team"):
        assert private not in page


def test_verify_page_shows_the_place_and_the_project_the_certificate_names(client, issued):
    Certificate.objects.filter(pk=issued.pk).update(place=2)

    page = client.get(f"/en/verify/{issued.code}/").text

    facts = page.split('class="facts"', 1)[1].split("</dl>", 1)[0]
    assert "<dt>Place</dt><dd>2nd place</dd>" in facts
    assert "Secret Project" in facts  # printed on the certificate, so shown here too


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


def test_refused_verification_says_why_and_when_to_retry(client, issued, settings):
    settings.TANLOV_VERIFY_RATE_PER_MINUTE = 1
    url = f"/en/verify/{issued.code}/"
    client.get(url)

    refused = client.get(url)

    assert refused.status_code == 429
    assert "Please wait a minute and try again." in refused.text
    assert refused["Retry-After"] == "60"
    assert refused["X-Robots-Tag"] == "noindex, nofollow"


def _verify_from(client, url, forwarded):
    return client.get(url, headers={"X-Forwarded-For": forwarded}).status_code


def test_behind_the_proxy_one_client_is_limited_not_everyone(client, issued, settings):
    settings.TANLOV_VERIFY_RATE_PER_MINUTE = 3
    settings.TANLOV_TRUSTED_PROXY_HOPS = 1
    url = f"/en/verify/{issued.code}/"

    # The client may write what it likes left of the address our proxy appends.
    first = [_verify_from(client, url, f"10.9.9.{n}, 203.0.113.7") for n in range(4)]
    other = _verify_from(client, url, "203.0.113.8")

    assert first == [200] * 3 + [429]
    assert other == 200


def test_without_trusted_proxies_a_forged_header_does_not_escape_the_limit(
    client, issued, settings
):
    settings.TANLOV_VERIFY_RATE_PER_MINUTE = 3
    settings.TANLOV_TRUSTED_PROXY_HOPS = 0
    url = f"/en/verify/{issued.code}/"

    statuses = [_verify_from(client, url, f"198.51.100.{n}") for n in range(4)]

    assert statuses == [200] * 3 + [429]


def test_open_badges_assertions_share_the_verification_limit(client, issued, settings):
    settings.TANLOV_VERIFY_RATE_PER_MINUTE = 2
    client.get(f"/en/verify/{issued.code}/")
    client.get(f"/en/verify/{issued.code}/")

    badge = client.get(reverse("certificates:badge_assertion", args=[issued.code]))

    assert badge.status_code == 429


def test_verify_without_a_code_is_a_page_with_a_box_to_type_it(client, issued):
    box = client.get("/ru/verify/")
    assert box.status_code == 200
    assert 'name="code"' in box.text
    assert box["X-Robots-Tag"] == "noindex, nofollow"

    # Typed with spaces and in lower case, as people copy codes from paper.
    typed = f" {issued.code.lower()[:4]} {issued.code.lower()[4:]} "
    opened = client.get("/ru/verify/", {"code": typed}, follow=True)
    assert opened.redirect_chain[-1][0] == f"/ru/verify/{issued.code}/"
    assert "Oʻgʻiloy Gʻulomova" in opened.text


def test_a_wrong_code_offers_the_box_again(client, issued):
    response = client.get("/en/verify/", {"code": "ZZZZ-ZZZZ-ZZZZ"}, follow=True)
    assert response.status_code == 404
    assert 'name="code"' in response.text
