"""Incubation services check access themselves: a task, a command or a new view calling
them on someone's behalf cannot do more than that person may (views are tested apart)."""

import datetime as dt

import pytest

from core.errors import NotAllowed
from incubation.models import MentorComment, Milestone, ProgressReport, Support
from incubation.services.milestones import add_milestone, update_milestone
from incubation.services.projects import (
    assign_mentor,
    incubate_submission,
    move_project,
    record_support,
)
from incubation.services.reports import comment_on_report, submit_report
from tests.factories import ChallengeFactory, CohortFactory, SubmissionFactory, UserFactory

from .conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cohort):
    return make_project(cohort, title="Aqlli niqob")


@pytest.fixture
def other_staff(db):
    user = UserFactory(is_staff=True)
    ChallengeFactory().managers.add(user)
    return user


def test_only_the_team_reports_progress(project, manager, other_staff):
    mentor = UserFactory()
    assign_mentor(project=project, mentor=mentor, by=manager)
    for outsider in (UserFactory(), mentor, other_staff, manager):
        with pytest.raises(NotAllowed):
            submit_report(
                project=project, period_start=project.cohort.starts_on, narrative="x", by=outsider
            )
    assert not ProgressReport.objects.exists()
    submit_report(
        project=project, period_start=project.cohort.starts_on, narrative="ok", by=project.owner
    )
    assert ProgressReport.objects.count() == 1


def test_only_mentors_and_programme_staff_comment(project, manager):
    report = submit_report(
        project=project, period_start=project.cohort.starts_on, narrative="ok", by=project.owner
    )
    with pytest.raises(NotAllowed):
        comment_on_report(report=report, body="Nice", by=project.owner)
    with pytest.raises(NotAllowed):
        comment_on_report(report=report, body="Nice", by=UserFactory())
    comment_on_report(report=report, body="Nice", by=manager)
    assert MentorComment.objects.count() == 1


def test_staff_of_another_challenge_cannot_change_the_project(project, other_staff):
    stage = project.cohort.stages.exclude(pk=project.stage_id).first()
    with pytest.raises(NotAllowed):
        move_project(project=project, stage=stage, by=other_staff)
    with pytest.raises(NotAllowed):
        add_milestone(project=project, title="Pilot", due_on=dt.date(2026, 6, 1), by=other_staff)
    with pytest.raises(NotAllowed):
        record_support(
            project=project,
            kind="grant",
            title="Grant",
            given_on=dt.date(2026, 2, 1),
            by=other_staff,
        )
    project.refresh_from_db()
    assert project.stage_id != stage.pk
    assert not Milestone.objects.exists()
    assert not Support.objects.exists()


def test_team_updates_milestones_but_an_outsider_does_not(project, manager):
    milestone = add_milestone(
        project=project, title="Pilot", due_on=dt.date(2026, 6, 1), by=manager
    )
    with pytest.raises(NotAllowed):
        update_milestone(milestone=milestone, status="done", by=UserFactory())
    milestone.refresh_from_db()
    assert milestone.status != "done"
    update_milestone(milestone=milestone, status="done", by=project.owner)
    milestone.refresh_from_db()
    assert milestone.status == "done"


def test_incubating_needs_staff_of_the_cohort(challenge, cohort, other_staff):
    submission = SubmissionFactory(challenge=challenge, status="winner")
    with pytest.raises(NotAllowed):
        incubate_submission(cohort=cohort, submission=submission, by=other_staff)
    submission.refresh_from_db()
    assert submission.status == "winner"
    cohort_officer = UserFactory(is_staff=True)
    cohort_officer.managed_cohorts.add(CohortFactory(challenges=[challenge]))
    with pytest.raises(NotAllowed):  # runs another cohort of the same challenge
        incubate_submission(cohort=cohort, submission=submission, by=cohort_officer)
