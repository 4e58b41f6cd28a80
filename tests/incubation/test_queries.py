"""The board, the table and the CSV export cost the same queries for 10 and 300 projects."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incubation.models import Milestone, ProgressReport, Project, Support
from submissions.models import Submission
from tests.factories import SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db


def populate(cohort, count):
    """``count`` projects with a mentor, a late milestone, a report and a grant each."""
    from challenges.models import Challenge

    challenge = Challenge.objects.get(cohorts=cohort)
    stages = list(cohort.stages.all())
    mentor = UserFactory()
    existing = Project.objects.count()
    for i in range(existing, existing + count):
        submission = SubmissionFactory(challenge=challenge, status="incubated")
        project = Project.objects.create(
            cohort=cohort,
            submission=submission,
            challenge=challenge,
            team=submission.team,
            owner=submission.owner,
            title=f"Project {i:03}",
            stage=stages[i % len(stages)],
        )
        project.mentors.add(mentor)
        Milestone.objects.create(project=project, title="Late", due_on=dt.date(2026, 1, 5))
        ProgressReport.objects.create(project=project, period_start=cohort.starts_on, narrative=".")
        Support.objects.create(
            project=project, kind="grant", title="Tranche", amount=1000, given_on=cohort.starts_on
        )
    assert Submission.objects.count() >= count


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize(
    "url",
    [
        "/admin/incubation/",
        "/admin/incubation/projects/",
        "/admin/incubation/projects/?late=yes&missing_report=yes&stage=pilot",
        "/admin/incubation/projects.csv",
    ],
)
def test_staff_lists_run_constant_queries(client, cohort, manager, url):
    client.force_login(manager)
    populate(cohort, 10)
    client.get(url)  # warm caches that any first request fills (site root, translations)
    small, _ = count_queries(client, url)
    populate(cohort, 290)
    large, second = count_queries(client, url)

    assert small == large
    if "csv" not in url and "late" not in url:
        shown = (
            sum(len(c["projects"]) for c in second.context["columns"])
            if ("columns" in second.context)
            else len(second.context["projects"])
        )
        assert shown == 300
