"""Free text has limits that fit its purpose: the form says so (``maxlength`` and a help
text), and a longer text is refused with nothing saved — on every path that writes it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from incubation.models import ProgressReport
from judging.models import Score
from submissions.models import StatusChange
from tests.factories import SuperuserFactory
from tests.incubation.conftest import make_project
from tests.judging.helpers import assign, make_entries, make_juror, make_round
from tests.submissions.builders import open_challenge, team_entry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("name", "limit"), [("problem", 4000), ("solution", 5000), ("target_users", 3000)]
)
def test_an_entry_text_above_its_limit_is_refused_and_nothing_saved(client, name, limit):
    submission = team_entry(open_challenge(), title="Mehr")
    client.force_login(submission.owner)
    url = reverse("submissions:entry", args=[submission.pk])

    page = client.get(url).content.decode()
    assert f'maxlength="{limit}"' in page
    assert f"Up to {limit} characters." in page

    answer = client.post(url, {"title": "Mehr (new)", name: "x" * (limit + 1), "action": "save"})

    assert answer.status_code == 400
    assert f"Ensure this value has at most {limit} characters" in answer.content.decode()
    submission.refresh_from_db()
    assert (submission.title, submission.answer(name)) == ("Mehr", "")


def test_an_entry_text_at_its_limit_is_saved(client):
    submission = team_entry(open_challenge(), title="Mehr")
    client.force_login(submission.owner)

    client.post(
        reverse("submissions:entry", args=[submission.pk]),
        {"title": "Mehr", "problem": "ж" * 4000, "action": "save"},
    )

    submission.refresh_from_db()
    assert submission.answer("problem") == "ж" * 4000


def _review_post(review, **fields):
    impact, feasibility = review.round.criteria.all()
    return {
        "version": 0,
        f"score_{impact.id}": "4",
        f"score_{feasibility.id}": "1",
        f"comment_{impact.id}": "",
        "overall_comment": "",
        "save": "1",
        **{key.format(impact=impact.id): value for key, value in fields.items()},
    }


@pytest.mark.parametrize(
    ("field", "limit"), [("overall_comment", 4000), ("comment_{impact}", 2000)]
)
@pytest.mark.parametrize("autosave", [False, True])
def test_a_review_comment_above_its_limit_is_refused_and_nothing_saved(
    client, field, limit, autosave
):
    round_ = make_round()
    juror = make_juror(round_.challenge)
    review = assign(round_, juror, make_entries(round_.challenge, 1))[0]
    client.force_login(juror.user)
    url = reverse("judging:review", args=[round_.id, review.id])
    assert f'maxlength="{limit}"' in client.get(url).content.decode()

    answer = client.post(
        url,
        _review_post(review, **{field: "x" * (limit + 1)}),
        headers={"X-Autosave": "1"} if autosave else {},
    )

    assert answer.status_code == 400
    if not autosave:
        assert f"Ensure this value has at most {limit} characters" in answer.content.decode()
    review.refresh_from_db()
    assert (review.version, review.overall_comment) == (0, "")
    assert not Score.objects.filter(review=review).exists()


def test_a_status_reason_above_its_limit_is_refused_and_nothing_recorded(client):
    submission = team_entry(open_challenge(), status="submitted")
    staff = SuperuserFactory()
    profile = UserProfile.get_for_user(staff)  # the admin speaks the staff member's language
    profile.preferred_language = "en"
    profile.save()
    client.force_login(staff)

    answer = client.post(
        f"/admin/entries/{submission.pk}/", {"status": "ineligible", "reason": "x" * 2001}
    )

    assert "Ensure this value has at most 2000 characters" in answer.content.decode()
    submission.refresh_from_db()
    assert (submission.status, submission.status_reason) == ("submitted", "")
    assert not StatusChange.objects.exists()


def test_a_report_narrative_above_its_limit_is_refused_and_nothing_saved(client, monkeypatch):
    from tests.factories import ChallengeFactory, CohortFactory

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 3, 15, 8, 0, tzinfo=dt.UTC))
    project = make_project(CohortFactory(challenges=[ChallengeFactory()]))
    client.force_login(project.owner)
    url = f"/en/incubation/projects/{project.pk}/report/"
    assert 'maxlength="5000"' in client.get(url).content.decode()

    answer = client.post(url, {"period": "2026-02-01", "narrative": "x" * 5001})

    assert "Ensure this value has at most 5000 characters" in answer.content.decode()
    assert not ProgressReport.objects.exists()
