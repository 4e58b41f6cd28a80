"""Incubation in a real browser: staff move a project, the team reports, the chart grows."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from wagtail.users.models import UserProfile

from core import s3
from incubation.models import ProjectFile
from incubation.services.reports import submit_report
from tests.factories import ChallengeFactory, CohortFactory, SubmissionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_staff_move_to_pilot_then_team_reports_and_chart_shows_point(
    sign_in, live_server, page, s3_bucket, tmp_path
):
    from incubation.services.projects import incubate_submission

    challenge = ChallengeFactory(title="COVID-19 Challenge 2020")
    manager = UserFactory(username="manager", is_staff=True)
    # Admin access (a transactional test starts from a flushed database: the migrations'
    # "Challenge managers" group is not there, so the permission is given directly).
    manager.user_permissions.add(Permission.objects.get(codename="access_admin"))
    UserProfile.objects.create(user=manager, preferred_language="en")
    challenge.managers.add(manager)
    cohort = CohortFactory(challenges=[challenge], name_en="COVID-19 incubation")
    submission = SubmissionFactory(challenge=challenge, status="winner", title="Aqlli niqob")
    project = incubate_submission(cohort=cohort, submission=submission, by=manager)
    submit_report(
        project=project,
        period_start=dt.date(2026, 1, 1),
        narrative="First prototype.",
        values={"users_reached": 100},
        by=project.owner,
    )

    # Staff: the board (in the admin); one button press moves the card to "Pilot" (no JS).
    sign_in(manager)
    page.goto(f"{live_server.url}/admin/incubation/")
    card = page.locator(f"#project-{project.pk}")
    assert card.locator("xpath=ancestor::li[@data-stage]").get_attribute("data-stage") == (
        "onboarding"
    )
    card.get_by_label("Move to stage").select_option(label="Pilot")
    card.get_by_role("button", name="Move").click()
    page.wait_for_load_state()
    assert "Aqlli niqob moved to Pilot." in page.locator(".messages").inner_text()
    moved = page.locator(f"#project-{project.pk}")
    assert moved.locator("xpath=ancestor::li[@data-stage]").get_attribute("data-stage") == "pilot"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # The team: a progress report with numbers and a PDF attachment.
    attachment = tmp_path / "pilot-photos.pdf"
    attachment.write_bytes(PDF)
    sign_in(project.owner)
    page.goto(f"{live_server.url}/en/incubation/projects/{project.pk}/")
    assert page.get_by_test_id("stage").inner_text() == "Pilot"
    chart = page.locator("figure[data-kpi=users_reached]")
    assert chart.locator("circle").count() == 1
    page.get_by_role("link", name="Submit a progress report").click()
    page.get_by_label("What happened in this period").fill("Fifty masks at a polyclinic.")
    page.get_by_label("Users reached").fill("250")
    page.get_by_label("Attachments").set_input_files(str(attachment))
    # The page's script sends the file straight to S3 (moto) and has the server verify it.
    page.get_by_text("Uploaded: pilot-photos.pdf").wait_for()
    page.get_by_role("button", name="Submit report").click()
    page.wait_for_url(f"{live_server.url}/en/incubation/projects/{project.pk}/")

    assert "Your progress report was submitted." in page.locator(".messages").inner_text()
    chart = page.locator("figure[data-kpi=users_reached]")
    assert chart.locator("circle").count() == 2
    assert chart.locator("polyline").count() == 1
    assert "250" in chart.locator("circle").last.locator("title").text_content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    stored = ProjectFile.objects.get(report__project=project)
    assert (stored.original_name, stored.status, stored.size) == (
        "pilot-photos.pdf",
        "verified",
        len(PDF),
    )
    assert s3.client().get_object(Bucket=s3_bucket, Key=stored.key)["Body"].read() == PDF
    assert page.get_by_role("link", name="pilot-photos.pdf").count() == 1
