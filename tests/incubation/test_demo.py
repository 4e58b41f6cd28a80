import io

import pytest

from cms.demo import incubation as demo
from incubation.models import Cohort, KpiValue, Milestone, ProgressReport, Project
from tests.factories import ChallengeFactory, SubmissionFactory, SuperuserFactory

pytestmark = pytest.mark.django_db


def test_demo_cohort_loads_twice_without_duplicates():
    challenge = ChallengeFactory(slug=demo.COVID_SLUG, title="COVID-19 Challenge 2020")
    SuperuserFactory(username="admin")

    demo.load(stdout=io.StringIO())
    out = io.StringIO()
    demo.load(stdout=out)

    cohort = Cohort.objects.get()
    assert list(challenge.cohorts.all()) == [cohort]
    assert sorted(Project.objects.values_list("title", "stage__slug")) == [
        ("Aqlli niqob", "pilot"),
        ("Mehr: koʻngillilar va qariyalar", "scale"),
    ]
    assert ProgressReport.objects.count() == 4
    assert KpiValue.objects.count() == 20
    assert Milestone.objects.count() == 6
    assert "2 projects" in out.getvalue()


def test_demo_reuses_the_winner_the_other_demos_made():
    challenge = ChallengeFactory(slug=demo.COVID_SLUG)
    mask = SubmissionFactory(
        challenge=challenge,
        title="Smart mask",
        answers={"summary": "Detects symptoms."},
        status="winner",
    )

    demo.load(stdout=io.StringIO())

    mask.refresh_from_db()
    assert mask.status == "incubated"
    assert mask.incubated_project.stage.slug == "pilot"
    assert Project.objects.count() == 2


def test_demo_cohort_page_shows_the_cohort_kpis(client):
    ChallengeFactory(slug=demo.COVID_SLUG)
    admin = SuperuserFactory(username="admin")
    demo.load(stdout=io.StringIO())
    client.force_login(admin)
    cohort = Cohort.objects.get()

    response = client.get(f"/admin/incubation/cohorts/{cohort.pk}/")

    charts = {item["kpi"].slug: item for item in response.context["charts"]}
    assert charts["users_reached"]["total"] == 4800 + 600
    assert [p.title for p in response.context["missing"]] == [
        "Aqlli niqob",
        "Mehr: koʻngillilar va qariyalar",
    ]


def test_demo_declares_the_submitted_entries_winners_instead_of_duplicating():
    challenge = ChallengeFactory(slug=demo.COVID_SLUG)
    mehr = SubmissionFactory(
        challenge=challenge,
        title="Mehr",
        answers={"summary": "Volunteers who shop."},
        status="submitted",
    )
    SubmissionFactory(challenge=challenge, title="Toza havo", status="submitted")

    demo.load(stdout=io.StringIO())

    mehr.refresh_from_db()
    assert mehr.status == "incubated"
    assert [s.to_status for s in mehr.status_changes.all()] == ["winner", "incubated"]
    assert mehr.incubated_project.stage.slug == "scale"
    assert Project.objects.count() == 2
