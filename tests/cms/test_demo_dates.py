"""The demo's past challenge keeps to its own timeline (cms/demo/clock.py).

The COVID-19 Challenge 2020 ran in 2020: entries are submitted before its deadline,
screened and judged after it, results published after judging, certificates issued after
the results, the incubation inside the cohort's dates — and every status change, decision,
notification and audit entry about it says so, whenever the demo is loaded.
"""

import datetime as dt
import itertools
from datetime import timedelta

import pytest
from django.test import TestCase

from certificates.models import Certificate
from challenges.models import Challenge
from core.models import AuditEntry
from incubation.models import Cohort, MentorComment, ProgressReport, Project, StageChange
from judging.models import (
    Advancement,
    FollowUpAnswers,
    Juror,
    Publication,
    Review,
    Round,
    ScoreChange,
    ScreeningDecision,
    ScreeningOutcome,
)
from notifications.models import Notification
from submissions.models import StatusChange, Submission, SubmissionVersion

pytestmark = pytest.mark.django_db

SLUG = "covid-19-challenge-2020"


@pytest.fixture
def covid(shared_demo):
    challenge = Challenge.objects.get(slug=SLUG)
    phases = {p.kind: (p.starts_at, p.ends_at) for p in challenge.phases.all()}
    return challenge, phases


def _within(moments, earliest, latest, what):
    outside = [m for m in moments if m is None or not earliest <= m <= latest]
    assert not outside, f"{what}: {len(outside)} outside {earliest} – {latest}: {outside[:3]}"


def test_the_demo_loads_the_2020_challenge_in_2020(covid):
    _challenge, phases = covid
    assert phases["submission"][1].year == 2020
    assert phases["results"][1] < dt.datetime(2021, 1, 1, tzinfo=dt.UTC)


def test_entries_are_submitted_before_the_deadline(covid):
    challenge, phases = covid
    opened, deadline = phases["registration"][0], phases["submission"][1]
    entries = Submission.objects.filter(challenge=challenge, submitted_at__isnull=False)
    assert entries.count() >= 48

    _within(entries.values_list("submitted_at", flat=True), opened, deadline, "submitted")
    _within(entries.values_list("created_at", flat=True), opened, deadline, "entry created")
    versions = SubmissionVersion.objects.filter(submission__challenge=challenge)
    _within(versions.values_list("created_at", flat=True), opened, deadline, "versions")


def test_status_histories_are_in_order_and_inside_the_timeline(covid):
    challenge, phases = covid
    opened, deadline = phases["registration"][0], phases["submission"][1]
    results_end = phases["results"][1]
    cohort_end = _cohort_end(challenge)
    changes = StatusChange.objects.filter(submission__challenge=challenge).order_by("pk")
    assert changes.count() > 48

    history = {}
    for change in changes:
        history.setdefault(change.submission_id, []).append(change)
    for entry_changes in history.values():
        times = [c.at for c in entry_changes]
        assert times == sorted(times), [(c.to_status, c.at) for c in entry_changes]
        for before, after in itertools.pairwise(entry_changes):
            assert before.to_status == after.from_status
    by_kind = {"submitted": [], "decided": [], "incubated": []}
    for change in changes:
        if change.to_status == "submitted":
            by_kind["submitted"].append(change.at)
        elif change.to_status == "incubated":
            by_kind["incubated"].append(change.at)
        else:
            by_kind["decided"].append(change.at)
    _within(by_kind["submitted"], opened, deadline, "submitted")
    assert by_kind["decided"]
    _within(by_kind["decided"], deadline, results_end, "screening and judging decisions")
    assert by_kind["incubated"]
    _within(by_kind["incubated"], results_end, cohort_end, "incubated")


def test_rounds_reviews_and_decisions_fall_between_the_deadline_and_the_results(covid):
    challenge, phases = covid
    deadline, results_end = phases["submission"][1], phases["results"][1]
    rounds = list(Round.objects.filter(challenge=challenge))
    assert {r.mode for r in rounds} == {"screening", "scored"}
    assert {r.status for r in rounds} <= {"locked", "published"}
    for round_ in rounds:
        assert deadline <= round_.opens_at <= round_.closes_at <= results_end, round_.name_en
        window = (round_.opens_at, round_.closes_at)
        reviews = Review.objects.filter(round=round_)
        _within(reviews.exclude(opened_at=None).values_list("opened_at", flat=True), *window, "")
        _within(
            reviews.exclude(submitted_at=None).values_list("submitted_at", flat=True),
            *window,
            f"reviews of {round_.name_en}",
        )
        _within(
            ScreeningDecision.objects.filter(round=round_).values_list("at", flat=True),
            *window,
            "screening decisions",
        )
        _within(
            ScreeningOutcome.objects.filter(round=round_).values_list("at", flat=True),
            round_.opens_at,
            results_end,
            "screening outcomes",
        )
    _within(
        ScoreChange.objects.filter(review__round__challenge=challenge).values_list("at", flat=True),
        deadline,
        results_end,
        "score changes",
    )
    _within(
        Advancement.objects.filter(round__challenge=challenge).values_list("at", flat=True),
        deadline,
        results_end,
        "advancements",
    )
    jurors = Juror.objects.filter(challenge=challenge)
    _within(jurors.values_list("invited_at", flat=True), deadline, results_end, "invited")
    _within(
        jurors.exclude(accepted_at=None).values_list("accepted_at", flat=True),
        deadline,
        results_end,
        "accepted",
    )
    for answers in FollowUpAnswers.objects.filter(round__challenge=challenge):
        assert answers.submitted_at <= answers.round.followup_deadline


def test_results_come_after_judging_and_certificates_after_the_results(covid):
    challenge, phases = covid
    results_start, results_end = phases["results"]
    published = list(
        Publication.objects.filter(round__challenge=challenge).values_list(
            "published_at", flat=True
        )
    )
    assert published
    _within(published, results_start, results_end, "results published")
    last_review = max(
        Review.objects.filter(round__challenge=challenge)
        .exclude(submitted_at=None)
        .values_list("submitted_at", flat=True)
    )
    assert min(published) > last_review
    # Issued (the PDFs are rendered when the issuing commits: see the next test).
    certificates = Certificate.objects.filter(challenge=challenge)
    assert certificates.exists()
    _within(
        certificates.values_list("created_at", flat=True),
        max(published),
        results_end,
        "certificates issued",
    )


def test_demo_certificates_are_rendered_and_dated_after_the_results(covid):
    """As ``load_demo`` runs it (no transaction around it): the certificates step issues and
    renders inside its own moment, a week after the results."""
    from io import StringIO

    from cms.demo import certificates as demo
    from cms.demo.clock import demo_step

    challenge, phases = covid
    Certificate.objects.filter(challenge=challenge).delete()
    published = Publication.objects.filter(round__challenge=challenge).latest("published_at")
    with demo_step(demo), TestCase.captureOnCommitCallbacks(execute=True):
        demo.load(stdout=StringIO())

    issued = Certificate.objects.filter(challenge=challenge, status="issued")
    assert issued.count() > 48
    _within(
        issued.values_list("issued_at", flat=True),
        published.published_at,
        phases["results"][1],
        "certificates rendered",
    )


def test_the_incubation_runs_inside_its_cohort(covid):
    challenge, phases = covid
    cohort = Cohort.objects.get(challenges=challenge)
    start = _midnight(cohort.starts_on) - timedelta(days=120)  # set up before it starts
    end = _cohort_end(challenge)
    projects = Project.objects.filter(cohort=cohort)
    assert projects.exists()
    _within(projects.values_list("created_at", flat=True), phases["results"][1], end, "projects")
    for model, field, path in (
        (StageChange, "at", "project__cohort"),
        (ProgressReport, "submitted_at", "project__cohort"),
        (MentorComment, "created_at", "report__project__cohort"),
    ):
        moments = model.objects.filter(**{path: cohort}).values_list(field, flat=True)
        _within(moments, start, end, model.__name__)
    for report in ProgressReport.objects.filter(project__cohort=cohort):
        assert report.submitted_at.date() > report.period_start  # after the period began


def test_notifications_and_audit_entries_about_the_challenge_are_dated_in_its_time(covid):
    challenge, phases = covid
    opened, end = phases["registration"][0], _cohort_end(challenge)
    objects = {
        ("submissions.submission", Submission.objects.filter(challenge=challenge)),
        ("judging.round", Round.objects.filter(challenge=challenge)),
        ("judging.review", Review.objects.filter(round__challenge=challenge)),
        ("judging.juror", Juror.objects.filter(challenge=challenge)),
        ("certificates.certificate", Certificate.objects.filter(challenge=challenge)),
        ("incubation.project", Project.objects.filter(challenge=challenge)),
    }
    checked = 0
    for label, queryset in objects:
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        for model in (AuditEntry, Notification):
            rows = model.objects.filter(object_type=label, object_id__in=ids)
            _within(rows.values_list("created_at", flat=True), opened, end, f"{model} {label}")
            checked += rows.count()
        read = Notification.objects.filter(object_type=label, object_id__in=ids)
        for notification in read.exclude(read_at=None):
            assert notification.read_at >= notification.created_at
    assert checked > 48


def _midnight(day):
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _cohort_end(challenge):
    cohort = Cohort.objects.get(challenges=challenge)
    return _midnight(cohort.ends_on) + timedelta(days=1)


# --- the clock itself ----------------------------------------------------------------------
MOMENT = dt.datetime(2020, 5, 20, 9, 0, tzinfo=dt.UTC)


def test_as_of_dates_auto_and_default_timestamps_then_puts_the_clock_back():
    from django.utils import timezone

    from cms.demo.clock import as_of
    from tests.factories import SubmissionFactory

    entry = SubmissionFactory()
    with as_of(MOMENT):
        assert MOMENT <= timezone.now() < MOMENT + timedelta(minutes=1)
        change = StatusChange.objects.create(  # auto_now_add
            submission=entry, from_status="draft", to_status="submitted"
        )
        first = timezone.now()
        assert timezone.now() >= first  # it keeps ticking
    with pytest.raises(RuntimeError), as_of(MOMENT):
        raise RuntimeError
    after = StatusChange.objects.create(
        submission=entry, from_status="submitted", to_status="eligible"
    )

    assert MOMENT <= change.at < MOMENT + timedelta(minutes=1)
    assert after.at.year == timezone.now().year > 2020
    assert timezone.now() > MOMENT + timedelta(days=365)


def test_as_of_also_moves_fields_whose_default_is_the_clock():
    from cms.demo.clock import as_of

    with as_of(MOMENT):
        inside = Advancement._meta.get_field("at").get_default()
    outside = Advancement._meta.get_field("at").get_default()

    assert MOMENT <= inside < MOMENT + timedelta(minutes=1)
    assert outside > MOMENT + timedelta(days=365)


def test_a_step_without_a_plan_or_without_its_challenge_runs_on_todays_clock():
    from types import SimpleNamespace

    from django.utils import timezone

    from cms.demo.clock import demo_step, moment_of

    assert moment_of(("no-such-challenge", "results", timedelta(days=1))) is None
    for module in (SimpleNamespace(), SimpleNamespace(DEMO_AS_OF=("nope", "results", timedelta()))):
        with demo_step(module):
            assert timezone.now().year > 2020
