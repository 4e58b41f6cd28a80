import io

import pytest

from certificates.models import Certificate, CertificateTemplate
from cms.demo import certificates as demo
from tests import factories
from tests.certificates.helpers import entry_with_team

pytestmark = pytest.mark.django_db


def test_demo_without_covid_challenge_skips(db):
    out = io.StringIO()

    demo.load(stdout=out)

    assert "skipped" in out.getvalue()
    assert Certificate.objects.count() == 0


def test_demo_issues_winners_and_participants_once(s3_bucket, django_capture_on_commit_callbacks):
    challenge = factories.ChallengeFactory(slug=demo.COVID_SLUG, title="COVID-19 Challenge 2020")
    entry_with_team(challenge, ["Oʻgʻiloy Gʻulomova", "Алишер Навоийев"], status="winner")
    entry_with_team(challenge, ["Aziz Tursunov"], status="not_selected")

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            demo.load(stdout=io.StringIO())

    held = sorted(Certificate.objects.values_list("kind", "recipient_name", "status"))
    assert held == [
        ("participation", "Aziz Tursunov", "issued"),
        ("participation", "Oʻgʻiloy Gʻulomova", "issued"),
        ("participation", "Алишер Навоийев", "issued"),
        ("winner", "Oʻgʻiloy Gʻulomova", "issued"),
        ("winner", "Алишер Навоийев", "issued"),
    ]
    assert CertificateTemplate.objects.count() == len(demo.TEMPLATES)
