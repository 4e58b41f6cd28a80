import io

import pytest

from certificates.models import Certificate, CertificateTemplate
from cms.demo import certificates as demo
from tests import factories
from tests.certificates.helpers import entry_with_team
from tests.judging.helpers import assign, make_juror, make_round, submit_scores

pytestmark = pytest.mark.django_db


def test_demo_without_covid_challenge_skips(db):
    out = io.StringIO()

    demo.load(stdout=out)

    assert "skipped" in out.getvalue()
    assert Certificate.objects.count() == 0


def test_demo_issues_winners_participants_and_jurors_once(
    s3_bucket, django_capture_on_commit_callbacks
):
    challenge = factories.ChallengeFactory(slug=demo.COVID_SLUG, title="COVID-19 Challenge 2020")
    winner, _ = entry_with_team(
        challenge, ["Oʻgʻiloy Gʻulomova", "Алишер Навоийев"], status="winner"
    )
    other, _ = entry_with_team(challenge, ["Aziz Tursunov"], status="not_selected")
    _publish(challenge, [winner, other])

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            demo.load(stdout=io.StringIO())

    held = sorted(Certificate.objects.values_list("kind", "recipient_name", "status"))
    assert held == [
        ("juror", "Nodira Rahimova", "issued"),
        ("participation", "Aziz Tursunov", "issued"),
        ("participation", "Oʻgʻiloy Gʻulomova", "issued"),
        ("participation", "Алишер Навоийев", "issued"),
        ("winner", "Oʻgʻiloy Gʻulomova", "issued"),
        ("winner", "Алишер Навоийев", "issued"),
    ]
    assert set(Certificate.objects.filter(kind="winner").values_list("place", flat=True)) == {1}
    assert CertificateTemplate.objects.count() == len(demo.TEMPLATES)


def _publish(challenge, entries):
    """A published final ranking the entries in the given order (places come from it)."""
    from judging.enums import RoundStatus
    from judging.models import Publication

    round_ = make_round(challenge, k=1, status=RoundStatus.PUBLISHED)
    user = factories.UserFactory()
    factories.ProfileFactory(user=user, full_name="Nodira Rahimova")
    juror = make_juror(challenge, user=user)
    for entry, values in zip(entries, [(10, 5), (2, 1)], strict=True):
        submit_scores(assign(round_, juror, [entry])[0], values)
    rows = [{"rank": i + 1, "entry_id": e.id, "title": e.title} for i, e in enumerate(entries)]
    Publication.objects.create(round=round_, rows=rows)
