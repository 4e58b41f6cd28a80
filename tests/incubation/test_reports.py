import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core import s3
from incubation.models import KpiValue, ProgressReport, ProjectFile
from tests import images
from tests.factories import UserFactory

from .conftest import make_project

pytestmark = pytest.mark.django_db
UTC = dt.UTC
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture
def in_march(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 3, 15, 8, 0, tzinfo=UTC))


def test_team_submits_report_with_kpis_and_attachment(client, cohort, s3_bucket, in_march):
    project = make_project(cohort, title="Mehr")
    client.force_login(project.owner)

    form = client.get(f"/en/incubation/projects/{project.pk}/report/")
    assert form.context["form"]["period"].initial == "2026-02-01"  # the last period that ended
    response = client.post(
        f"/en/incubation/projects/{project.pk}/report/",
        {
            "period": "2026-02-01",
            "narrative": "120 volunteers matched with 300 elderly people.",
            "blockers": "",
            "kpi_users_reached": "300",
            "kpi_women_beneficiaries": "180",
            "attachments": [SimpleUploadedFile("photos.pdf", PDF, "application/pdf")],
        },
        follow=True,
    )

    html = response.content.decode()
    assert "Your progress report was submitted." in html
    report = ProgressReport.objects.get(project=project)
    assert report.period_start == dt.date(2026, 2, 1)
    assert {v.kpi.slug: v.value for v in KpiValue.objects.filter(report=report)} == {
        "users_reached": 300,
        "women_beneficiaries": 180,
    }
    stored = ProjectFile.objects.get(report=report)
    assert (stored.original_name, stored.size, stored.status) == (
        "photos.pdf",
        len(PDF),
        "verified",
    )
    assert s3.client().get_object(Bucket=s3_bucket, Key=stored.key)["Body"].read() == PDF
    # January is still missing, and the page says so.
    assert response.context["missing_periods"] == [dt.date(2026, 1, 1)]
    assert "Progress reports are missing for:" in html


def test_report_with_a_disguised_file_changes_nothing(client, cohort, s3_bucket, in_march):
    project = make_project(cohort)
    client.force_login(project.owner)

    response = client.post(
        f"/en/incubation/projects/{project.pk}/report/",
        {
            "period": "2026-02-01",
            "narrative": "Numbers inside.",
            "kpi_users_reached": "10",
            "attachments": [SimpleUploadedFile("report.pdf", b"<html>x</html>", "application/pdf")],
        },
    )

    assert response.status_code == 200
    assert "report.pdf: The file&#x27;s contents are not a PDF file." in (response.content.decode())
    assert ProgressReport.objects.count() == 0
    assert s3.client().list_objects_v2(Bucket=s3_bucket).get("KeyCount") == 0


def test_report_with_a_png_polyglot_changes_nothing(client, cohort, s3_bucket, in_march):
    project = make_project(cohort)
    client.force_login(project.owner)

    response = client.post(
        f"/en/incubation/projects/{project.pk}/report/",
        {
            "period": "2026-02-01",
            "narrative": "Our new logo.",
            "kpi_users_reached": "10",
            "attachments": [SimpleUploadedFile("logo.png", images.png_with_html(), "image/png")],
        },
    )

    assert response.status_code == 200
    assert "logo.png: The image has other data after its end." in response.content.decode()
    assert ProgressReport.objects.count() == 0
    assert s3.client().list_objects_v2(Bucket=s3_bucket).get("KeyCount") == 0


def test_report_with_a_real_png_attaches_it(client, cohort, s3_bucket, in_march):
    project = make_project(cohort)
    client.force_login(project.owner)
    logo = images.png()

    client.post(
        f"/en/incubation/projects/{project.pk}/report/",
        {
            "period": "2026-02-01",
            "narrative": "Our new logo.",
            "kpi_users_reached": "10",
            "attachments": [SimpleUploadedFile("logo.png", logo, "image/png")],
        },
    )

    stored = ProjectFile.objects.get(report__project=project)
    assert (stored.content_type, stored.size, stored.status) == ("image/png", len(logo), "verified")
    assert s3.client().get_object(Bucket=s3_bucket, Key=stored.key)["Body"].read() == logo


def test_report_with_a_negative_kpi_is_refused(client, cohort, in_march):
    project = make_project(cohort)
    client.force_login(project.owner)

    response = client.post(
        f"/en/incubation/projects/{project.pk}/report/",
        {"period": "2026-02-01", "narrative": "x", "kpi_revenue": "-5"},
    )

    assert "Ensure this value is greater than or equal to 0." in response.content.decode()
    assert ProgressReport.objects.count() == 0


def test_report_form_offers_only_periods_without_a_report(client, cohort, in_march):
    from incubation.services.reports import submit_report

    project = make_project(cohort)
    submit_report(project=project, period_start=dt.date(2026, 2, 1), narrative="x", by=None)
    client.force_login(project.owner)

    response = client.get(f"/en/incubation/projects/{project.pk}/report/")
    refused = client.post(
        f"/en/incubation/projects/{project.pk}/report/",
        {"period": "2026-02-01", "narrative": "again"},
    )

    assert [value for value, _ in response.context["form"].fields["period"].choices] == [
        "2026-01-01",
        "2026-03-01",
    ]
    assert refused.status_code == 200
    assert ProgressReport.objects.get().narrative == "x"


def test_staff_table_lists_projects_missing_the_last_report(client, cohort, manager, in_march):
    from incubation.services.reports import submit_report

    done = make_project(cohort, title="Done")
    make_project(cohort, title="Silent")
    gap = make_project(cohort, title="Gap")
    for month in (1, 2):
        submit_report(project=done, period_start=dt.date(2026, month, 1), narrative="x", by=None)
    submit_report(project=gap, period_start=dt.date(2026, 2, 1), narrative="x", by=None)
    client.force_login(manager)

    missing = client.get("/admin/incubation/projects/?missing_report=yes")
    reported = client.get("/admin/incubation/projects/?missing_report=no")
    cohort_page = client.get(f"/admin/incubation/cohorts/{cohort.pk}/")

    assert [p.title for p in missing.context["projects"]] == ["Gap", "Silent"]
    assert [p.title for p in reported.context["projects"]] == ["Done"]
    assert [(p.title, p.missing_periods) for p in cohort_page.context["missing"]] == [
        ("Gap", [dt.date(2026, 1, 1)]),
        ("Silent", [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]),
    ]


def test_csv_export_has_the_filtered_rows(client, cohort, manager, in_march):
    from incubation.services.projects import record_support

    mehr = make_project(cohort, title="Mehr")
    make_project(cohort, title="=cmd|' /C calc'!A0")
    record_support(
        project=mehr,
        kind="grant",
        title="Tranche 1",
        amount=5000000,
        given_on=dt.date(2026, 2, 1),
        by=manager,
    )
    client.force_login(manager)

    response = client.get("/admin/incubation/projects.csv")

    lines = response.content.decode("utf-8-sig").splitlines()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert lines[0] == (
        "Project,Team,Cohort,Stage,Region,Mentors,Late milestones,Missing report,Funding"
    )
    assert lines[1].startswith("'=cmd|' /C calc'!A0,")
    assert lines[2].startswith("Mehr,")
    assert lines[2].endswith(",Onboarding,,,0,2026-01-01 2026-02-01,5000000.00")


def test_xlsx_export_holds_tab_and_cr_starts_as_quoted_text(client, cohort, manager, in_march):
    import io

    from openpyxl import load_workbook

    make_project(cohort, title="\tcmd")
    make_project(cohort, title="\r=1+1")
    client.force_login(manager)

    csv_lines = client.get("/admin/incubation/projects.csv").content.decode("utf-8-sig")
    answer = client.get("/admin/incubation/projects.csv", {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=False))
    # XML keeps a CR as a line break (LF): what matters is the quote in front.
    assert sorted(r[0].value for r in rows) == ["'\tcmd", "'\n=1+1"]
    assert {r[0].data_type for r in rows} == {"s"}
    assert {r[6].value for r in rows} == {0}  # late milestones: a number
    assert "'\tcmd" in csv_lines


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_text_column_of_the_project_export_is_neutralised(
    client, cohort, manager, in_march, fmt
):
    import csv
    import io

    from openpyxl import load_workbook

    from incubation.services.projects import assign_mentor

    project = make_project(cohort, title='=HYPERLINK("http://evil.example","x")')
    project.team.name = "+Jamoa"
    project.team.save(update_fields=["name"])
    cohort.name = cohort.name_en = "@Kohorta"
    cohort.save(update_fields=["name", "name_en"])
    project.stage.name = project.stage.name_en = "-Bosqich"
    project.stage.save(update_fields=["name", "name_en"])
    assign_mentor(project=project, mentor=UserFactory(first_name="=Murabbiy"), by=manager)
    client.force_login(manager)

    answer = client.get("/admin/incubation/projects.csv", {"format": fmt})

    if fmt == "csv":
        row = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))[1]
    else:
        cells = next(load_workbook(io.BytesIO(answer.content)).active.iter_rows(min_row=2))
        assert {c.data_type for c in [*cells[:4], cells[5]]} == {"s"}
        row = [c.value for c in cells]
    assert row[:4] == [
        '\'=HYPERLINK("http://evil.example","x")',
        "'+Jamoa",
        "'@Kohorta",
        "'-Bosqich",
    ]
    assert row[5].startswith("'=Murabbiy")
