"""A milestone is late once its due day is over in the cohort's time zone (Asia/Tashkent)."""

import datetime as dt

import pytest
from django.utils import timezone

from incubation.enums import MilestoneState
from incubation.models import Milestone, ProjectFile
from incubation.periods import local_today
from incubation.services.milestones import add_milestone

from .conftest import make_project

UTC = dt.UTC
DUE = dt.date(2026, 3, 10)


def state_at(milestone, utc_moment):
    return milestone.state_on(local_today("Asia/Tashkent", utc_moment))


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        # Tashkent is UTC+5: the 10th ends at 19:00 UTC.
        (dt.datetime(2026, 3, 10, 18, 59, 59, tzinfo=UTC), MilestoneState.PLANNED),
        (dt.datetime(2026, 3, 10, 19, 0, 0, tzinfo=UTC), MilestoneState.LATE),
        # 23:30 UTC on the 9th is already 04:30 on the 10th in Tashkent: due today, not late.
        (dt.datetime(2026, 3, 9, 23, 30, tzinfo=UTC), MilestoneState.PLANNED),
        (dt.datetime(2026, 3, 11, 0, 0, tzinfo=UTC), MilestoneState.LATE),
    ],
)
def test_milestone_late_at_tashkent_day_boundary(moment, state):
    milestone = Milestone(title="Pilot in 3 mahallas", due_on=DUE, status="planned")

    assert state_at(milestone, moment) == state


def test_done_milestone_is_never_late():
    milestone = Milestone(title="Prototype", due_on=DUE, status="done")

    assert state_at(milestone, dt.datetime(2026, 6, 1, tzinfo=UTC)) == MilestoneState.DONE


@pytest.mark.django_db
def test_project_page_shows_late_after_tashkent_midnight(client, cohort, manager, monkeypatch):
    project = make_project(cohort)
    add_milestone(project=project, title="Pilot in 3 mahallas", due_on=DUE, by=manager)
    client.force_login(manager)

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 3, 10, 18, 59, tzinfo=UTC))
    before = client.get(f"/en/incubation/projects/{project.pk}/")
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 3, 10, 19, 1, tzinfo=UTC))
    after = client.get(f"/en/incubation/projects/{project.pk}/")
    table = client.get("/admin/incubation/projects/?late=yes")

    assert [m.state for m in before.context["milestones"]] == [MilestoneState.PLANNED]
    assert [m.state for m in after.context["milestones"]] == [MilestoneState.LATE]
    assert [p.title for p in table.context["projects"]] == [project.title]


@pytest.mark.django_db
def test_team_marks_milestone_done_with_evidence_file(client, cohort, s3_bucket):
    from core import s3

    project = make_project(cohort)
    milestone = add_milestone(project=project, title="Prototype", due_on=DUE, by=None)
    client.force_login(project.owner)
    pdf = _upload("evidence.pdf", b"%PDF-1.4\n% evidence\n", "application/pdf")

    response = client.post(
        f"/en/incubation/milestones/{milestone.pk}/",
        {"status": "done", "evidence": "Working prototype shown to the mahalla.", "files": [pdf]},
        follow=True,
    )

    milestone.refresh_from_db()
    assert milestone.status == "done"
    assert "Working prototype shown to the mahalla." in response.content.decode()
    stored = ProjectFile.objects.get(milestone=milestone)
    assert stored.original_name == "evidence.pdf"
    body = s3.client().get_object(Bucket=s3_bucket, Key=stored.key)["Body"].read()
    assert body == b"%PDF-1.4\n% evidence\n"


@pytest.mark.django_db
def test_milestone_update_with_a_fake_pdf_changes_nothing(client, cohort, s3_bucket):
    from core import s3

    project = make_project(cohort)
    milestone = add_milestone(project=project, title="Prototype", due_on=DUE, by=None)
    client.force_login(project.owner)
    fake = _upload("evidence.pdf", b"MZ not a pdf at all", "application/pdf")

    response = client.post(
        f"/en/incubation/milestones/{milestone.pk}/", {"status": "done", "files": [fake]}
    )

    assert response.status_code == 200
    assert "evidence.pdf: The file&#x27;s contents are not a PDF file." in (
        response.content.decode()
    )
    milestone.refresh_from_db()
    assert milestone.status == "planned"
    assert ProjectFile.objects.count() == 0
    assert s3.client().list_objects_v2(Bucket=s3_bucket).get("KeyCount") == 0


def _upload(name, content, content_type):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)
