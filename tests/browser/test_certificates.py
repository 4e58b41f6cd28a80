"""The verification page and the dashboard panel at 360 px (the whole journey — issue,
download, verify — is in test_certificate_journey.py)."""

import pytest

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_verify_page_and_dashboard_panel_are_accessible_at_360px(
    sign_in, live_server, page, home_pages, axe_violations
):
    from django.utils import timezone

    from certificates.models import Certificate

    user = factories.UserFactory()
    factories.ProfileFactory(user=user, full_name="Oʻgʻiloy Gʻulomova")
    challenge = factories.ChallengeFactory(title="COVID-19 Challenge 2020")
    certificate = Certificate.objects.create(
        kind="winner",
        challenge=challenge,
        recipient=user,
        recipient_name="Oʻgʻiloy Gʻulomova",
        language="uz",
        status="revoked",
        revoked_reason="Duplicate",
        revoked_at=timezone.now(),
        issued_at=timezone.now(),
    )
    requests = []
    page.on("request", lambda r: requests.append(r.url))

    page.goto(f"{live_server.url}/en/verify/{certificate.code}/")

    assert page.locator("h1").inner_text() == "Certificate verification"
    assert "revoked" in page.locator("[role=status]").inner_text()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert all(url.startswith((live_server.url, "data:")) for url in requests)

    certificate.status = "issued"
    certificate.save()
    sign_in(user)
    page.goto(f"{live_server.url}/en/me/")
    assert page.get_by_role("heading", name="My certificates").count() == 1
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
