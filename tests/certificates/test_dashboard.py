"""Recipients see and download their certificates; nobody else can."""

import re
import urllib.request

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from certificates.models import Certificate
from core import s3
from tests import factories

pytestmark = pytest.mark.django_db


def _certificate(user, challenge, **kwargs):
    values = {
        "kind": "participation",
        "challenge": challenge,
        "recipient": user,
        "recipient_name": "Aziz Tursunov",
        "language": "uz",
        "status": "issued",
        "pdf_key": f"certificates/{challenge.pk}/{user.pk}.pdf",
        "issued_at": timezone.now(),
    }
    values.update(kwargs)
    return Certificate.objects.create(**values)


def _panel(user):
    request = RequestFactory().get("/en/me/")
    request.user = user
    template = Template('{% include "certificates/includes/dashboard_panel.html" %}')
    with translation.override("en"):
        return template.render(Context({"request": request, "user": user}))


def test_dashboard_panel_lists_only_own_issued_certificates(challenge):
    me, other = factories.UserFactory(), factories.UserFactory()
    mine = _certificate(me, challenge)
    _certificate(me, challenge, kind="winner", status="pending")
    _certificate(other, challenge, recipient_name="Someone Else")

    html = _panel(me)

    assert mine.code in html
    assert reverse("certificates:download", args=[mine.code]) in html
    assert html.count("<li") == 1
    assert "Someone Else" not in html


def test_dashboard_panel_queries_stay_flat(challenge, django_assert_num_queries):
    user = factories.UserFactory()
    _certificate(user, challenge)
    with django_assert_num_queries(1):
        _panel(user)
    for kind in ("winner", "finalist", "mentor", "juror"):
        other_challenge = factories.ChallengeFactory()
        _certificate(user, other_challenge, kind=kind)
    with django_assert_num_queries(1):
        html = _panel(user)
    assert html.count("<li") == 5


def test_dashboard_panel_for_someone_without_certificates_says_so(db):
    assert "Certificates appear here" in _panel(factories.UserFactory())


def test_recipient_downloads_pdf_through_presigned_link(client, challenge, s3_bucket):
    user = factories.UserFactory()
    certificate = _certificate(user, challenge)
    s3.client().put_object(Bucket=s3_bucket, Key=certificate.pdf_key, Body=b"%PDF-1.7 test")
    client.force_login(user)

    response = client.get(reverse("certificates:download", args=[certificate.code]))

    assert response.status_code == 302
    assert "X-Amz-Signature=" in response["Location"]
    with urllib.request.urlopen(response["Location"]) as download:  # noqa: S310 -- moto on loopback
        assert download.read() == b"%PDF-1.7 test"
        assert f"certificate-{certificate.code}.pdf" in download.headers["Content-Disposition"]


def test_other_people_cannot_download(client, challenge):
    certificate = _certificate(factories.UserFactory(), challenge)
    url = reverse("certificates:download", args=[certificate.code])

    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(factories.UserFactory(is_staff=True))  # staff of another challenge
    assert client.get(url).status_code == 404


def test_revoked_certificate_cannot_be_downloaded(client, challenge):
    user = factories.UserFactory()
    certificate = _certificate(user, challenge, status="revoked")
    client.force_login(user)

    assert client.get(reverse("certificates:download", args=[certificate.code])).status_code == 404


def test_dashboard_panel_offers_linkedin_and_open_badge_links(challenge):
    from urllib.parse import parse_qs, urlsplit

    user = factories.UserFactory()
    certificate = _certificate(user, challenge)

    html = _panel(user)

    linkedin = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', html).group(1)
    query = parse_qs(urlsplit(linkedin.replace("&amp;", "&")).query)
    assert query["certId"] == [certificate.code]
    assert query["certUrl"][0].endswith(f"/verify/{certificate.code}/")
    assert f"/badges/assertions/{certificate.code}.json" in html
