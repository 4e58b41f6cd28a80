import pytest
from django.utils import translation

from core.models import AuditEntry
from incubation.models import Project, StageChange
from incubation.services import IncubationError
from incubation.services.projects import incubate_submission, move_project
from submissions.models import StatusChange, Submission, TeamMembership
from tests.factories import SubmissionFactory, UserFactory

from .conftest import make_project

pytestmark = pytest.mark.django_db


def test_incubate_submission_carries_team_title_and_summary(cohort, challenge, manager):
    submission = SubmissionFactory(
        challenge=challenge,
        status="winner",
        title="Mehr-Saxovat",
        answers={
            "summary": "Matches volunteers with elderly neighbours.",
            "repository_url": "https://example.org/mehr",
        },
    )
    mentor = UserFactory(username="mentor")
    TeamMembership.objects.create(
        team=submission.team, challenge=challenge, user=mentor, role="mentor"
    )

    # The link's label is written in the active language (here English, whatever request
    # ran before).
    with translation.override("en"):
        project = incubate_submission(cohort=cohort, submission=submission, by=manager)

    assert project.title == "Mehr-Saxovat"
    assert project.summary == "Matches volunteers with elderly neighbours."
    assert project.team == submission.team
    assert project.stage.slug == "onboarding"
    assert list(project.mentors.all()) == [mentor]
    assert [(link.label, link.url) for link in project.links.all()] == [
        ("Repository", "https://example.org/mehr")
    ]
    submission.refresh_from_db()
    assert submission.status == "incubated"
    assert StatusChange.objects.filter(
        submission=submission, from_status="winner", to_status="incubated", by=manager
    ).exists()
    assert [(c.from_stage, c.to_stage.slug) for c in StageChange.objects.all()] == [
        (None, "onboarding")
    ]
    assert AuditEntry.objects.filter(action="incubation.project.created").count() == 1


@pytest.mark.parametrize("status", ["submitted", "not_selected", "draft"])
def test_incubate_submission_refuses_entries_that_did_not_win(cohort, challenge, status):
    submission = SubmissionFactory(challenge=challenge, status=status)

    with pytest.raises(IncubationError):
        incubate_submission(cohort=cohort, submission=submission, by=None)

    assert Project.objects.count() == 0
    assert Submission.objects.get(pk=submission.pk).status == status


def test_incubate_submission_refuses_a_second_time(cohort):
    project = make_project(cohort)
    submission = Submission.objects.get(pk=project.submission_id)
    submission.status = "winner"
    submission.save()

    with pytest.raises(IncubationError):
        incubate_submission(cohort=cohort, submission=submission, by=None)

    assert Project.objects.count() == 1


def test_incubate_submission_refuses_entries_of_other_challenges(cohort):
    submission = SubmissionFactory(status="winner")

    with pytest.raises(IncubationError):
        incubate_submission(cohort=cohort, submission=submission, by=None)

    assert Project.objects.count() == 0


def test_staff_incubate_several_entries_in_one_action(client, cohort, challenge, manager):
    winners = [
        SubmissionFactory(challenge=challenge, status=status) for status in ("winner", "finalist")
    ]
    SubmissionFactory(challenge=challenge, status="not_selected")
    client.force_login(manager)

    page = client.get(f"/admin/incubation/cohorts/{cohort.pk}/")
    assert [
        s.title for s in page.context["incubate_form"].fields["submissions"].queryset
    ] == sorted(w.title for w in winners)
    response = client.post(
        f"/admin/incubation/cohorts/{cohort.pk}/incubate/",
        {"submissions": [w.pk for w in winners]},
        follow=True,
    )

    assert "2 project(s) joined the cohort." in response.content.decode()
    assert sorted(Project.objects.values_list("title", flat=True)) == sorted(
        w.title for w in winners
    )
    assert set(
        Submission.objects.filter(pk__in=[w.pk for w in winners]).values_list("status", flat=True)
    ) == {"incubated"}


def test_move_project_keeps_stage_history(cohort, manager):
    project = make_project(cohort, by=manager)
    pilot = cohort.stages.get(slug="pilot")

    move_project(project=project, stage=pilot, by=manager, note="Pilot in Chilonzor")
    move_project(project=project, stage=pilot, by=manager)

    project.refresh_from_db()
    assert project.stage == pilot
    history = [
        (c.from_stage.slug if c.from_stage else None, c.to_stage.slug, c.note)
        for c in project.stage_changes.all()
    ]
    assert history == [(None, "onboarding", ""), ("onboarding", "pilot", "Pilot in Chilonzor")]


def test_move_project_refuses_a_stage_of_another_cohort(cohort, manager):
    from tests.factories import CohortFactory

    project = make_project(cohort)
    other = CohortFactory().stages.get(slug="pilot")

    with pytest.raises(IncubationError):
        move_project(project=project, stage=other, by=manager)

    project.refresh_from_db()
    assert project.stage.slug == "onboarding"


def test_board_move_button_moves_project_without_javascript(client, cohort, manager):
    project = make_project(cohort, title="Aqlli niqob")
    client.force_login(manager)
    pilot = cohort.stages.get(slug="pilot")

    response = client.post(
        f"/admin/incubation/projects/{project.pk}/move/", {"stage": pilot.pk}, follow=True
    )

    assert response.redirect_chain[-1][0].startswith(f"/admin/incubation/?cohort={cohort.pk}")
    column = next(c for c in response.context["columns"] if c["stage"].slug == "pilot")
    assert [p.title for p in column["projects"]] == ["Aqlli niqob"]


def test_participant_dashboard_shows_own_incubated_project(client, cohort):
    mine = make_project(cohort, title="Mehr")
    make_project(cohort, title="Niqob")
    client.force_login(mine.owner)

    response = client.get("/en/me/")

    html = response.content.decode()
    assert f'href="/en/incubation/projects/{mine.pk}/"' in html
    assert "Niqob" not in html
